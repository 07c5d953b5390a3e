/* runs.c: N blocks of 32 bytes, N from the command line, so that repeated
   "runs" of one benchmark differ by known amounts.
   Total: N blocks, 32 * N bytes; t-gmax: N blocks; t-end: none.
   SPDX-License-Identifier: MIT */

#include <stdlib.h>

int
main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 10;
    void **p = __builtin_alloca((size_t)n * sizeof *p);
    for (int i = 0; i < n; i++)
        p[i] = malloc(32);
    for (int i = 0; i < n; i++)
        free(p[i]);
    return 0;
}
