/* dhat.h: a streaming reader of DHAT v2 heap profiles ("dhatFileVersion":2),
   as Valgrind's DHAT, the dhat-rs crate and benchtrack's dhat-preload.so
   write them.

   Files reach hundreds of megabytes, so the reader never holds one whole:
   it walks the top-level object itself and parses one value at a time (one
   program point, one frame string, one header field), with json-c or, for
   plain program points and frames, a fast path that agrees with it.  Memory
   stays a small constant (the read buffer and the largest single program
   point) whatever the size of the file.

   Totals are exact: every counter is an unsigned 64-bit integer, and a sum
   that would overflow is an error, as are negative, fractional or
   out-of-range numbers.
   SPDX-License-Identifier: MIT */

#ifndef BENCHTRACK_DHAT_H
#define BENCHTRACK_DHAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a file counts, from its "mode".  Only heap files count heap
   allocations; in copy and ad-hoc files tb/tbk count other events.  */
enum dhat_kind {
    DHAT_HEAP,  /* "heap", "rust-heap", or any "<writer>-heap" */
    DHAT_ADHOC, /* "ad-hoc", "rust-ad-hoc": tbk events of tb units */
    DHAT_COPY   /* "copy": tbk calls copying tb bytes */
};

/* The counters summed over a file, or of one program point.  gb..ebk are
   meaningful only when the file records block lifetimes ("bklt":true).  */
typedef struct dhat_counts {
    uint64_t tb, tbk; /* total bytes and blocks allocated */
    uint64_t gb, gbk; /* bytes and blocks live at the global peak (t-gmax) */
    uint64_t eb, ebk; /* bytes and blocks still live at the end (t-end) */
} dhat_counts;

/* One program point, as passed to dhat_hooks.pp.  */
typedef struct dhat_pp {
    uint64_t index;     /* its position in "pps", from 0 */
    unsigned long line; /* the line of the file on which it starts */
    dhat_counts counts; /* gb..ebk are 0 when absent */
    const uint64_t *fs; /* frame indexes into "ftbl", innermost first */
    size_t nfs;
} dhat_pp;

/* What dhat_scan learnt about a file.  */
typedef struct dhat_info {
    char *mode; /* the "mode" string as written */
    enum dhat_kind kind;
    bool bklt;        /* block lifetimes recorded: gb..ebk are valid */
    uint64_t npps;    /* program points */
    uint64_t nframes; /* entries of "ftbl" (including "[root]") */
    dhat_counts total;
} dhat_info;

/* Optional callbacks.  Any may be NULL.  */
typedef struct dhat_hooks {
    void *ctx;
    /* Every program point, in file order.  PP and its fs are valid only
       during the call.  */
    void (*pp)(void *ctx, const dhat_pp *pp);
    /* Called once, after the last program point: sets *INDEXES to the
       frame indexes whose text the caller wants, sorted and distinct, and
       returns how many there are.  */
    size_t (*frames_wanted)(void *ctx, const uint64_t **indexes);
    /* The text of each wanted frame (not NUL-terminated; it may hold NULs
       written as \u0000).  Valid only during the call.  */
    void (*frame)(void *ctx, uint64_t index, const char *text, size_t len);
    /* Parse every program point with json-c, never with the fast path
       for plain integer objects (the two must agree: the tests check).  */
    bool json_c_only;
} dhat_hooks;

/* Reads a whole DHAT file from FD (not closed).  NAME is the file name for
   messages.  When "ftbl" precedes "pps" and frames are wanted, the frame
   table is read a second time: from FD again when it is a regular file,
   else from a temporary copy of the frame table alone.  Returns 0 and fills
   INFO (free it with dhat_info_free), or -1 after printing
   "prog: NAME:LINE: message"; INFO then needs no freeing.  The hooks may
   have been called for a file that turns out bad.  */
int dhat_scan_fd(int fd, const char *name, const dhat_hooks *hooks, dhat_info *info);

void dhat_info_free(dhat_info *info);

/* "heap", "ad-hoc" or "copy".  */
const char *dhat_kind_name(enum dhat_kind kind);

#endif
