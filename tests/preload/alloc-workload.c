/* alloc-workload.c: a malloc/free-heavy program for bench/preload.sh and
   the stress test.

   Usage: alloc-workload THREADS OPS
   OPS allocation+free pairs are shared among THREADS threads.  Each thread
   keeps 256 live blocks; each step frees a random one and allocates its
   replacement (8-1024 bytes, or 1 time in 64 up to 16 KiB) through one of
   four call sites at call depth 4, one of them calloc.  Deterministic.
   SPDX-License-Identifier: MIT */

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SLOTS = 256 };

struct job {
    unsigned long ops;
    uint64_t seed;
    unsigned long sum;
};

static uint64_t
next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Four distinct call sites, each three calls below the loop. */
__attribute__((noinline)) static void *
site_a3(size_t n)
{
    return malloc(n);
}
__attribute__((noinline)) static void *
site_a2(size_t n)
{
    return site_a3(n);
}
__attribute__((noinline)) static void *
site_a(size_t n)
{
    return site_a2(n);
}
__attribute__((noinline)) static void *
site_b3(size_t n)
{
    return malloc(n);
}
__attribute__((noinline)) static void *
site_b2(size_t n)
{
    return site_b3(n);
}
__attribute__((noinline)) static void *
site_b(size_t n)
{
    return site_b2(n);
}
__attribute__((noinline)) static void *
site_c3(size_t n)
{
    return calloc(1, n);
}
__attribute__((noinline)) static void *
site_c2(size_t n)
{
    return site_c3(n);
}
__attribute__((noinline)) static void *
site_c(size_t n)
{
    return site_c2(n);
}
__attribute__((noinline)) static void *
site_d3(size_t n)
{
    return malloc(n);
}
__attribute__((noinline)) static void *
site_d2(size_t n)
{
    return site_d3(n);
}
__attribute__((noinline)) static void *
site_d(size_t n)
{
    return site_d2(n);
}

static void *
work(void *arg)
{
    struct job *j = arg;
    void *slot[SLOTS] = {0};
    uint64_t s = j->seed;
    for (unsigned long i = 0; i < j->ops; i++) {
        uint64_t r = next(&s);
        unsigned k = (unsigned)(r % SLOTS);
        free(slot[k]);
        size_t n = (r >> 8) % 64 == 0 ? 1 + (r >> 16) % 16384 : 8 + (r >> 16) % 1017;
        void *p;
        switch ((r >> 40) % 4) {
        case 0:
            p = site_a(n);
            break;
        case 1:
            p = site_b(n);
            break;
        case 2:
            p = site_c(n);
            break;
        default:
            p = site_d(n);
        }
        if (!p)
            abort();
        ((unsigned char *)p)[0] = (unsigned char)i;
        j->sum += ((unsigned char *)p)[n - 1];
        slot[k] = p;
    }
    for (unsigned k = 0; k < SLOTS; k++)
        free(slot[k]);
    return NULL;
}

int
main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: alloc-workload THREADS OPS\n");
        return 2;
    }
    int threads = atoi(argv[1]);
    unsigned long ops = strtoul(argv[2], NULL, 10);
    if (threads < 1 || threads > 256)
        return 2;
    pthread_t tid[256];
    struct job jobs[256];
    for (int t = 0; t < threads; t++) {
        jobs[t].ops = ops / (unsigned long)threads + (t == 0 ? ops % (unsigned long)threads : 0);
        jobs[t].seed = 0x9e3779b97f4a7c15ULL * (uint64_t)(t + 1);
        jobs[t].sum = 0;
    }
    if (threads == 1) {
        work(&jobs[0]);
    } else {
        for (int t = 0; t < threads; t++)
            if (pthread_create(&tid[t], NULL, work, &jobs[t]) != 0)
                return 1;
        for (int t = 0; t < threads; t++)
            pthread_join(tid[t], NULL);
    }
    unsigned long sum = 0;
    for (int t = 0; t < threads; t++)
        sum += jobs[t].sum;
    printf("%lu\n", sum & 0xff);
    return 0;
}
