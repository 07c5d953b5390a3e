/* atomicfile.h: replace a file so that readers see the old contents or the
   new, never a half-written file.  The new contents go to a temporary file
   in the target's directory, which is flushed, fsynced and renamed over the
   target; on any failure the temporary file is removed and the target is
   left byte-identical.

   Only a regular file is ever replaced.  Everything is done relative to
   the directory, opened once (openat, renameat), so that a directory
   renamed meanwhile cannot send the new file elsewhere.
   SPDX-License-Identifier: MIT */

#ifndef BENCHTRACK_ATOMICFILE_H
#define BENCHTRACK_ATOMICFILE_H

#include <stdbool.h>
#include <stdio.h>

typedef struct atomic_file {
    char *target;   /* the file replaced, for messages */
    int dirfd;      /* its directory */
    bool own_dirfd; /* closed with the file (a batch shares one instead) */
    char *name;     /* the target's entry in dirfd */
    char *temp;     /* the temporary's entry in dirfd */
    char *lockname; /* the writers' lock file's entry, or NULL */
    int lockfd;
    FILE *fp; /* write the new contents here */
} atomic_file;

/* Starts replacing TARGET, which is either absent or a regular file.  A
   symbolic link is followed to the file it names (even one not created
   yet), which is replaced, and the link stays.  Anything else (a directory,
   a device, a FIFO, a socket) is refused.

   Before creating the temporary file it takes the writers' lock of the
   target, held until the commit or abort, so that writers of one file take
   turns; see lock_target in atomicfile.c.  Holding the lock, it removes
   the temporary files that writers killed before they could clean up left
   behind.  So a caller that reads the old contents after this call, and
   writes the new ones from them, loses no other writer's update.

   The target's permission bits carry over when it exists (else 0666 less
   the umask).  Returns 0, or -1 after printing a message.  */
int atomic_file_open(atomic_file *af, const char *target);

/* Starts replacing the entry NAME of the directory open as DIRFD (named
   DIR in messages).  The entry itself is replaced: a symbolic link there
   is not followed but replaced by the new file, so nothing outside the
   directory is ever written.  An entry that is neither a regular file nor
   a link is refused.  No lock is taken.  DIRFD must stay open until the
   file is committed or aborted.  Returns 0, or -1 after a message.  */
int atomic_file_open_at(atomic_file *af, int dirfd, const char *dir, const char *name);

/* Flushes, fsyncs, renames over the target and fsyncs the directory.
   Returns 0, or -1 after printing a message and removing the temporary.  */
int atomic_file_commit(atomic_file *af);

/* Drops the new contents; the target is untouched.  */
void atomic_file_abort(atomic_file *af);

/* Frees AF once its temporary file is gone (renamed, by whoever renamed
   it, or removed): the signal handler no longer removes it.  Releases the
   lock.  */
void atomic_file_release(atomic_file *af);

#endif
