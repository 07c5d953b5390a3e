/* atomicbatch.h: replace a set of files at once, each atomically, with one
   flush to disk for the whole set instead of two fsyncs per file.

   Each file is written to a temporary beside its target (atomic_file_open_at),
   closed, and kept aside; atomic_batch_commit then makes every temporary
   durable with a single syncfs (fsync per file where syncfs is missing),
   renames each over its target and fsyncs each directory once.  A reader
   sees, for every target, the old contents or the new, never part of a
   file; after a failure before the renames no target has changed.
   SPDX-License-Identifier: MIT */

#ifndef BENCHTRACK_ATOMICBATCH_H
#define BENCHTRACK_ATOMICBATCH_H

#include "atomicfile.h"

#include <stdio.h>

/* A directory the batch writes in, open once for all its files.  */
typedef struct atomic_batch_dir {
    char *path;
    int fd;
} atomic_batch_dir;

typedef struct atomic_batch {
    atomic_file *files;
    size_t count, cap;
    atomic_batch_dir *dirs;
    size_t ndirs;
    int failed;
} atomic_batch;

void atomic_batch_init(atomic_batch *b);

/* Starts the next file of the batch, TARGET: the entry named by its last
   component is replaced, in the directory named by the rest, as
   atomic_file_open_at does: a symbolic link there is replaced, not
   followed, so that the batch writes nothing outside its directories.
   Returns where to write its contents, or NULL after printing a
   message.  */
FILE *atomic_batch_open(atomic_batch *b, const char *target);

/* Ends the file atomic_batch_open last returned: flushes and closes it.
   Returns 0, or -1 after printing a message (the batch is then failed).  */
int atomic_batch_close(atomic_batch *b);

/* Makes every file durable and renames them all over their targets.
   Returns 0, or -1 after printing a message; a failed batch (or one that
   fails here before the renames) removes its temporaries and leaves every
   target untouched.  */
int atomic_batch_commit(atomic_batch *b);

/* Drops every temporary; no target changes.  */
void atomic_batch_abort(atomic_batch *b);

#endif
