/* history.c: the seed columns of the history CSV.
   SPDX-License-Identifier: MIT */

#include <config.h>

#include "history.h"

#include <string.h>

const char *const history_seed_columns[HISTORY_NSEED] = {
    "commit", "version", "date",   "bench",         "metric",         "unit",  "value",
    "ci_low", "ci_high", "allocs", "allocs_ci_low", "allocs_ci_high", "rustc", "machine",
};

int
history_seed_index(const char *name)
{
    for (int i = 0; i < HISTORY_NSEED; i++)
        if (strcmp(history_seed_columns[i], name) == 0)
            return i;
    return -1;
}
