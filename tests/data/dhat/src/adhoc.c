/* adhoc.c: DHAT ad-hoc events (valgrind --tool=dhat --mode=ad-hoc):
   3 events of weight 10 at one site and 2 of weight 5 at another, so
   5 events and 40 units; no heap allocations are counted in this mode.
   SPDX-License-Identifier: MIT */

#include <valgrind/dhat.h>

static void
heavy(void)
{
    DHAT_AD_HOC_EVENT(10);
}

static void
light(void)
{
    DHAT_AD_HOC_EVENT(5);
}

int
main(void)
{
    for (int i = 0; i < 3; i++)
        heavy();
    for (int i = 0; i < 2; i++)
        light();
    return 0;
}
