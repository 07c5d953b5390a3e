/* atomicfile.c: write-to-temporary, fsync and rename.
   SPDX-License-Identifier: MIT */

#include <config.h>

#include "atomicfile.h"
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *
directory_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL)
        return xstrdup(".");
    if (slash == path)
        return xstrdup("/");
    return xstrndup(path, (size_t)(slash - path));
}

int
atomic_file_open(atomic_file *af, const char *target)
{
    af->target = xstrdup(target);
    af->fp = NULL;
    char *dir = directory_of(target);
    const char *base = strrchr(target, '/') ? strrchr(target, '/') + 1 : target;
    size_t size = strlen(dir) + strlen(base) + 32;
    af->temp = xmalloc(size);
    /* A dot file beside the target, so that a crash leaves nothing that
       looks like a result, and rename stays within one file system.  */
    snprintf(af->temp, size, "%s/.%s.tmpXXXXXX", dir, base);
    free(dir);

    int fd = mkostemp(af->temp, O_CLOEXEC);
    if (fd < 0) {
        cli_warn("%s: cannot create a temporary file beside it: %s", target, strerror(errno));
        free(af->temp);
        free(af->target);
        af->temp = af->target = NULL;
        return -1;
    }
    struct stat st;
    mode_t mode;
    if (stat(target, &st) == 0) {
        mode = st.st_mode & 07777;
    } else {
        mode_t mask = umask(0);
        umask(mask);
        mode = 0666 & ~mask;
    }
    (void)fchmod(fd, mode);
    af->fp = fdopen(fd, "w");
    if (af->fp == NULL) {
        cli_warn("%s: %s", af->temp, strerror(errno));
        close(fd);
        unlink(af->temp);
        free(af->temp);
        free(af->target);
        af->temp = af->target = NULL;
        return -1;
    }
    return 0;
}

static void
release(atomic_file *af)
{
    free(af->temp);
    free(af->target);
    af->temp = af->target = NULL;
    af->fp = NULL;
}

void
atomic_file_abort(atomic_file *af)
{
    if (af->temp == NULL)
        return;
    if (af->fp != NULL)
        fclose(af->fp);
    unlink(af->temp);
    release(af);
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
    char *dir = directory_of(af->target);
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        (void)fsync(dfd);
        close(dfd);
    }
    free(dir);
    release(af);
    return 0;
}
