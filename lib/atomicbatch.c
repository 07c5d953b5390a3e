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
    b->failed = 0;
}

FILE *
atomic_batch_open(atomic_batch *b, const char *target)
{
    if (b->count == b->cap) {
        b->cap = b->cap ? 2 * b->cap : 64;
        b->files = xreallocarray(b->files, b->cap, sizeof *b->files);
    }
    atomic_file *af = &b->files[b->count];
    if (atomic_file_open(af, target) != 0) {
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
    free(b->files);
    atomic_batch_init(b);
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
    char *dir = cli_directory_of(b->files[0].target);
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0 || syncfs(dfd) != 0) {
        cli_warn("%s: cannot flush to disk: %s", dir, strerror(errno));
        if (dfd >= 0)
            close(dfd);
        free(dir);
        atomic_batch_abort(b);
        return -1;
    }
    close(dfd);
    free(dir);
#endif
    int status = 0;
    char *last_dir = NULL;
    for (size_t i = 0; i < b->count; i++) {
        atomic_file *af = &b->files[i];
        if (status != 0) {
            atomic_file_abort(af);
            continue;
        }
        if (rename(af->temp, af->target) != 0) {
            cli_warn("%s: cannot replace: %s", af->target, strerror(errno));
            atomic_file_abort(af);
            status = -1;
            continue;
        }
        /* The renames are durable once their directory is: sync each
           directory after its last rename.  */
        char *d = cli_directory_of(af->target);
        if (last_dir != NULL && strcmp(d, last_dir) != 0)
            atomic_sync_directory(last_dir);
        free(last_dir);
        last_dir = d;
        atomic_file_release(af);
    }
    if (last_dir != NULL)
        atomic_sync_directory(last_dir);
    free(last_dir);
    free(b->files);
    atomic_batch_init(b);
    return status;
}
