/* lifecycle.c: process and thread life-cycle cases for dhat-preload.so.

   Usage: lifecycle MODE [ARG]
     fork          parent and child allocate; the child exits with exit()
     fork-threads  fork while four threads allocate; child and parent exit
     chain N       a chain of N fork+exec generations of this program
     thread-exit   a second thread calls exit(3) while main waits
     main-pthread-exit  main calls pthread_exit; the last thread ends it
     cross-free    one thread allocates 1000 blocks, another frees them
     dlopen        dlopen libz, allocate inside it, dlclose; twice
     _exit         allocate, then _exit(0): no profile is written
     abort         allocate, then abort(): no profile is written
     peak-threads  two threads each allocate and free 1 MiB, 2000 times:
                   the peak can never pass 2 MiB (plus main's block)
     lifetime-small  4000 blocks of 0 and 16 bytes live 300 ms, then are freed
     lifetime      a 1001-byte block lives 300 ms among 2000 short ones, and
                   a 2002-byte block is still live 200 ms later, at exit
   SPDX-License-Identifier: MIT */

#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile int stop;

static void *
churn(void *arg)
{
    (void)arg;
    while (!stop) {
        void *p = malloc(64);
        free(malloc(4000));
        free(p);
    }
    return NULL;
}

static void *
exit_from_thread(void *arg)
{
    (void)arg;
    free(malloc(10));
    exit(3);
}

static void *
late(void *arg)
{
    (void)arg;
    usleep(100000);
    free(malloc(77));
    return NULL;
}

static void *
mebibytes(void *arg)
{
    (void)arg;
    for (int i = 0; i < 2000; i++) {
        char *p = malloc(1 << 20);
        p[0] = 1;
        free(p);
    }
    return NULL;
}

static void *blocks[1000];

static void *
producer(void *arg)
{
    (void)arg;
    for (int i = 0; i < 1000; i++)
        blocks[i] = malloc(16);
    return NULL;
}

static void *
consumer(void *arg)
{
    (void)arg;
    for (int i = 0; i < 1000; i++)
        free(blocks[i]);
    return NULL;
}

static int
waitchild(pid_t pid)
{
    int st;
    if (waitpid(pid, &st, 0) != pid)
        return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Calls into a library loaded at run time that allocates (zlib's
   deflateInit/deflateEnd through dlsym, no link-time dependency). */
static int
use_libz(void)
{
    void *h = dlopen("libz.so.1", RTLD_NOW);
    if (!h) {
        printf("lifecycle: libz.so.1 not available\n");
        return 0;
    }
    typedef int (*init_fn)(void *, int, const char *, int);
    typedef int (*end_fn)(void *);
    typedef const char *(*ver_fn)(void);
    void *fi = dlsym(h, "deflateInit_"), *fe = dlsym(h, "deflateEnd"),
         *fv = dlsym(h, "zlibVersion");
    init_fn init;
    end_fn end;
    ver_fn ver;
    if (!fi || !fe || !fv)
        return 1;
    memcpy(&init, &fi, sizeof fi);
    memcpy(&end, &fe, sizeof fe);
    memcpy(&ver, &fv, sizeof fv);
    /* z_stream is 112 bytes on LP64; zero means default zalloc (malloc). */
    void *strm = calloc(1, 256);
    if (init(strm, 6, ver(), 112) != 0)
        return 1;
    end(strm);
    free(strm);
    return dlclose(h) != 0;
}

int
main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";
    void *keep = malloc(1000);
    if (strcmp(mode, "fork") == 0) {
        pid_t pid = fork();
        if (pid == 0) {
            free(malloc(12345));
            exit(0);
        }
        free(malloc(54321));
        return waitchild(pid);
    }
    if (strcmp(mode, "fork-threads") == 0) {
        pthread_t t[4];
        for (int i = 0; i < 4; i++)
            pthread_create(&t[i], NULL, churn, NULL);
        usleep(20000);
        pid_t pid = fork();
        if (pid == 0) {
            /* Only this thread exists here; malloc must still work. */
            for (int i = 0; i < 1000; i++)
                free(malloc((size_t)i + 1));
            exit(0);
        }
        int rc = waitchild(pid);
        stop = 1;
        for (int i = 0; i < 4; i++)
            pthread_join(t[i], NULL);
        return rc;
    }
    if (strcmp(mode, "chain") == 0) {
        int n = argc > 2 ? atoi(argv[2]) : 0;
        if (n <= 0)
            return 0;
        char arg[16];
        snprintf(arg, sizeof arg, "%d", n - 1);
        pid_t pid = fork();
        if (pid == 0) {
            execl("/proc/self/exe", argv[0], "chain", arg, (char *)NULL);
            _exit(127);
        }
        return waitchild(pid);
    }
    if (strcmp(mode, "thread-exit") == 0) {
        pthread_t t;
        pthread_create(&t, NULL, exit_from_thread, NULL);
        pthread_join(t, NULL);
        return 1; /* not reached */
    }
    if (strcmp(mode, "main-pthread-exit") == 0) {
        pthread_t t;
        pthread_create(&t, NULL, late, NULL);
        pthread_exit(NULL);
    }
    if (strcmp(mode, "peak-threads") == 0) {
        pthread_t a, b;
        pthread_create(&a, NULL, mebibytes, NULL);
        pthread_create(&b, NULL, mebibytes, NULL);
        pthread_join(a, NULL);
        pthread_join(b, NULL);
        return 0;
    }
    if (strcmp(mode, "lifetime-small") == 0) {
        static void *small[4000];
        for (int i = 0; i < 4000; i++)
            small[i] = malloc(i % 2 ? 16 : 0);
        usleep(300000);
        for (int i = 0; i < 4000; i++)
            free(small[i]);
        return 0;
    }
    if (strcmp(mode, "lifetime") == 0) {
        char *longer = malloc(1001);
        for (int i = 0; i < 1000; i++)
            free(malloc(10));
        usleep(300000);
        for (int i = 0; i < 1000; i++)
            free(malloc(10));
        free(longer);
        keep = malloc(2002);
        usleep(200000);
        return 0;
    }
    if (strcmp(mode, "cross-free") == 0) {
        pthread_t a, b;
        pthread_create(&a, NULL, producer, NULL);
        pthread_join(a, NULL);
        pthread_create(&b, NULL, consumer, NULL);
        pthread_join(b, NULL);
        free(keep);
        return 0;
    }
    if (strcmp(mode, "dlopen") == 0) {
        int rc = use_libz() || use_libz();
        free(malloc(5));
        return rc;
    }
    if (strcmp(mode, "_exit") == 0)
        _exit(0);
    if (strcmp(mode, "abort") == 0)
        abort();
    fprintf(stderr, "lifecycle: unknown mode '%s'\n", mode);
    return 2;
}
