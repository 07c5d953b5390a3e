/* atomicfile.c: write-to-temporary, fsync and rename.
   SPDX-License-Identifier: MIT */

#include <config.h>

#include "atomicfile.h"
#include "cli.h"

#include <errno.h>
#include <stdbool.h>
#include <signal.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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
        if (link[0] == '/') {
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

/* Every temporary file not yet renamed or removed (a batch holds many at
   once), for the signal handler.  The list changes only with the signals
   blocked, so the handler never sees it half updated.  */
static char **pending;
static size_t npending, pending_cap;

static void
remove_pending(int sig)
{
    for (size_t i = 0; i < npending; i++)
        unlink(pending[i]);
    signal(sig, SIG_DFL);
    raise(sig);
}

static const int watched_signals[] = {SIGHUP, SIGINT, SIGTERM, SIGPIPE, SIGXFSZ};

/* An interrupted write leaves no temporary file behind: the usual
   terminating signals remove them all, then end the program as they
   would.  */
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

/* Creates the temporary file named by the template TEMP, as mkostemp
   does, and lists it for the handler: with the signals blocked from before
   it exists until it is listed, so none can leave it behind.  */
static int
create_pending(char *temp)
{
    watch_signals();
    sigset_t old;
    block_signals(&old);
    if (npending == pending_cap) {
        pending_cap = pending_cap ? 2 * pending_cap : 16;
        pending = xreallocarray(pending, pending_cap, sizeof *pending);
    }
    int fd = mkostemp(temp, O_CLOEXEC);
    int saved = errno;
    if (fd >= 0)
        pending[npending++] = temp;
    sigprocmask(SIG_SETMASK, &old, NULL);
    errno = saved;
    return fd;
}

static void
drop_pending(const char *temp)
{
    sigset_t old;
    block_signals(&old);
    for (size_t i = npending; i-- > 0;) {
        if (pending[i] == temp) {
            pending[i] = pending[--npending];
            break;
        }
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
}

int
atomic_file_open(atomic_file *af, const char *target)
{
    af->target = resolve_target(target);
    af->fp = NULL;
    char *dir = cli_directory_of(af->target);
    const char *slash = strrchr(af->target, '/');
    const char *base = slash ? slash + 1 : af->target;
    /* A dot file beside the target, so that a crash leaves nothing that
       looks like a result, and rename stays within one file system.  A long
       name gets a short temporary one, to stay within NAME_MAX.  */
    if (strlen(base) > 200)
        base = "benchtrack";
    size_t size = strlen(dir) + strlen(base) + 32;
    af->temp = xmalloc(size);
    snprintf(af->temp, size, "%s/.%s.tmpXXXXXX", dir, base);
    free(dir);

    int fd = create_pending(af->temp);
    if (fd < 0) {
        cli_warn("%s: cannot create a temporary file beside it: %s", target, strerror(errno));
        free(af->temp);
        free(af->target);
        af->temp = af->target = NULL;
        return -1;
    }
    struct stat st;
    if (stat(af->target, &st) == 0) {
        /* The new file keeps the old one's owner where we may set it, and
           its permission bits.  */
        if (fchown(fd, st.st_uid, st.st_gid) != 0)
            (void)fchown(fd, (uid_t)-1, st.st_gid);
        (void)fchmod(fd, st.st_mode & 07777);
    } else {
        mode_t mask = umask(0);
        umask(mask);
        (void)fchmod(fd, 0666 & ~mask);
    }
    af->fp = fdopen(fd, "w");
    if (af->fp == NULL) {
        cli_warn("%s: %s", af->temp, strerror(errno));
        close(fd);
        unlink(af->temp);
        drop_pending(af->temp);
        free(af->temp);
        free(af->target);
        af->temp = af->target = NULL;
        return -1;
    }
    return 0;
}

void
atomic_file_release(atomic_file *af)
{
    drop_pending(af->temp);
    free(af->temp);
    free(af->target);
    af->temp = af->target = NULL;
    af->fp = NULL;
}

void
atomic_sync_directory(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
}

void
atomic_file_abort(atomic_file *af)
{
    if (af->temp == NULL)
        return;
    if (af->fp != NULL)
        fclose(af->fp);
    unlink(af->temp);
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
    if (fclose(af->fp) != 0) {
        af->fp = NULL;
        saved = errno;
        cli_warn("%s: write error: %s", af->target, strerror(saved));
        atomic_file_abort(af);
        return -1;
    }
    af->fp = NULL;
    if (rename(af->temp, af->target) != 0) {
        saved = errno;
        cli_warn("%s: cannot replace: %s", af->target, strerror(saved));
        atomic_file_abort(af);
        return -1;
    }
    /* The rename is durable only once the directory entry is.  */
    char *dir = cli_directory_of(af->target);
    atomic_sync_directory(dir);
    free(dir);
    atomic_file_release(af);
    return 0;
}
