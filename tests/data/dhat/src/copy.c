/* copy.c: memory copies for DHAT's copy mode (--mode=copy): 4 calls of
   memcpy copying 100 bytes each from main (built with -fno-builtin so
   they stay calls).  The C library's start-up may add copies of its own.
   SPDX-License-Identifier: MIT */

#include <string.h>

char src[100], dst[100];

int
main(void)
{
    for (int i = 0; i < 4; i++)
        memcpy(dst, src, sizeof dst);
    return dst[0];
}
