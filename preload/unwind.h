/* unwind.h: a call-stack walker for dhat-preload.so, driven by the
 * .eh_frame CFI of each object, with a per-thread cache of whole stacks.
 *
 * unwind_site answers "which call site is this?" for the current stack.
 * A miss walks the stack frame by frame (x86-64 only) and hands the return
 * addresses to a callback that names the site; the answer is cached with
 * the stack words the walk read.  A hit only checks that those words still
 * hold the same values, which are independent loads, and returns the
 * cached answer without walking.
 *
 * Nothing here calls malloc after unwind_init: tables are anonymous
 * mappings, and the hit and walk paths take no lock.  Where the walker
 * cannot follow a frame (signal frames, CFA or return address computed by
 * a DWARF expression, a register other than rsp or rbp as the CFA, no
 * .eh_frame_hdr table, another architecture) it says so, and the caller
 * uses another unwinder (libunwind).
 *
 * SPDX-License-Identifier: MIT
 */

#ifndef BENCHTRACK_UNWIND_H
#define BENCHTRACK_UNWIND_H

#include <stdint.h>

enum { UNWIND_MAX_FRAMES = 64, UNWIND_FALLBACK = 0xffffffffu };

/* A thread's cache of stacks, opaque. */
struct unwind_cache;

/* Once, from the library constructor.  It may allocate (dlsym), so the
   caller runs it under its recursion guard; nothing else in this module
   ever allocates.  Returns 1 when the fast walker works here (x86-64 with
   glibc's _dl_find_object), else 0: then unwind_site returns
   UNWIND_FALLBACK and unwind_backtrace -1. */
int unwind_init(void);

/* Forgets every cached rule and stack.  Call it before dlclose unmaps
   code, and whenever SITE_OF's answers change (a reset of the site table).
   Thread- and signal-safe: it bumps a generation that lookups compare. */
void unwind_invalidate(void);

/* Names the call site of a stack: IPS[0..N) as unwind_backtrace gives
   them.  It must answer the same for the same IPS until the next
   unwind_invalidate, and must not return UNWIND_FALLBACK. */
typedef uint32_t (*unwind_site_fn)(uintptr_t *ips, int n);

/* The call-site id of the current stack.  ips[0] is the return address
   into the caller of unwind_site (the interposed malloc), ips[1] that
   caller's return address, and so on, at most MAX entries (1 to
   UNWIND_MAX_FRAMES + 1), exactly what unw_backtrace gives when called
   from the caller.  On a hit returns the cached id; on a miss walks,
   calls SITE_OF (IPS, N) and caches its answer.  *CACHE is the calling
   thread's cache; when it is NULL one is taken from the pool (or mapped)
   and stored there.  Returns UNWIND_FALLBACK, and caches nothing, when
   some frame is beyond this walker or no cache could be mapped. */
uint32_t unwind_site(struct unwind_cache **cache, int max, unwind_site_fn site_of);

/* The same walk, uncached: fills IPS (at most MAX entries, as above, with
   ips[0] the return address into the caller of unwind_backtrace) and
   returns how many, or -1 when some frame is beyond this walker. */
int unwind_backtrace(uintptr_t *ips, int max);

/* The thread that owned CACHE is exiting: its cache is emptied and goes
   back to the pool for the next thread.  NULL is fine. */
void unwind_cache_release(struct unwind_cache *cache);

/* unwind_site's outcomes since the process started, summed over every
   thread (their caches are never unmapped, so exited threads count too;
   a forked child inherits its parent's counts).  The sums are read
   without locking: exact once the counting threads are quiet. */
void unwind_stats(uint64_t *hits, uint64_t *misses, uint64_t *fallbacks);

#endif /* BENCHTRACK_UNWIND_H */
