/* atomicfile.c: write-to-temporary, fsync and rename, one writer at a
   time.
   SPDX-License-Identifier: MIT */

#include <config.h>

#include "atomicfile.h"
#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The file a write to TARGET really replaces: through a symbolic link
   (even one whose target does not exist yet) to the file it names, so that
   the link stays a link.  */
static char *
resolve_target(const char *target)
{
    char *path = xstrdup(target);
    for (int depth = 0; depth < 40; depth++) {
        struct stat st;
        if (lstat(path, &st) != 0 || !S_ISLNK(st.st_mode))
            return path;
        char link[4096];
        ssize_t n = readlink(path, link, sizeof link - 1);
        if (n < 0)
            return path;
        link[n] = '\0';
        char *next;
        const char *slash = strrchr(path, '/');
        if (link[0] == '/' || slash == NULL) {
            next = xstrdup(link);
        } else {
            char *dir = cli_directory_of(path);
            next = xmalloc(strlen(dir) + (size_t)n + 2);
            sprintf(next, "%s/%s", dir, link);
            free(dir);
        }
        free(path);
        path = next;
    }
    return path;
}

/* Every file to remove if the program is killed: the temporary files not
   yet renamed or removed (a batch holds many at once), and the lock file
   of a lock held (see lock_target).  Each is an entry of an open
   directory, so the handler needs no path.  The list changes only with
   the signals blocked, so the handler never sees it half updated.  */
typedef struct pending_entry {
    int dirfd;
    const char *name;
} pending_entry;

static pending_entry *pending;
static size_t npending, pending_cap;

static void
remove_pending(int sig)
{
    for (size_t i = 0; i < npending; i++)
        unlinkat(pending[i].dirfd, pending[i].name, 0);
    signal(sig, SIG_DFL);
    raise(sig);
}

static const int watched_signals[] = {SIGHUP, SIGINT, SIGTERM, SIGPIPE, SIGXFSZ};

/* An interrupted write leaves no temporary file behind: the usual
   terminating signals remove them all, then end the program as they
   would.  (SIGKILL cannot be caught: what it leaves, the next writer of
   the target removes; see remove_stale_temps.)  */
static void
watch_signals(void)
{
    static bool watching;
    if (watching)
        return;
    watching = true;
    for (size_t i = 0; i < sizeof watched_signals / sizeof watched_signals[0]; i++) {
        struct sigaction old;
        if (sigaction(watched_signals[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue;
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = remove_pending;
        sigemptyset(&sa.sa_mask);
        sigaction(watched_signals[i], &sa, NULL);
    }
}

static void
block_signals(sigset_t *old)
{
    sigset_t set;
    sigemptyset(&set);
    for (size_t i = 0; i < sizeof watched_signals / sizeof watched_signals[0]; i++)
        sigaddset(&set, watched_signals[i]);
    sigprocmask(SIG_BLOCK, &set, old);
}

/* Lists NAME, in DIRFD, for the handler.  Called with the signals
   blocked.  */
static void
add_pending(int dirfd, const char *name)
{
    if (npending == pending_cap) {
        pending_cap = pending_cap ? 2 * pending_cap : 16;
        pending = xreallocarray(pending, pending_cap, sizeof *pending);
    }
    pending[npending].dirfd = dirfd;
    pending[npending].name = name;
    npending++;
}

static void
drop_pending(const char *name)
{
    sigset_t old;
    block_signals(&old);
    for (size_t i = npending; i-- > 0;) {
        if (pending[i].name == name) {
            pending[i] = pending[--npending];
            break;
        }
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
}

/* The letters that replace the Xs of a temporary file's name, as mkstemp
   uses them.  */
static const char temp_letters[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
enum { TEMP_XS = 6 };

static uint64_t
next_random(void)
{
    static uint64_t state;
    if (state == 0) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        state = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 24) ^ ((uint64_t)getpid() << 40);
    }
    /* splitmix64: the names need only differ, O_EXCL does the rest.  */
    uint64_t z = (state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* ".NAME" followed by SUFFIX, NAME cut to its first 200 bytes so that the
   whole stays within NAME_MAX.  */
static char *
dot_name(const char *name, const char *suffix)
{
    size_t len = strlen(name);
    if (len > 200)
        len = 200;
    size_t size = len + strlen(suffix) + 2;
    char *s = xmalloc(size);
    snprintf(s, size, ".%.*s%s", (int)len, name, suffix);
    return s;
}

/* Creates the temporary file of AF, in its directory, as mkostemp does,
   and lists it for the handler: with the signals blocked from before it
   exists until it is listed, so none can leave it behind.  */
static int
create_temp(atomic_file *af)
{
    watch_signals();
    af->temp = dot_name(af->name, ".tmpXXXXXX");
    size_t len = strlen(af->temp);
    sigset_t old;
    block_signals(&old);
    int fd = -1;
    errno = EEXIST;
    for (int attempt = 0; attempt < 1000 && fd < 0 && errno == EEXIST; attempt++) {
        uint64_t r = next_random();
        for (size_t i = len - TEMP_XS; i < len; i++, r /= sizeof temp_letters - 1)
            af->temp[i] = temp_letters[r % (sizeof temp_letters - 1)];
        fd = openat(af->dirfd, af->temp, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    }
    int saved = errno;
    if (fd >= 0)
        add_pending(af->dirfd, af->temp);
    sigprocmask(SIG_SETMASK, &old, NULL);
    if (fd < 0) {
        /* The last name tried may be someone else's file.  */
        free(af->temp);
        af->temp = NULL;
    }
    errno = saved;
    return fd;
}

/* Whether ENTRY is a temporary file name made from PREFIX (".NAME.tmp").  */
static bool
is_temp_name(const char *entry, const char *prefix, size_t prefix_len)
{
    if (strncmp(entry, prefix, prefix_len) != 0 || strlen(entry) != prefix_len + TEMP_XS)
        return false;
    for (const char *p = entry + prefix_len; *p != '\0'; p++)
        if (strchr(temp_letters, *p) == NULL)
            return false;
    return true;
}

/* Removes the temporary files of AF's target that a writer killed by
   SIGKILL (or a crash, or a power cut) left behind: every regular file
   named like ours.  Only under the writers' lock: every writer creates
   its temporary file holding the lock, so while we hold it none of these
   files belongs to a live writer.  */
static void
remove_stale_temps(atomic_file *af)
{
    char *prefix = dot_name(af->name, ".tmp");
    size_t prefix_len = strlen(prefix);
    int fd = openat(af->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (d == NULL) {
        if (fd >= 0)
            close(fd);
        free(prefix);
        return;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        struct stat st;
        if (is_temp_name(e->d_name, prefix, prefix_len) &&
            fstatat(af->dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode))
            (void)unlinkat(af->dirfd, e->d_name, 0);
    }
    closedir(d);
    free(prefix);
}

/* F_OFD_SETLKW where the system has it: an open file description's lock
   belongs to that descriptor, not to the process, so nothing else the
   process opens or closes can drop it.  */
static int
wait_for_lock(int fd)
{
    struct flock fl;
    memset(&fl, 0, sizeof fl);
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
    int r;
#ifdef F_OFD_SETLKW
    do
        r = fcntl(fd, F_OFD_SETLKW, &fl);
    while (r != 0 && errno == EINTR);
    if (r == 0 || errno != EINVAL)
        return r;
#endif
    do
        r = fcntl(fd, F_SETLKW, &fl);
    while (r != 0 && errno == EINTR);
    return r;
}

/* Takes the writers' lock of AF's target: an fcntl write lock on the file
   ".NAME.lock" beside it.  Not on the target itself, which the rename
   replaces: a writer waiting on the old file would then go on to read a
   file that is no longer the history.  The lock file is never renamed,
   and it is removed by the holder as it lets go (so that nothing stays
   beside the history); a writer that was waiting on it meanwhile finds the
   entry gone or another file, and takes the lock again on the current
   one.  The kernel drops the lock when its holder dies, however it dies,
   so there is no stale lock: a lock file left by SIGKILL is merely
   reused.  fcntl locks work over NFS (v4, or v3 with lockd), where flock
   may lock only the local machine's view.  Returns 0, or -1 after a
   message.  */
static int
lock_target(atomic_file *af, const char *shown)
{
    af->lockname = dot_name(af->name, ".lock");
    for (;;) {
        int fd = openat(af->dirfd, af->lockname, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0666);
        if (fd < 0 || wait_for_lock(fd) != 0) {
            cli_warn("%s: cannot lock %s: %s", shown, af->lockname, strerror(errno));
            if (fd >= 0)
                close(fd);
            free(af->lockname);
            af->lockname = NULL;
            return -1;
        }
        struct stat held, now;
        if (fstat(fd, &held) == 0 &&
            fstatat(af->dirfd, af->lockname, &now, AT_SYMLINK_NOFOLLOW) == 0 &&
            held.st_dev == now.st_dev && held.st_ino == now.st_ino) {
            sigset_t old;
            watch_signals();
            block_signals(&old);
            af->lockfd = fd;
            add_pending(af->dirfd, af->lockname);
            sigprocmask(SIG_SETMASK, &old, NULL);
            return 0;
        }
        close(fd);
    }
}

static void
unlock_target(atomic_file *af)
{
    if (af->lockname == NULL)
        return;
    /* Removed while still held, so that no one locks it in between.  */
    drop_pending(af->lockname);
    unlinkat(af->dirfd, af->lockname, 0);
    close(af->lockfd);
    free(af->lockname);
    af->lockname = NULL;
    af->lockfd = -1;
}

static const char *
kind_of(mode_t mode)
{
    if (S_ISDIR(mode))
        return "directory";
    if (S_ISCHR(mode))
        return "character device";
    if (S_ISBLK(mode))
        return "block device";
    if (S_ISFIFO(mode))
        return "FIFO";
    if (S_ISSOCK(mode))
        return "socket";
    if (S_ISLNK(mode))
        return "symbolic link";
    return "special file";
}

static void
clear(atomic_file *af)
{
    af->target = af->name = af->temp = af->lockname = NULL;
    af->dirfd = af->lockfd = -1;
    af->own_dirfd = false;
    af->fp = NULL;
}

/* Creates the temporary file, with the target's permissions, and opens it
   for writing.  ST is the target's status, or NULL when there is none to
   copy.  Returns 0, or -1 after a message.  */
static int
start_temp(atomic_file *af, const char *shown, const struct stat *st)
{
    int fd = create_temp(af);
    if (fd < 0) {
        cli_warn("%s: cannot create a temporary file beside it: %s", shown, strerror(errno));
        return -1;
    }
    if (st != NULL) {
        /* The new file keeps the old one's owner where we may set it, and
           its permission bits.  */
        if (fchown(fd, st->st_uid, st->st_gid) != 0)
            (void)fchown(fd, (uid_t)-1, st->st_gid);
        (void)fchmod(fd, st->st_mode & 07777);
    } else {
        mode_t mask = umask(0);
        umask(mask);
        (void)fchmod(fd, 0666 & ~mask);
    }
    af->fp = fdopen(fd, "w");
    if (af->fp == NULL) {
        cli_warn("%s: %s", shown, strerror(errno));
        close(fd);
        return -1;
    }
    return 0;
}

/* Undoes a failed open: whatever of AF exists goes.  */
static int
fail_open(atomic_file *af)
{
    atomic_file_abort(af);
    return -1;
}

int
atomic_file_open(atomic_file *af, const char *target)
{
    clear(af);
    af->target = resolve_target(target);
    const char *slash = strrchr(af->target, '/');
    af->name = xstrdup(slash ? slash + 1 : af->target);
    char *dir = cli_directory_of(af->target);
    af->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int saved = af->dirfd < 0 ? errno : EISDIR;
    free(dir);
    af->own_dirfd = true;
    if (af->dirfd < 0 || af->name[0] == '\0') {
        cli_warn("%s: cannot create a temporary file beside it: %s", target, strerror(saved));
        return fail_open(af);
    }

    /* Renaming over a device, a FIFO or a socket would replace the node,
       not write to it: "-o /dev/null" would destroy /dev/null.  */
    struct stat st;
    bool exists = fstatat(af->dirfd, af->name, &st, AT_SYMLINK_NOFOLLOW) == 0;
    if (exists && !S_ISREG(st.st_mode)) {
        if (strcmp(target, af->target) == 0)
            cli_warn("%s: is a %s, not a regular file", target, kind_of(st.st_mode));
        else
            cli_warn("%s: links to %s, a %s, not a regular file", target, af->target,
                     kind_of(st.st_mode));
        return fail_open(af);
    }
    if (lock_target(af, target) != 0)
        return fail_open(af);
    remove_stale_temps(af);
    /* The target as it is now that no other writer can change it.  */
    exists = fstatat(af->dirfd, af->name, &st, AT_SYMLINK_NOFOLLOW) == 0;
    if (exists && !S_ISREG(st.st_mode)) {
        cli_warn("%s: is a %s, not a regular file", af->target, kind_of(st.st_mode));
        return fail_open(af);
    }
    if (start_temp(af, target, exists ? &st : NULL) != 0)
        return fail_open(af);
    return 0;
}

int
atomic_file_open_at(atomic_file *af, int dirfd, const char *dir, const char *name)
{
    clear(af);
    af->dirfd = dirfd;
    af->name = xstrdup(name);
    size_t size = strlen(dir) + strlen(name) + 2;
    af->target = xmalloc(size);
    snprintf(af->target, size, "%s/%s", dir, name);
    struct stat st;
    bool exists = fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
    if (exists && !S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode)) {
        cli_warn("%s: is a %s, not a regular file", af->target, kind_of(st.st_mode));
        return fail_open(af);
    }
    /* A link's target is not ours to look at: the new file gets the
       default permissions.  */
    if (start_temp(af, af->target, exists && S_ISREG(st.st_mode) ? &st : NULL) != 0)
        return fail_open(af);
    return 0;
}

void
atomic_file_release(atomic_file *af)
{
    if (af->temp != NULL)
        drop_pending(af->temp);
    unlock_target(af);
    if (af->own_dirfd && af->dirfd >= 0)
        close(af->dirfd);
    free(af->temp);
    free(af->name);
    free(af->target);
    clear(af);
}

void
atomic_file_abort(atomic_file *af)
{
    if (af->target == NULL)
        return;
    if (af->fp != NULL) {
        fclose(af->fp);
        af->fp = NULL;
    }
    if (af->temp != NULL)
        unlinkat(af->dirfd, af->temp, 0);
    atomic_file_release(af);
}

int
atomic_file_commit(atomic_file *af)
{
    int saved;
    if (fflush(af->fp) != 0 || ferror(af->fp) || fsync(fileno(af->fp)) != 0) {
        saved = errno;
        cli_warn("%s: write error: %s", af->target, strerror(saved));
        atomic_file_abort(af);
        return -1;
    }
    int closed = fclose(af->fp);
    af->fp = NULL;
    if (closed != 0) {
        saved = errno;
        cli_warn("%s: write error: %s", af->target, strerror(saved));
        atomic_file_abort(af);
        return -1;
    }
    if (renameat(af->dirfd, af->temp, af->dirfd, af->name) != 0) {
        saved = errno;
        cli_warn("%s: cannot replace: %s", af->target, strerror(saved));
        atomic_file_abort(af);
        return -1;
    }
    /* The rename is durable only once the directory entry is.  */
    (void)fsync(af->dirfd);
    atomic_file_release(af);
    return 0;
}
