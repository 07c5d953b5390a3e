/* leak.c: a leak, a burst of short-lived blocks, a realloc chain and
   malloc(0), with known totals.

   Total:     20 blocks, 1491 bytes: 10 * 100 leaked, 5 * 50 freed,
              16 -> 32 -> 64 -> 128 by realloc (4 blocks, 240 bytes), and
              malloc(0), which Valgrind counts as 1 byte
   t-gmax:    15 blocks, 1250 bytes (the leaked ten and the burst of five)
   t-end:     10 blocks, 1000 bytes
   SPDX-License-Identifier: MIT */

#include <stdlib.h>

void *volatile sink;

static void
leak_ten(void)
{
    for (int i = 0; i < 10; i++)
        sink = malloc(100);
}

static void
burst(void)
{
    void *p[5];
    for (int i = 0; i < 5; i++)
        p[i] = malloc(50);
    for (int i = 0; i < 5; i++)
        free(p[i]);
}

static void
grow(void)
{
    char *p = malloc(16);
    for (size_t size = 32; size <= 128; size *= 2)
        p = realloc(p, size);
    free(p);
}

int
main(void)
{
    leak_ten();
    burst();
    grow();
    void *z = malloc(0);
    sink = z;
    free(z);
    return 0;
}
