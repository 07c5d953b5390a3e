/* cli.h: what every benchtrack program shares on the command line: its
   name in messages, GNU-style diagnostics, --version, checked allocation and
   a checked close of standard output.
   SPDX-License-Identifier: MIT */

#ifndef BENCHTRACK_CLI_H
#define BENCHTRACK_CLI_H

#include <stdarg.h>
#include <stddef.h>
#include <stdnoreturn.h>

/* Exit statuses shared by every program (documented in each man page).  */
enum {
    EXIT_OK = 0,
    EXIT_BAD_INPUT = 1, /* bad input or an I/O failure */
    EXIT_USAGE = 2      /* the command line is wrong */
};

/* The name used in diagnostics, set once by cli_init.  */
extern const char *cli_program;

/* Sets the program name, and first makes sure descriptors 0, 1 and 2 are
   open (on /dev/null when they were closed), as every main must before
   it opens anything.  */
void cli_init(const char *program_name);

/* "prog: message" on stderr.  */
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "prog: FILE:LINE: message" on stderr; LINE 0 leaves out ":LINE".  */
void cli_warn_at(const char *file, unsigned long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void cli_vwarn_at(const char *file, unsigned long line, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/* Prints the message, then "Try 'prog --help' for more information." and
   exits with EXIT_USAGE.  */
noreturn void cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The GNU --version block on stdout.  */
void cli_print_version(void);

/* Flushes and closes stdout; on a write error (a full disk, /dev/full, a
   closed pipe) says so and turns STATUS into EXIT_BAD_INPUT.  Every main
   returns through it, so a lost write is never a silent success.  */
int cli_finish(int status);

/* Allocation that cannot fail: on exhaustion the program says so and exits
   with EXIT_BAD_INPUT.  */
void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
void *xreallocarray(void *ptr, size_t count, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t len);

struct option;

/* getopt_long for the programs: the same options, but a bad option or a
   missing argument ends the program through cli_usage_error, with a
   message that names the program (getopt's own would name argv[0]).  So
   it returns only options from the table, or -1 after the last.  */
int cli_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts);

/* A copy of the directory part of PATH: "." when it has none.  */
char *cli_directory_of(const char *path);

/* Parses a whole decimal number in [MIN, MAX]; returns 0 on success.  */
int cli_parse_long(const char *text, long min, long max, long *out);

/* The most bytes of a value a message quotes.  */
enum { CLI_QUOTE_MAX = 80 };

/* TEXT[0..LEN) made fit to quote in a message: a value read from the input
   may be megabytes long or hold control characters that would garble the
   terminal, so the quotation is at most CLI_QUOTE_MAX bytes, cut on a
   character boundary and followed by "..." when the value is longer, with
   control characters, backslashes and bytes that are not UTF-8 written as
   escapes (\n, \t, \r, \\, \xHH).  The result lives in one of eight
   static buffers, used in turn: a message may quote up to eight values, and
   each call overwrites the result of the eighth call before it.  */
const char *cli_quote(const char *text, size_t len);

/* cli_quote of the NUL-terminated string S.  */
const char *cli_quote_str(const char *s);

#endif
