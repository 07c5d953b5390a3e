/* basic.c: malloc, calloc, realloc and free with known totals.

   Total:     7 blocks, 372 bytes (16 + 100 + 200 + 3 * 8 + 32; the realloc
              counts as a second block of the new size)
   t-gmax:    3 blocks, 224 bytes (a, b after its realloc, one c)
   t-end:     1 block, 32 bytes (the calloc, never freed)
   SPDX-License-Identifier: MIT */

#include <stdlib.h>
#include <string.h>

void *volatile sink; /* keeps the compiler from dropping allocations */

int
main(void)
{
    char *a = malloc(16);
    memset(a, 1, 16);
    char *b = malloc(100);
    b = realloc(b, 200);
    for (int i = 0; i < 3; i++) {
        char *c = malloc(8);
        sink = c;
        free(c);
    }
    free(a);
    free(b);
    sink = calloc(4, 8);
    return 0;
}
