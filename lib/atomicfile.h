/* atomicfile.h: replace a file so that readers see the old contents or the
   new, never a half-written file.  The new contents go to a temporary file
   in the target's directory, which is flushed, fsynced and renamed over the
   target; on any failure the temporary file is removed and the target is
   left byte-identical.
   SPDX-License-Identifier: MIT */

#ifndef BENCHTRACK_ATOMICFILE_H
#define BENCHTRACK_ATOMICFILE_H

#include <stdio.h>

typedef struct atomic_file {
    char *target;
    char *temp;
    FILE *fp; /* write the new contents here */
} atomic_file;

/* Creates the temporary file; the target's permission bits carry over when
   it exists (else 0666 less the umask).  Returns 0, or -1 after printing a
   message.  */
int atomic_file_open(atomic_file *af, const char *target);

/* Flushes, fsyncs, renames over the target and fsyncs the directory.
   Returns 0, or -1 after printing a message and removing the temporary.  */
int atomic_file_commit(atomic_file *af);

/* Drops the new contents; the target is untouched.  */
void atomic_file_abort(atomic_file *af);

/* Frees AF once its temporary file is gone (renamed, by whoever renamed
   it, or removed): the signal handler no longer removes it.  */
void atomic_file_release(atomic_file *af);

/* fsyncs the directory DIR, which makes the renames in it durable.  */
void atomic_sync_directory(const char *dir);

#endif
