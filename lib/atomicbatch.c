/* atomicbatch.c: many atomic replacements, one flush (see atomicbatch.h).
   Two fsyncs per file made "sparkline -d" spend seconds waiting for the
   disk on a history of a thousand benches; one syncfs costs the same as
   a single fsync of all that data.
   SPDX-License-Identifier: MIT */

#include <config.h>

#include "atomicbatch.h"
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void
atomic_batch_init(atomic_batch *b)
{
    b->files = NULL;
    b->count = b->cap = 0;
    b->dirs = NULL;
    b->ndirs = 0;
    b->failed = 0;
}

/* The open directory DIR, opened on first use: "sparkline -d" writes a
   thousand files in one directory with one descriptor.  */
static int
batch_dir(atomic_batch *b, const char *dir)
{
    for (size_t i = 0; i < b->ndirs; i++)
        if (strcmp(b->dirs[i].path, dir) == 0)
            return b->dirs[i].fd;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    b->dirs = xreallocarray(b->dirs, b->ndirs + 1, sizeof *b->dirs);
    b->dirs[b->ndirs].path = xstrdup(dir);
    b->dirs[b->ndirs].fd = fd;
    b->ndirs++;
    return fd;
}

/* Frees the batch once no file needs its directories.  */
static void
batch_free(atomic_batch *b)
{
    for (size_t i = 0; i < b->ndirs; i++) {
        close(b->dirs[i].fd);
        free(b->dirs[i].path);
    }
    free(b->dirs);
    free(b->files);
    atomic_batch_init(b);
}

FILE *
atomic_batch_open(atomic_batch *b, const char *target)
{
    if (b->count == b->cap) {
        b->cap = b->cap ? 2 * b->cap : 64;
        b->files = xreallocarray(b->files, b->cap, sizeof *b->files);
    }
    atomic_file *af = &b->files[b->count];
    char *dir = cli_directory_of(target);
    const char *slash = strrchr(target, '/');
    int dirfd = batch_dir(b, dir);
    int status;
    if (dirfd < 0) {
        cli_warn("%s: cannot create a temporary file beside it: %s", target, strerror(errno));
        status = -1;
    } else {
        status = atomic_file_open_at(af, dirfd, dir, slash ? slash + 1 : target);
    }
    free(dir);
    if (status != 0) {
        b->failed = 1;
        return NULL;
    }
    b->count++;
    return af->fp;
}

int
atomic_batch_close(atomic_batch *b)
{
    atomic_file *af = &b->files[b->count - 1];
    int failed = fflush(af->fp) != 0 || ferror(af->fp);
#ifndef __linux__
    /* Without syncfs each file goes to disk on its own.  */
    if (!failed && fsync(fileno(af->fp)) != 0)
        failed = 1;
#endif
    int saved = errno;
    if (fclose(af->fp) != 0 && !failed) {
        failed = 1;
        saved = errno;
    }
    af->fp = NULL;
    if (failed) {
        cli_warn("%s: write error: %s", af->target, strerror(saved));
        b->failed = 1;
        return -1;
    }
    return 0;
}

void
atomic_batch_abort(atomic_batch *b)
{
    for (size_t i = 0; i < b->count; i++)
        atomic_file_abort(&b->files[i]);
    batch_free(b);
}

int
atomic_batch_commit(atomic_batch *b)
{
    if (b->failed) {
        atomic_batch_abort(b);
        return -1;
    }
    if (b->count == 0) {
        atomic_batch_abort(b);
        return 0;
    }
#ifdef __linux__
    /* One flush of the file system holding the temporaries; the batch's
       targets all live in one directory in practice, so one syncfs per
       distinct directory would be the same call.  */
    if (syncfs(b->files[0].dirfd) != 0) {
        cli_warn("%s: cannot flush to disk: %s", b->dirs[0].path, strerror(errno));
        atomic_batch_abort(b);
        return -1;
    }
#endif
    int status = 0;
    for (size_t i = 0; i < b->count; i++) {
        atomic_file *af = &b->files[i];
        if (status != 0) {
            atomic_file_abort(af);
            continue;
        }
        if (renameat(af->dirfd, af->temp, af->dirfd, af->name) != 0) {
            cli_warn("%s: cannot replace: %s", af->target, strerror(errno));
            atomic_file_abort(af);
            status = -1;
            continue;
        }
        atomic_file_release(af);
    }
    /* The renames are durable once their directories are.  */
    for (size_t i = 0; i < b->ndirs; i++)
        (void)fsync(b->dirs[i].fd);
    batch_free(b);
    return status;
}
