/* cli.c: diagnostics, --version, checked allocation and stdout closing for
   every benchtrack program.
   SPDX-License-Identifier: MIT */

#include <config.h>

#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *cli_program = PACKAGE;

/* Makes sure descriptors 0, 1 and 2 are open.  Started with one closed
   ("prog >&-"), the program's first open would get it: "csv-merge h.csv
   >&-" read its input as descriptor 1 and called it its own output, and
   a -o file or a diagnostic could land in a file opened for something
   else.  The stand-in is /dev/null opened the wrong way round, as gnulib's
   stdopen does, so that using a stream that was closed still fails (a
   write to stdout is a "write error", a read of stdin a "read error")
   instead of succeeding unseen; a run that does not use it succeeds.  */
static void
open_standard_fds(void)
{
    for (int fd = 0; fd <= 2; fd++) {
        if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
            continue;
        /* The lowest free descriptor is FD itself.  */
        int got = open("/dev/null", fd == STDIN_FILENO ? O_WRONLY : O_RDONLY);
        if (got != fd) {
            if (got >= 0)
                close(got);
            /* Nothing can be said: stderr may be the closed one.  */
            _exit(EXIT_BAD_INPUT);
        }
    }
}

void
cli_init(const char *program_name)
{
    open_standard_fds();
    cli_program = program_name;
}

void
cli_warn(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", cli_program);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void
cli_vwarn_at(const char *file, unsigned long line, const char *fmt, va_list ap)
{
    if (line > 0)
        fprintf(stderr, "%s: %s:%lu: ", cli_program, file, line);
    else
        fprintf(stderr, "%s: %s: ", cli_program, file);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void
cli_warn_at(const char *file, unsigned long line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cli_vwarn_at(file, line, fmt, ap);
    va_end(ap);
}

void
cli_usage_error(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", cli_program);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry '%s --help' for more information.\n", cli_program);
    exit(EXIT_USAGE);
}

void
cli_print_version(void)
{
    printf("%s (%s) %s\n", cli_program, PACKAGE_NAME, PACKAGE_VERSION);
    fputs("Copyright (c) 2026 The benchtrack developers.\n"
          "License MIT: <https://opensource.org/licenses/MIT>.\n"
          "This is free software: you are free to change and redistribute it.\n"
          "There is NO WARRANTY, to the extent permitted by law.\n",
          stdout);
}

int
cli_finish(int status)
{
    /* ferror catches a write that failed earlier; fclose catches one that
       fails only when the last buffer is flushed.  */
    int failed = ferror(stdout);
    errno = 0;
    if (fclose(stdout) != 0)
        failed = 1;
    if (failed) {
        if (errno != 0)
            cli_warn("write error: %s", strerror(errno));
        else
            cli_warn("write error");
        return EXIT_BAD_INPUT;
    }
    return status;
}

static noreturn void
out_of_memory(void)
{
    cli_warn("memory exhausted");
    exit(EXIT_BAD_INPUT);
}

void *
xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (p == NULL)
        out_of_memory();
    return p;
}

void *
xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (p == NULL)
        out_of_memory();
    return p;
}

void *
xrealloc(void *ptr, size_t size)
{
    void *p = realloc(ptr, size ? size : 1);
    if (p == NULL)
        out_of_memory();
    return p;
}

void *
xreallocarray(void *ptr, size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size)
        out_of_memory();
    return xrealloc(ptr, count * size);
}

char *
xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t len)
{
    char *p = xmalloc(len + 1);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

int
cli_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts)
{
    /* A leading ':' makes getopt tell a missing argument from a bad
       option.  */
    char optstring[64];
    snprintf(optstring, sizeof optstring, ":%s", shortopts);
    opterr = 0;
    int c = getopt_long(argc, argv, optstring, longopts, NULL);
    if (c == ':')
        cli_usage_error("option '%s' requires an argument", argv[optind - 1]);
    if (c == '?') {
        if (optopt != 0)
            cli_usage_error("invalid option -- '%c'", optopt);
        cli_usage_error("unrecognized option '%s'", argv[optind - 1]);
    }
    return c;
}

char *
cli_directory_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL)
        return xstrdup(".");
    if (slash == path)
        return xstrdup("/");
    return xstrndup(path, (size_t)(slash - path));
}

int
cli_parse_long(const char *text, long min, long max, long *out)
{
    char *end;
    long value;

    if (*text == '\0')
        return -1;
    errno = 0;
    value = strtol(text, &end, 10);
    if (errno != 0 || *end != '\0' || value < min || value > max)
        return -1;
    *out = value;
    return 0;
}
