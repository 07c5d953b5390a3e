/* history.h: the history CSV that every benchtrack program shares (see
   docs/design.md): its seed columns, in their output order.
   SPDX-License-Identifier: MIT */

#ifndef BENCHTRACK_HISTORY_H
#define BENCHTRACK_HISTORY_H

enum { HISTORY_NSEED = 14 };

extern const char *const history_seed_columns[HISTORY_NSEED];

/* The position of NAME among the seed columns, or -1.  */
int history_seed_index(const char *name);

#endif
