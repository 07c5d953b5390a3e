/* dhat-preload.h: the in-process API of dhat-preload.so.
 *
 * A program includes this header and calls the functions below; it does
 * not link to the library.  The functions look the library up at run time
 * (dlsym with RTLD_DEFAULT), so the same binary runs unchanged with and
 * without dhat-run: when the library is not preloaded they do nothing and
 * dhat_preload_get_stats returns -1.
 *
 * Typical use, "this call allocates exactly N times":
 *
 *     struct dhat_preload_stats st;
 *     dhat_preload_reset ();
 *     parse (input);
 *     if (dhat_preload_get_stats (&st) == 0 && st.total_blocks != 3)
 *       fail ();
 *
 * Link with -ldl on glibc older than 2.34.  See dhat-preload(3).
 * SPDX-License-Identifier: MIT
 */

#ifndef DHAT_PRELOAD_H
#define DHAT_PRELOAD_H

#include <dlfcn.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Heap totals, as dhat-rs's HeapStats.  total_* count every allocation
   (a realloc counts one block of its new size) since the start of the
   process or the last dhat_preload_reset; curr_* are the blocks live now;
   max_* the largest curr_bytes seen since then (and the blocks live at
   that moment). */
struct dhat_preload_stats {
    uint64_t total_blocks;
    uint64_t total_bytes;
    uint64_t curr_blocks;
    uint64_t curr_bytes;
    uint64_t max_blocks;
    uint64_t max_bytes;
};

typedef int (*dhat_preload_get_stats_fn)(struct dhat_preload_stats *, size_t);
typedef void (*dhat_preload_reset_fn)(void);
typedef int (*dhat_preload_write_snapshot_fn)(const char *);

/* The address of NAME in dhat-preload.so, or a null pointer.  Not cached:
   the program may be preloaded or not, and dlsym costs about a microsecond,
   which is nothing beside a measured loop. */
static inline void *
dhat_preload_lookup_(const char *name)
{
    return dlsym(RTLD_DEFAULT, name);
}

/* Nonzero when dhat-preload.so is loaded and profiling this process. */
static inline int
dhat_preload_active(void)
{
    struct dhat_preload_stats st;
    void *f = dhat_preload_lookup_("dhat_preload_api_get_stats");
    dhat_preload_get_stats_fn get;
    if (!f)
        return 0;
    memcpy(&get, &f, sizeof get);
    return get(&st, sizeof st) == 0;
}

/* Fills *ST and returns 0; returns -1 with *ST zeroed when the library is
   not loaded or does not profile this process (DHAT_ONLY). */
static inline int
dhat_preload_get_stats(struct dhat_preload_stats *st)
{
    void *f = dhat_preload_lookup_("dhat_preload_api_get_stats");
    dhat_preload_get_stats_fn get;
    memset(st, 0, sizeof *st);
    if (!f)
        return -1;
    memcpy(&get, &f, sizeof get);
    return get(st, sizeof *st);
}

/* Starts total_* at zero and max_* at the current live heap.  The profile
   written at exit still covers the whole run. */
static inline void
dhat_preload_reset(void)
{
    void *f = dhat_preload_lookup_("dhat_preload_api_reset");
    dhat_preload_reset_fn reset;
    if (!f)
        return;
    memcpy(&reset, &f, sizeof reset);
    reset();
}

/* Writes the profile so far now, to the DHAT_OUT template with %n or, if
   it has none, with "." LABEL appended.  Returns 0 on success, -1 on error
   or when the library is not loaded. */
static inline int
dhat_preload_write_snapshot(const char *label)
{
    void *f = dhat_preload_lookup_("dhat_preload_api_write_snapshot");
    dhat_preload_write_snapshot_fn snap;
    if (!f)
        return -1;
    memcpy(&snap, &f, sizeof snap);
    return snap(label);
}

#ifdef __cplusplus
}
#endif

#endif /* DHAT_PRELOAD_H */
