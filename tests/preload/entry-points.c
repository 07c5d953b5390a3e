/* entry-points.c: calls every allocation entry point and checks what the
   C library promises (alignment, errno, argument checks); when
   dhat-preload.so is loaded, also checks the counts each call adds.

   Usage: entry-points [valgrind]
   "valgrind" leaves out the calls Valgrind's DHAT cannot take (pvalloc
   aborts it) or counts differently, so that totals can be compared; the
   program then prints the sizes it asked for.
   SPDX-License-Identifier: MIT */

#define _GNU_SOURCE
#include "dhat-preload.h"

#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int failed;
static int active;
static struct dhat_preload_stats before;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "entry-points: line %d: check failed: %s\n", __LINE__, #cond);         \
            failed = 1;                                                                            \
        }                                                                                          \
    } while (0)

static void
mark(void)
{
    /* Not under Valgrind: a failed dlsym allocates (the dlerror text). */
    if (active)
        dhat_preload_get_stats(&before);
}

/* The calls since mark() added BLOCKS blocks of BYTES bytes in all. */
static void
expect(int line, uint64_t blocks, uint64_t bytes)
{
    struct dhat_preload_stats now;
    if (!active)
        return;
    dhat_preload_get_stats(&now);
    if (now.total_blocks - before.total_blocks != blocks ||
        now.total_bytes - before.total_bytes != bytes) {
        fprintf(stderr,
                "entry-points: line %d: counted %llu blocks, %llu bytes; expected %llu, %llu\n",
                line, (unsigned long long)(now.total_blocks - before.total_blocks),
                (unsigned long long)(now.total_bytes - before.total_bytes),
                (unsigned long long)blocks, (unsigned long long)bytes);
        failed = 1;
    }
}
#define EXPECT(blocks, bytes) expect(__LINE__, blocks, bytes)

static int
aligned(void *p, size_t a)
{
    return ((uintptr_t)p & (a - 1)) == 0;
}

int
main(int argc, char **argv)
{
    int vg = argc > 1 && strcmp(argv[1], "valgrind") == 0;
    long page = sysconf(_SC_PAGESIZE);
    active = vg ? 0 : dhat_preload_active();
    /* Let stdio allocate its buffer now. */
    printf("entry-points: profiler %s\n", active ? "active" : "absent");
    fflush(stdout);

    mark();
    char *a = malloc(100);
    CHECK(a != NULL);
    memset(a, 1, 100);
    EXPECT(1, 100);
    /* The whole usable area is the caller's: writing it all must not
       disturb the profiler's bookkeeping (checked when it is freed). */
    CHECK(malloc_usable_size(a) >= 100);
    memset(a, 0xa5, malloc_usable_size(a));

    mark();
    void *z = malloc(0); /* Valgrind counts this one as 1 byte */
    CHECK(z != NULL);
    EXPECT(1, 0);

    mark();
    int *c = calloc(4, 8);
    CHECK(c != NULL && c[0] == 0 && c[7] == 0);
    EXPECT(1, 32);

    mark();
    char *r = realloc(NULL, 10);
    CHECK(r != NULL);
    memset(r, 2, 10);
    r = realloc(r, 20000); /* grows, likely moves */
    CHECK(r != NULL && r[9] == 2);
    r = realloc(r, 5); /* shrinks */
    CHECK(r != NULL && r[4] == 2);
    EXPECT(3, 10 + 20000 + 5);

    mark();
    int *ra = reallocarray(NULL, 3, 4);
    CHECK(ra != NULL);
    EXPECT(1, 12);

    mark();
    void *p64 = NULL;
    CHECK(posix_memalign(&p64, 64, 100) == 0 && aligned(p64, 64));
    void *am = aligned_alloc(64, 10);
    CHECK(am != NULL && aligned(am, 64));
    void *mm = memalign(128, 50);
    CHECK(mm != NULL && aligned(mm, 128));
    void *va = valloc(10);
    CHECK(va != NULL && aligned(va, (size_t)page));
    EXPECT(4, 100 + 10 + 50 + 10);
    CHECK(malloc_usable_size(p64) >= 100);
    memset(p64, 0xa5, malloc_usable_size(p64));
    CHECK(malloc_usable_size(mm) >= 50);
    memset(mm, 0xa5, malloc_usable_size(mm));

    if (!vg) {
        mark();
        void *pv = pvalloc(10);
        CHECK(pv != NULL && aligned(pv, (size_t)page));
        EXPECT(1, (uint64_t)page);
        free(pv);

        /* Failures are passed through and not counted. */
        /* volatile: the compiler must not see the sizes. */
        volatile size_t huge = SIZE_MAX / 8 + 2, half = SIZE_MAX / 2, most = SIZE_MAX - 8;
        mark();
        errno = 0;
        CHECK(calloc(huge, 8) == NULL && errno == ENOMEM);
        errno = 0;
        CHECK(reallocarray(NULL, half, 3) == NULL && errno == ENOMEM);
        errno = 0;
        CHECK(malloc(most) == NULL && errno == ENOMEM);
        void *bad = NULL;
        CHECK(posix_memalign(&bad, 3 * sizeof(void *), 10) == EINVAL);
        CHECK(posix_memalign(&bad, sizeof(void *) / 2, 10) == EINVAL);
        /* glibc before 2.38 accepts this alignment; the C standard and
           we do not. */
        errno = 0;
        if (active)
            CHECK(aligned_alloc(24, 10) == NULL && errno == EINVAL);
        EXPECT(0, 0);

        /* realloc(p, 0) frees p (glibc) and counts nothing. */
        struct dhat_preload_stats s1, s2;
        void *q = malloc(7);
        dhat_preload_get_stats(&s1);
        CHECK(realloc(q, 0) == NULL);
        dhat_preload_get_stats(&s2);
        if (active)
            CHECK(s2.curr_blocks + 1 == s1.curr_blocks && s2.total_blocks == s1.total_blocks);

        /* cfree, where the library provides it. */
        if (active) {
            void *cf = dlsym(RTLD_DEFAULT, "cfree");
            void (*cfree_fn)(void *);
            CHECK(cf != NULL);
            memcpy(&cfree_fn, &cf, sizeof cf);
            dhat_preload_get_stats(&s1);
            cfree_fn(malloc(3));
            dhat_preload_get_stats(&s2);
            CHECK(s2.curr_blocks == s1.curr_blocks);
        }
    }

    /* Every block above is found again by free, whatever was written
       into its usable area, and leaves with exactly its size. */
    struct dhat_preload_stats live0, live1;
    if (active) /* not under Valgrind: see mark() */
        dhat_preload_get_stats(&live0);

    /* free keeps errno. */
    errno = 1234;
    free(a);
    CHECK(errno == 1234);
    free(NULL);
    CHECK(errno == 1234);

    free(z);
    free(c);
    free(r);
    free(ra);
    free(p64);
    free(am);
    free(mm);
    free(va);
    if (active) {
        dhat_preload_get_stats(&live1);
        CHECK(live0.curr_blocks - live1.curr_blocks == 9 &&
              live0.curr_bytes - live1.curr_bytes == 100 + 0 + 32 + 5 + 12 + 100 + 10 + 50 + 10);
    }
    if (vg)
        printf("entry-points: asked for 8 blocks besides stdio, one of them malloc(0)\n");
    return failed;
}
