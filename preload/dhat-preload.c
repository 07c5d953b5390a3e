/* dhat-preload.c: an LD_PRELOAD heap profiler that writes DHAT v2 files.

   Every allocation entry point of the C library is interposed.  Each block
   gets a 16-byte header just before it (size, call site, and a keyed check
   word; see "headers"), so free() needs no lookup in a shared table;
   counters live in per-thread tables indexed by call site and
   are summed when a profile is written.  Nothing here calls malloc: every
   table is an anonymous mapping, and while this code runs the thread's
   "busy" flag makes any allocation it causes (the unwinder, dlopen, dladdr)
   pass straight through to the real allocator, untracked.  A signal
   handler's allocations are counted all the same (see "signal handlers").

   See dhat-preload(3) for the environment variables, what the numbers
   mean and the limits of the header layout.
   SPDX-License-Identifier: MIT */

#define _GNU_SOURCE
#include <config.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <gnu/libc-version.h>
#include <link.h>
#include <limits.h>
#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "unwind.h"

#define EXPORT __attribute__((visibility("default")))
#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)
#define RELAXED __ATOMIC_RELAXED
#define LINE __attribute__((aligned(64)))

/* Limits.  Tables are reserved address space (MAP_NORESERVE) and only the
   pages touched cost memory. */
enum {
    MAX_SITES = 1 << 18,  /* distinct raw call stacks */
    SITE_SLOTS = 1 << 19, /* open-addressed index over them */
    FRAME_POOL = 1 << 23, /* return addresses stored, all sites */
    MAX_FRAMES = 64,      /* DHAT_FRAMES upper bound */
    MAX_THREADS = 4096,   /* per-thread states alive at once */
    SITE_BEFORE_INIT = 0, /* also the only site with DHAT_FRAMES=0 */
    SITE_OVERFLOW = 1,    /* the site table is full */
    FIRST_SITE = 2,
    FLUSH_BYTES = 256 * 1024, /* per-thread live-bytes batching */
    FREE_TICK = 64 * 1024, /* c0: the clock every this much free_pace (see there) */
    BOOT_ARENA = 64 * 1024,
};

/* Exported, beside the allocator's own names. */
void cfree(void *p);
int dhat_preload_api_get_stats(void *out, size_t size);
void dhat_preload_api_reset(void);
int dhat_preload_api_write_snapshot(const char *label);

/* ---------------------------------------------------------------- state */

/* Per call site counters of one thread.  A thread that frees a block
   allocated elsewhere subtracts in its own table, so single entries can be
   negative; the sums over threads are exact. */
struct site_ctr {
    int64_t tb, tbk; /* bytes and blocks allocated */
    int64_t tl;      /* sum of t_free, minus sum of t_alloc */
    int64_t cb, cbk; /* live bytes and blocks */
    int64_t mb, mbk; /* this thread's view of the site's maximum */
    int64_t pad;
};

/* A thread's counters.  With call stacks they are per site (SITES) and
   the live change not yet flushed to g_live (DBYTES, DBLOCKS).  Without
   (DHAT_FRAMES=0, and before the constructor has read it) every block is
   site 0, and a lighter set serves it, the "c0" counters: bytes and blocks
   allocated and freed, from which live bytes follow; lifetimes settled at
   each clock read, every 64th allocation and every 64th free or 64 KiB
   freed (see free_pace);
   and LIMIT and FB_NEXT, the values of AB - FB and of FB past which a new
   peak, a flush or a clock read may be due, so that each fast path's
   check is one comparison.  Readers add both sets. */
struct tstate {
    struct site_ctr *sites;  /* MAX_SITES entries */
    int64_t dbytes, dblocks; /* live change not yet flushed to g_live */
    int64_t ab, abk, fb, fbk;     /* c0: allocated and freed */
    int64_t limit;                /* c0: see above */
    int64_t limit_un;             /* the same for dbytes + the c0 change */
    int64_t fb_next;              /* c0: free_pace past this, a free's slow step is due */
    int64_t tick_next;            /* c0: free_pace past this, the clock is due */
    int64_t flushed_b, flushed_k; /* c0: ab - fb, abk - fbk at the last flush */
    int64_t tl;                   /* c0: lifetimes, settled */
    int64_t now;                  /* c0: the time of the operations since... */
    int64_t mark_abk, mark_fbk;   /* ...the last clock read, at these counts */
    /* The stack walker's cache of stacks, kept with the state: a thread
       that takes the state over after its owner exits (or, in a forked
       child, the thread that forked) inherits it, and every entry is
       checked against the stack anyway. */
    struct unwind_cache *ucache;
    int is_shadow;                /* g_shadow (see nested_state) */
    int dead;                     /* the thread has exited; reusable */
};

struct site {
    uint64_t hash;
    uint32_t off; /* into g_frames */
    uint32_t n;
};

static struct {
    /* The allocator we forward to. */
    void *(*malloc)(size_t);
    void (*free)(void *);
    void *(*calloc)(size_t, size_t);
    void *(*realloc)(void *, size_t);
    int (*posix_memalign)(void **, size_t, size_t);
    void *(*aligned_alloc)(size_t, size_t);
    void *(*memalign)(size_t, size_t);
    void *(*valloc)(size_t);
    size_t (*usable)(void *);
    int (*dlclose)(void *);
} real;

/* Unwinders, found with dlopen(RTLD_LOCAL) so that neither pollutes the
   program's symbol scope (libunwind.so.8 exports its own _Unwind_* which
   would otherwise take over the program's C++ exceptions). */
/* Our own walker (unwind.c) comes first where it works; these take the
   stacks it cannot follow. */
static int g_own_unwinder;
static int (*unw_backtrace_fn)(void **, int);
typedef int (*unwind_cb)(void *, void *);
static int (*gcc_backtrace_fn)(unwind_cb, void *);
static uintptr_t (*gcc_getip_fn)(void *);

enum { ST_NONE, ST_RESOLVING, ST_READY };
static int g_state;        /* ST_* */
static int g_tracking = 1; /* 0: pass everything through */
/* The DHAT_FRAMES=0 fast path is on: resolved, tracking, no call stacks.
   One flag for the hooks to test instead of three. */
static int g_fast;
/* The real free() keeps errno (glibc 2.33 and later): no need to save it. */
static int g_free_keeps_errno;
/* free()'s fast paths apply (tracking, glibc's allocator behind us, with
   a chunk header before every block, and its free keeps errno), with c0
   counting or with call sites. */
enum { FREE_GENERAL, FREE_C0, FREE_SITES };
static int g_free_mode;


static int g_multi;        /* a second thread has allocated */
static int g_glibc_layout; /* glibc's allocator is behind us (see may_have_hdr) */
static uint64_t g_secret;
/* The key of this process's block headers (see gen_key): a header made by
   an ancestor before a fork does not match it, so that the fast paths need
   no separate test of the generation. */
static uint64_t g_hdr_key;
static struct timespec g_t0;

/* All per-thread variables in one initial-exec TLS block: a shared object
   finds its TLS offset through the GOT, once per block rather than once per
   variable. */
/* The values of the busy flag.  BUSY_HOOK: in a hook, in code that never
   allocates, so that a call arriving now comes from a signal handler that
   interrupted it (counted, see nested_state).  BUSY_OWN: in code that may
   allocate for our own needs (an unwinder, dlopen, dladdr, writing the
   profile): such calls pass through untracked, a handler's with them. */
enum { BUSY_HOOK = 1, BUSY_OWN = 2 };

static __thread struct {
    int busy;    /* inside a hook (BUSY_*): allocations are not counted as usual */
    int exiting; /* past the TLS destructor: counters in g_spare */
    struct tstate *ts;
    /* The state as the fast paths see it: ts when not busy (and, for
       allocation, while g_fast is on), else NULL, so that each tests one
       word.  Recomputed whenever busy changes; g_fast changes only while
       its writer is busy (another thread running then keeps its old view
       until its next slow step, and counts a few blocks at site 0). */
    struct tstate *fast_free, *fast_free_sites, *fast_alloc;
    uintptr_t entry; /* see site_here */
} tls __attribute__((tls_model("initial-exec")));
#define tls_busy tls.busy
/* Sets the busy flag (and with it the fast paths' view of the state).  The
   compiler must not move counting across it: a signal handler reads it. */
#define busy_set(v)                                                                                \
    ((void)(__atomic_signal_fence(__ATOMIC_SEQ_CST), tls.busy = (v),                               \
            __atomic_signal_fence(__ATOMIC_SEQ_CST), fast_views()))
#define tls_exiting tls.exiting
#define tls_ts tls.ts
#define tls_entry tls.entry

static void
fast_views(void)
{
    struct tstate *ts = tls.busy ? NULL : tls.ts;
    int mode = __atomic_load_n(&g_free_mode, RELAXED);
    tls.fast_free = mode == FREE_C0 ? ts : NULL;
    tls.fast_free_sites = mode == FREE_SITES ? ts : NULL;
    tls.fast_alloc = __atomic_load_n(&g_fast, __ATOMIC_ACQUIRE) ? ts : NULL;
}

static pthread_key_t g_key;
static int g_key_ok;

/* Locks: test-and-set spinlocks (a futex would do as well; these are held
   for a few instructions, or during a report). */
static int reg_lock LINE, site_lock LINE, peak_lock LINE, spare_lock LINE, report_lock LINE;

/* Each thread's state, and g_shadow. */
static struct tstate *g_states[MAX_THREADS + 1];
static int g_nstates;
static int g_nowners; /* the states of threads */
/* The counters of the calls that signal handlers make while their thread
   is inside a hook (see nested_state); in g_states too. */
static struct tstate *g_shadow;
static struct tstate g_spare; /* threads past their TLS destructor */

static struct site *g_sites;
static uint32_t *g_slots;
static uintptr_t *g_frames_pool;
static uint32_t g_nsites = FIRST_SITE, g_nframes;

/* Global live heap (flushed deltas), the peaks, and the gb snapshot.  The
   written variables get cache lines of their own: every allocation reads
   the configuration above, and must not miss because a flush wrote near
   it. */
static int64_t g_live_bytes LINE, g_live_blocks;
static int64_t g_api_peak_bytes LINE, g_api_peak_blocks;
static int g_snap_pending;
static int64_t g_peak_bytes LINE, g_peak_blocks, g_tg; /* whole run */
static int64_t g_base_blocks, g_base_bytes;            /* dhat_preload_api_reset */
static int64_t *g_gb;                                  /* 2 per site: bytes, blocks at the peak */

/* Configuration, read by the constructor. */
static char g_out[PATH_MAX];
static char g_cwd[PATH_MAX];
static char g_exe[256];
static unsigned g_seq;
static int g_ctor_done;

static char g_boot[BOOT_ARENA] __attribute__((aligned(64)));
static size_t g_boot_used;

#if defined(__x86_64__) || defined(__i386__)
#define cpu_relax() __builtin_ia32_pause()
#else
#define cpu_relax() ((void)0)
#endif

static void
spin_lock(int *l)
{
    while (__atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE))
        while (__atomic_load_n(l, RELAXED))
            cpu_relax();
}

static void
spin_unlock(int *l)
{
    __atomic_store_n(l, 0, __ATOMIC_RELEASE);
}

static inline int64_t
ld(const int64_t *p)
{
    return __atomic_load_n(p, RELAXED);
}

static inline void
add(int64_t *p, int64_t d)
{
    /* Only the owning thread writes; others read. A plain add, made
       tear-free for the readers. */
    __atomic_store_n(p, __atomic_load_n(p, RELAXED) + d, RELAXED);
}

/* add() for the counters the fast paths update without the busy flag:
   one instruction, which a signal cannot split, so that the additions of
   an allocating signal handler that interrupts them are never overwritten
   by a stale value.  Only the owning thread (and its signal handlers)
   write; an aligned store is never torn for the readers. */
static inline __attribute__((always_inline)) void
add_own(int64_t *p, int64_t d)
{
#if defined(__x86_64__)
    __asm__ volatile("addq %1, %0" : "+m"(*p) : "er"(d));
#else
    __atomic_fetch_add(p, d, RELAXED);
#endif
}

static void *
map(size_t size)
{
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                   -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

/* Microseconds since start, from the coarse clock (a few ns per call; its
   resolution, one scheduler tick, is plenty for lifetimes). */
static inline int64_t
now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &t);
    return (int64_t)(t.tv_sec - g_t0.tv_sec) * 1000000 + (t.tv_nsec - g_t0.tv_nsec) / 1000;
}

static int g_frames; /* DHAT_FRAMES; 0 until the constructor has run */

static void
say(const char *a, const char *b, const char *c)
{
    /* stderr without stdio, which may allocate or hold a lock. */
    const char *parts[] = {"dhat-preload: ", a, b, c ? ": " : NULL, c, "\n"};
    for (size_t i = 0; i < 6; i++)
        if (parts[i] && write(2, parts[i], strlen(parts[i])) < 0)
            return;
}

/* ---------------------------------------------------------- bootstrap */

static void *
boot_alloc(size_t n, size_t align)
{
    /* Serves the calls made while dlsym resolves the real functions. */
    size_t start = 0, end = 0, cur = __atomic_load_n(&g_boot_used, RELAXED);
    if (align < 16)
        align = 16;
    do {
        start = (cur + 16 + align - 1) & ~(align - 1);
        end = start + n;
        if (end > BOOT_ARENA || end < start)
            return NULL;
    } while (!__atomic_compare_exchange_n(&g_boot_used, &cur, end, 1, RELAXED, RELAXED));
    memcpy(g_boot + start - sizeof(size_t), &n, sizeof n);
    return g_boot + start;
}

static inline int
in_boot(const void *p)
{
    return (const char *)p >= g_boot && (const char *)p < g_boot + BOOT_ARENA;
}

static size_t
boot_size(const void *p)
{
    size_t n;
    memcpy(&n, (const char *)p - sizeof n, sizeof n);
    return n;
}

extern void *__libc_malloc(size_t);
extern void __libc_free(void *);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void *__libc_valloc(size_t);

static int
libc_posix_memalign(void **out, size_t align, size_t n)
{
    void *p = __libc_memalign(align, n);
    if (!p)
        return ENOMEM;
    *out = p;
    return 0;
}

static void *
libc_aligned_alloc(size_t align, size_t n)
{
    return __libc_memalign(align, n);
}

static void dhat_tsd_destroy(void *arg);
static struct tstate *new_state(void);
static void fork_prepare(void);
static void fork_parent(void);
static void fork_child(void);

static uint64_t
mix64(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

static uint64_t
fresh_secret(void)
{
    uint64_t s = 0;
    const unsigned char *r = (const unsigned char *)getauxval(AT_RANDOM);
    if (r)
        memcpy(&s, r + 8, sizeof s);
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return mix64(s ^ (uint64_t)t.tv_nsec ^ ((uint64_t)getpid() << 32) ^ (uintptr_t)&t);
}

/* Resolves the real allocator, once.  Runs inside the first allocation
   call; calls made meanwhile (by this thread inside dlsym, or by others)
   are served from the static arena. */
static void
init_real(void)
{
    int expect = ST_NONE;
    if (!__atomic_compare_exchange_n(&g_state, &expect, ST_RESOLVING, 0, __ATOMIC_ACQ_REL,
                                     __ATOMIC_ACQUIRE))
        return;
#define RESOLVE(field, name, fallback)                                                             \
    do {                                                                                           \
        void *s_ = dlsym(RTLD_NEXT, name);                                                         \
        if (s_)                                                                                    \
            memcpy(&real.field, &s_, sizeof s_);                                                   \
        else                                                                                       \
            real.field = fallback;                                                                 \
    } while (0)
    RESOLVE(malloc, "malloc", __libc_malloc);
    RESOLVE(free, "free", __libc_free);
    RESOLVE(calloc, "calloc", __libc_calloc);
    RESOLVE(realloc, "realloc", __libc_realloc);
    RESOLVE(posix_memalign, "posix_memalign", libc_posix_memalign);
    RESOLVE(aligned_alloc, "aligned_alloc", libc_aligned_alloc);
    RESOLVE(memalign, "memalign", __libc_memalign);
    RESOLVE(valloc, "valloc", __libc_valloc);
    RESOLVE(usable, "malloc_usable_size", NULL);
    RESOLVE(dlclose, "dlclose", NULL);
#undef RESOLVE
    /* malloc is __libc_malloc's alias in glibc: same address when nothing
       else (jemalloc, libc_malloc_debug) comes between. */
    g_glibc_layout =
        (void *)real.malloc == (void *)__libc_malloc && real.usable != NULL && sizeof(size_t) == 8;
    if (!real.usable) {
        say("malloc_usable_size not found; not profiling", NULL, NULL);
        g_tracking = 0;
    }
    g_secret = fresh_secret();
    g_hdr_key = g_secret; /* gen_key of generation 0 */
    clock_gettime(CLOCK_MONOTONIC_COARSE, &g_t0);
    g_sites = map(sizeof(struct site) * MAX_SITES);
    g_slots = map(sizeof(uint32_t) * SITE_SLOTS);
    g_frames_pool = map(sizeof(uintptr_t) * FRAME_POOL);
    g_gb = map(sizeof(int64_t) * 2 * MAX_SITES);
    if (!g_sites || !g_slots || !g_frames_pool || !g_gb) {
        say("cannot map tables; not profiling", NULL, NULL);
        g_tracking = 0;
    }
    /* (Without it, signal handlers' calls inside a hook go uncounted.) */
    if ((g_shadow = new_state()) != NULL) {
        g_shadow->is_shadow = 1;
        g_states[0] = g_shadow;
        __atomic_store_n(&g_nstates, 1, __ATOMIC_RELEASE);
    }
    g_key_ok = pthread_key_create(&g_key, dhat_tsd_destroy) == 0;
    if (g_glibc_layout) {
        /* glibc's free() saves and restores errno itself since 2.33. */
        const char *v = gnu_get_libc_version();
        int major = 0, minor = 0;
        while (*v >= '0' && *v <= '9')
            major = major * 10 + (*v++ - '0');
        if (*v == '.')
            for (v++; *v >= '0' && *v <= '9'; v++)
                minor = minor * 10 + (*v - '0');
        g_free_keeps_errno = major > 2 || (major == 2 && minor >= 33);
    }
    __atomic_store_n(&g_state, ST_READY, __ATOMIC_RELEASE);
    /* Until the constructor reads DHAT_FRAMES, every block is site 0. */
    if (g_tracking) {
        g_free_mode = g_glibc_layout && g_free_keeps_errno ? FREE_C0 : FREE_GENERAL;
        __atomic_store_n(&g_fast, 1, __ATOMIC_RELEASE);
    }
}

static inline int
ready(void)
{
    if (LIKELY(__atomic_load_n(&g_state, __ATOMIC_ACQUIRE) == ST_READY))
        return 1;
    init_real();
    return __atomic_load_n(&g_state, __ATOMIC_ACQUIRE) == ST_READY;
}

/* ------------------------------------------------------- thread states */

static struct tstate *
new_state(void)
{
    size_t hdr = 4096;
    char *m = map(hdr + sizeof(struct site_ctr) * MAX_SITES);
    if (!m)
        return NULL;
    struct tstate *ts = (struct tstate *)m;
    ts->sites = (struct site_ctr *)(m + hdr);
    return ts;
}

/* The calling thread's state; the spare (used under spare_lock) once the
   thread's TLS destructor has run or when no state can be had. */
static struct tstate *
acquire_state(void)
{
    if (tls_exiting)
        return &g_spare;
    struct tstate *ts = NULL;
    spin_lock(&reg_lock);
    for (int i = 0; i < g_nstates; i++)
        if (__atomic_load_n(&g_states[i]->dead, __ATOMIC_ACQUIRE)) {
            ts = g_states[i];
            ts->dead = 0;
            break;
        }
    if (!ts && g_nowners < MAX_THREADS && (ts = new_state()) != NULL) {
        /* Readers take g_nstates without the lock: publish the slot first. */
        g_states[g_nstates] = ts;
        __atomic_store_n(&g_nstates, g_nstates + 1, __ATOMIC_RELEASE);
        __atomic_store_n(&g_nowners, g_nowners + 1, RELAXED);
    }
    if (g_nowners > 1)
        g_multi = 1;
    spin_unlock(&reg_lock);
    if (!ts)
        return &g_spare;
    ts->now = now_us();
    ts->mark_abk = ts->abk;
    ts->mark_fbk = ts->fbk;
    tls_ts = ts;
    fast_views();
    if (g_key_ok) {
        /* It may allocate (keys past the first 32). */
        int was = tls_busy;
        tls_busy = BUSY_OWN;
        pthread_setspecific(g_key, ts);
        tls_busy = was;
    }
    return ts;
}

static inline struct tstate *
get_state(void)
{
    struct tstate *ts = tls_ts;
    if (LIKELY(ts != NULL))
        return ts;
    ts = acquire_state();
    if (ts == &g_spare && !g_spare.sites) {
        spin_lock(&reg_lock);
        if (!g_spare.sites) {
            struct tstate *n = new_state();
            if (n) {
                g_spare.now = now_us(); /* the c0 clock, as acquire_state sets it */
                g_spare.sites = n->sites;
            }
        }
        spin_unlock(&reg_lock);
        if (!g_spare.sites)
            return NULL;
    }
    return ts;
}

/* The thread's live heap change not yet in g_live. */
static inline int64_t
unflushed_bytes(const struct tstate *ts)
{
    return ld(&ts->dbytes) + ld(&ts->ab) - ld(&ts->fb) - ld(&ts->flushed_b);
}

static inline int64_t
unflushed_blocks(const struct tstate *ts)
{
    return ld(&ts->dblocks) + ld(&ts->abk) - ld(&ts->fbk) - ld(&ts->flushed_k);
}

static void
flush(struct tstate *ts)
{
    /* Under the peak lock: live_all, summing g_live and every thread's
       unflushed change, must never see a change in both. */
    spin_lock(&peak_lock);
    __atomic_fetch_add(&g_live_bytes, unflushed_bytes(ts), RELAXED);
    __atomic_fetch_add(&g_live_blocks, unflushed_blocks(ts), RELAXED);
    __atomic_store_n(&ts->dbytes, 0, RELAXED);
    __atomic_store_n(&ts->dblocks, 0, RELAXED);
    __atomic_store_n(&ts->flushed_b, ts->ab - ts->fb, RELAXED);
    __atomic_store_n(&ts->flushed_k, ts->abk - ts->fbk, RELAXED);
    spin_unlock(&peak_lock);
}

/* What paces a thread's frees for its c0 slow steps: bytes freed, and 1
   KiB more for each block, so that the clock comes every 64th free of
   small blocks (even of empty ones) and every 64 KiB freed. */
static inline int64_t
free_pace(int64_t fb, int64_t fbk)
{
    return fb + (fbk << 10);
}

/* Reads the clock for the c0 counters: the operations since the last
   read took place at ts->now. */
static void
c0_settle(struct tstate *ts)
{
    int64_t now = now_us();
    add(&ts->tl, ts->now * ((ts->fbk - ts->mark_fbk) - (ts->abk - ts->mark_abk)));
    ts->mark_abk = ts->abk;
    ts->mark_fbk = ts->fbk;
    ts->tick_next = free_pace(ts->fb, ts->fbk) + FREE_TICK;
    __atomic_store_n(&ts->now, now, RELAXED);
}

/* The c0 lifetimes, with the operations since the last clock read. */
static inline int64_t
c0_lifetimes(const struct tstate *ts)
{
    return ld(&ts->tl) +
           ld(&ts->now) * ((ld(&ts->fbk) - ld(&ts->mark_fbk)) - (ld(&ts->abk) - ld(&ts->mark_abk)));
}

static void
dhat_tsd_destroy(void *arg)
{
    struct tstate *ts = arg;
    if (!ts)
        return;
    /* Busy: a signal handler's calls must not land in the middle of the
       flush. */
    busy_set(BUSY_HOOK);
    c0_settle(ts);
    flush(ts);
    tls_ts = NULL;
    tls_exiting = 1;
    __atomic_store_n(&ts->dead, 1, __ATOMIC_RELEASE);
    busy_set(0); /* and with no state, no fast path */
}

/* ------------------------------------------------------------- sites */

static inline int
same_frames(const uintptr_t *a, const uintptr_t *b, int n)
{
    for (int i = 0; i < n; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
}

static uint32_t
site_of(uintptr_t *ips, int n)
{
    /* One multiply per frame, one full mix at the end: this runs on every
       allocation, and a mix per frame cost more than the table lookup. */
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ (uint64_t)n;
    for (int i = 0; i < n; i++)
        h = (h ^ ips[i]) * 0x9e3779b97f4a7c15ULL;
    h = mix64(h);
    uint32_t slot = (uint32_t)h & (SITE_SLOTS - 1);
    for (;;) {
        uint32_t id = __atomic_load_n(&g_slots[slot], __ATOMIC_ACQUIRE);
        if (id == 0)
            break;
        struct site *s = &g_sites[id];
        if (s->hash == h && s->n == (uint32_t)n && same_frames(&g_frames_pool[s->off], ips, n))
            return id;
        slot = (slot + 1) & (SITE_SLOTS - 1);
    }
    /* Not there: insert under the lock, probing again from the first
       empty slot seen (another thread may have filled it). */
    spin_lock(&site_lock);
    uint32_t id;
    for (;;) {
        id = __atomic_load_n(&g_slots[slot], __ATOMIC_ACQUIRE);
        if (id == 0)
            break;
        struct site *s = &g_sites[id];
        if (s->hash == h && s->n == (uint32_t)n && same_frames(&g_frames_pool[s->off], ips, n)) {
            spin_unlock(&site_lock);
            return id;
        }
        slot = (slot + 1) & (SITE_SLOTS - 1);
    }
    if (g_nsites >= MAX_SITES || g_nframes + (uint32_t)n > FRAME_POOL) {
        spin_unlock(&site_lock);
        return SITE_OVERFLOW;
    }
    id = g_nsites;
    struct site *s = &g_sites[id];
    s->hash = h;
    s->n = (uint32_t)n;
    s->off = g_nframes;
    memcpy(&g_frames_pool[g_nframes], ips, sizeof *ips * (size_t)n);
    g_nframes += (uint32_t)n;
    __atomic_store_n(&g_nsites, id + 1, __ATOMIC_RELEASE);
    __atomic_store_n(&g_slots[slot], id, __ATOMIC_RELEASE);
    spin_unlock(&site_lock);
    return id;
}

struct gcc_walk {
    uintptr_t *ips;
    int n, max;
};

static int
gcc_step(void *ctx, void *arg)
{
    struct gcc_walk *w = arg;
    if (w->n >= w->max)
        return 5; /* _URC_END_OF_STACK */
    uintptr_t ip = gcc_getip_fn(ctx);
    if (!ip)
        return 5;
    w->ips[w->n++] = ip;
    return 0;
}

/* Our own code's address range: the frames of this library that a stack
   walk starts with are left out of call sites. */
static uintptr_t g_self_lo, g_self_hi;

/* The site of the call stack IPS[0..N-1] (innermost first), as a walk from
   inside this library sees it: its frames of ours give way to one frame,
   the interposed function the program called (tls_entry), so that the
   viewer groups by malloc, calloc, ... as it does Valgrind's files. */
static uint32_t
site_of_walk(uintptr_t *ips, int n)
{
    int k = 0;
    while (k < n && ips[k] - g_self_lo < g_self_hi - g_self_lo)
        k++;
    if (k > 0) {
        ips += k - 1;
        n -= k - 1;
        ips[0] = tls_entry;
    }
    if (n > g_frames + 1)
        n = g_frames + 1;
    while (n > 1 && ips[n - 1] == 0)
        n--;
    if (n <= 0)
        return SITE_OVERFLOW;
    return site_of(ips, n);
}

/* The call site of the allocation being made through ENTRY, an
   interposed function, from the function ENTRY is or calls. */
static inline __attribute__((always_inline)) uint32_t
site_here(void (*entry)(void))
{
    if (g_frames == 0)
        return SITE_BEFORE_INIT;
    /* dladdr names a return address by the byte before it: this names
       ENTRY itself. */
    tls_entry = (uintptr_t)entry + 1;
    /* One frame more than asked for: ours, which gives way to ENTRY. */
    int max = g_frames + 2, n = 0;
    if (LIKELY(g_own_unwinder)) {
        /* The cache is the thread state's: a thread without one of its
           own (its first allocation, or past its TLS destructor) walks
           uncached. */
        struct tstate *ts = tls_ts;
        if (LIKELY(ts != NULL)) {
            uint32_t site = unwind_site(&ts->ucache, max, site_of_walk);
            if (LIKELY(site != UNWIND_FALLBACK))
                return site;
        } else {
            uintptr_t ips[MAX_FRAMES + 3];
            int got = unwind_backtrace(ips, max);
            if (got >= 0)
                return site_of_walk(ips, got);
        }
    }
    uintptr_t ips[MAX_FRAMES + 3];
    /* libunwind and libgcc may allocate (their first use in a thread). */
    int was = tls_busy;
    tls_busy = BUSY_OWN;
    if (unw_backtrace_fn) {
        n = unw_backtrace_fn((void **)ips, max);
    } else if (gcc_backtrace_fn) {
        /* _Unwind_Backtrace starts at gcc_walk's caller frame: this
           function, inlined. */
        struct gcc_walk w = {ips, 0, max};
        gcc_backtrace_fn(gcc_step, &w);
        n = w.n;
    }
    tls_busy = was;
    return site_of_walk(ips, n);
}

/* ------------------------------------------------------------ headers */

/* Every block we hand out starts 16 bytes (or its alignment, when that is
   larger) after the block the real allocator made, and the 16 bytes just
   before it hold its header:

     size  the size asked for (48 bits) and the fork generation that made
           the block (16 bits: a child does not count its parent's blocks);
     word  the call site (18 bits), and above it a keyed hash of the
           address and the size word with log2 of the offset back to the
           real block, minus 4, XORed into its lowest 6 bits: the hash
           taken off the word leaves that number (0 for a block from
           malloc), and 40 zero bits checked.

   The header sits beside the allocator's own chunk header, on a cache line
   that malloc and free touch anyway (a tag at the end of the block cost
   free() a line of its own), and blocks stay 16-byte aligned.  A pointer
   we did not make (from a moment we were not tracking, or from another
   allocator's own API) fails the hash with probability 2^-40 and goes to
   the real free untouched.  The secret never changes after start: a
   forked child must still find the real block of every header. */
enum {
    HDR = 16,
    SITE_BITS = 18,
    SIZE_BITS = 48,
};
#define SITE_MASK ((1U << SITE_BITS) - 1)
#define SIZE_MASK ((1ULL << SIZE_BITS) - 1)
/* Sizes from here up cannot be mapped (47-bit user address spaces): such
   requests fail with ENOMEM, as the real allocator would fail them. */
#define SIZE_LIMIT ((size_t)1 << SIZE_BITS)

struct hdr {
    uint64_t size; /* generation << 48 | bytes asked for */
    uint64_t word; /* (hash ^ alog - 4) << 18 | site */
};

static uint64_t g_generation; /* << 48; bumped in a forked child */

static inline uint64_t
gen_key(uint64_t size)
{
    return g_secret ^ (size >> SIZE_BITS) * 0x9e3779b97f4a7c15ULL;
}

/* No adversary, a random secret: XOR is enough.  A foreign block's word
   is glibc's chunk size (high bits zero), so it matches only if the 8
   bytes before it equal the key mixed with its address in their high 40
   bits. */
static inline uint64_t
hdr_hash(const void *p, uint64_t size, uint64_t key)
{
    return ((uintptr_t)p ^ key ^ size) & ~(uint64_t)SITE_MASK;
}

static inline uint64_t
hdr_word(const void *p, uint64_t size, unsigned alog4, uint32_t site)
{
    return (hdr_hash(p, size, g_hdr_key) ^ (uint64_t)alog4 << SITE_BITS) | site;
}

/* For a header SIZE, WORD of block P made by this process (since it
   started or forked), its ALOG4; anything from 64 up when it is not one. */
static inline uint64_t
hdr_tag_now(const void *p, uint64_t size, uint64_t word)
{
    return (word ^ hdr_hash(p, size, g_hdr_key)) >> SITE_BITS;
}

/* The same for a header of any generation: ours, perhaps the parent's. */
static inline uint64_t
hdr_tag(const void *p, uint64_t size, uint64_t word)
{
    return (word ^ hdr_hash(p, size, gen_key(size))) >> SITE_BITS;
}

/* Whether the 16 bytes before P are readable.  glibc keeps a chunk header
   before every block; another allocator may hand out the first bytes of a
   page, and our own blocks are never page-aligned under one (see
   aligned_common). */
static inline int
may_have_hdr(const void *p)
{
    return LIKELY(g_glibc_layout) || ((uintptr_t)p & 4095) >= HDR;
}

/* Writes the header of a block whose real block starts at Q, 16 << ALOG4
   bytes before it, and returns the block. */
static inline __attribute__((always_inline)) void *
hdr_put(void *q, unsigned alog4, size_t n, uint32_t site)
{
    char *p = (char *)q + ((size_t)HDR << alog4);
    struct hdr *h = (struct hdr *)p - 1;
    uint64_t size = g_generation | n;
    h->size = size;
    h->word = hdr_word(p, size, alog4, site);
    return p;
}

/* The header of P when we made it, else NULL. */
static inline __attribute__((always_inline)) struct hdr *
hdr_get(void *p)
{
    struct hdr *h = (struct hdr *)p - 1;
    return hdr_tag(p, h->size, h->word) < 64 ? h : NULL;
}

static inline struct hdr *
hdr_find(void *p)
{
    return may_have_hdr(p) ? hdr_get(p) : NULL;
}

static inline uint32_t
hdr_site(const struct hdr *h)
{
    return (uint32_t)(h->word & SITE_MASK);
}

/* The ALOG4 of block P's header H, which is ours. */
static inline unsigned
hdr_alog4(const void *p, const struct hdr *h)
{
    return (unsigned)hdr_tag(p, h->size, h->word);
}

static inline void *
hdr_real(void *p, const struct hdr *h)
{
    return (char *)p - ((size_t)HDR << hdr_alog4(p, h));
}

static inline int64_t
hdr_size(const struct hdr *h)
{
    return (int64_t)(h->size & SIZE_MASK);
}

/* Made by this process since it started (or forked): counted. */
static inline int
hdr_ours(const struct hdr *h)
{
    return (h->size & ~SIZE_MASK) == g_generation;
}

/* ------------------------------------------------------------ counting */

static void
snapshot_peak(void)
{
    /* Copies every site's live counts into gb: O(sites x threads), done on
       the first decrease after a new global peak (as Valgrind does). */
    uint32_t ns = __atomic_load_n(&g_nsites, __ATOMIC_ACQUIRE);
    int nt = __atomic_load_n(&g_nstates, __ATOMIC_ACQUIRE);
    for (uint32_t s = 0; s < ns; s++) {
        int64_t b = 0, k = 0;
        for (int i = 0; i < nt; i++) {
            b += ld(&g_states[i]->sites[s].cb);
            k += ld(&g_states[i]->sites[s].cbk);
        }
        if (g_spare.sites) {
            b += ld(&g_spare.sites[s].cb);
            k += ld(&g_spare.sites[s].cbk);
        }
        if (s == SITE_BEFORE_INIT)
            for (int i = -1; i < nt; i++) {
                const struct tstate *ts = i < 0 ? &g_spare : g_states[i];
                b += ld(&ts->ab) - ld(&ts->fb);
                k += ld(&ts->abk) - ld(&ts->fbk);
            }
        g_gb[2 * s] = b;
        g_gb[2 * s + 1] = k;
    }
}

/* The live heap: flushed, plus every thread's change not yet flushed
   (read as it stands: another thread may be changing its own). */
static int64_t
live_sum(int64_t *blocks)
{
    int64_t b = ld(&g_live_bytes), k = ld(&g_live_blocks);
    int nt = __atomic_load_n(&g_nstates, __ATOMIC_ACQUIRE);
    for (int i = -1; i < nt; i++) {
        const struct tstate *t = i < 0 ? &g_spare : g_states[i];
        b += unflushed_bytes(t);
        k += unflushed_blocks(t);
    }
    if (blocks)
        *blocks = k;
    return b;
}

/* live_sum for TS's slow steps: past 64 threads, or with TS the only
   one, only TS's own change is added (the first bounds the cost). */
static int64_t
live_all(const struct tstate *ts, int64_t *blocks)
{
    int nt = __atomic_load_n(&g_nowners, RELAXED);
    if (nt <= 64 && (nt > 1 || ts == &g_spare))
        return live_sum(blocks);
    /* And the change signal handlers made (see nested_state). */
    const struct tstate *sh = g_shadow;
    if (blocks)
        *blocks = ld(&g_live_blocks) + unflushed_blocks(ts) + (sh ? unflushed_blocks(sh) : 0);
    return ld(&g_live_bytes) + unflushed_bytes(ts) + (sh ? unflushed_bytes(sh) : 0);
}

static void
peak_slow(struct tstate *ts)
{
    spin_lock(&peak_lock);
    int64_t k, b = live_all(ts, &k);
    if (b > g_api_peak_bytes) {
        __atomic_store_n(&g_api_peak_bytes, b, RELAXED);
        g_api_peak_blocks = k;
    }
    if (b > g_peak_bytes) {
        g_peak_bytes = b;
        g_peak_blocks = k;
        g_tg = now_us();
        __atomic_store_n(&g_snap_pending, 1, RELAXED);
    }
    spin_unlock(&peak_lock);
}

static void
decrease_slow(void)
{
    spin_lock(&peak_lock);
    if (g_snap_pending) {
        snapshot_peak();
        __atomic_store_n(&g_snap_pending, 0, RELAXED);
    }
    spin_unlock(&peak_lock);
}

/* Sets TS's limits: the values of its unflushed change (LIMIT_UN) and
   of its c0 ab - fb (LIMIT) past which the heap would exceed the peak
   known now, or the unflushed change reach FLUSH_BYTES.  Another
   thread's later operations make them stale until this thread's next
   slow step, which is why the peak is exact only with one thread (and
   close to it with a few). */
static void
set_limits(struct tstate *ts)
{
    int64_t un = unflushed_bytes(ts);
    int64_t room = ld(&g_api_peak_bytes) - live_all(ts, NULL);
    if (g_multi && FLUSH_BYTES - un < room)
        room = FLUSH_BYTES - un;
    int64_t x = ts->ab - ts->fb;
    __atomic_store_n(&ts->limit_un, un + room, RELAXED);
    __atomic_store_n(&ts->limit, x + room, RELAXED);
    /* c0 frees: the clock when due (c0_settle), and with threads a flush
       once ab - fb falls FLUSH_BYTES below what was flushed, reckoned in
       free_pace with today's ab and fbk: early, never late. */
    int64_t next = ts->tick_next;
    if (g_multi) {
        int64_t flush_at = free_pace(ts->ab - (x - un - FLUSH_BYTES), ts->fbk);
        if (flush_at < next)
            next = flush_at;
    }
    __atomic_store_n(&ts->fb_next, next, RELAXED);
}

enum { NO_CLOCK, CLOCK_FREE, CLOCK_ALLOC };

/* TS's change went past a limit, or the c0 clock is due at an allocation
   or a free (CLOCK): a peak, a flush, the clock, and new limits, as due. */
static void
check_slow(struct tstate *ts, int clock)
{
    if (clock != NO_CLOCK)
        c0_settle(ts);
    /* With threads, also at each clock read of an allocation: others'
       changes since this thread's limits were set may have made a peak it
       would not see.  (A free makes none.) */
    if (unflushed_bytes(ts) > ts->limit_un || (clock == CLOCK_ALLOC && g_multi))
        peak_slow(ts);
    int64_t un = unflushed_bytes(ts);
    if (g_multi && (un > FLUSH_BYTES || un < -FLUSH_BYTES))
        flush(ts);
    set_limits(ts);
}

static inline void
live_change(struct tstate *ts, int64_t bytes, int64_t blocks)
{
    add(&ts->dbytes, bytes);
    add(&ts->dblocks, blocks);
    int64_t un = unflushed_bytes(ts);
    if (UNLIKELY(un > ts->limit_un) || (UNLIKELY(un < -FLUSH_BYTES) && g_multi))
        check_slow(ts, NO_CLOCK);
}

/* A block of N bytes was just made at SITE. */
static inline __attribute__((always_inline)) void
count_alloc(size_t n, uint32_t site)
{
    struct tstate *ts = get_state();
    if (UNLIKELY(ts == NULL))
        return;
    int spare = ts == &g_spare;
    if (UNLIKELY(spare))
        spin_lock(&spare_lock);
    if (g_frames == 0) {
        add(&ts->ab, (int64_t)n);
        add(&ts->abk, 1);
        check_slow(ts, (ts->abk & 63) == 0 ? CLOCK_ALLOC : NO_CLOCK);
    } else {
        /* With call stacks the clock is read on every call (beside
           unwinding it costs little); the c0 counters read it less often
           (see struct tstate). */
        int64_t t = now_us();
        struct site_ctr *c = &ts->sites[site];
        add(&c->tb, (int64_t)n);
        add(&c->tbk, 1);
        add(&c->tl, -t);
        add(&c->cb, (int64_t)n);
        add(&c->cbk, 1);
        if (c->cb > c->mb) {
            add(&c->mb, c->cb - c->mb);
            add(&c->mbk, c->cbk - c->mbk);
        }
        live_change(ts, (int64_t)n, 1);
    }
    if (UNLIKELY(spare))
        spin_unlock(&spare_lock);
}

/* The block of header H is going. */
static inline __attribute__((always_inline)) void
count_free(const struct hdr *h)
{
    if (!hdr_ours(h))
        return;
    struct tstate *ts = get_state();
    if (UNLIKELY(ts == NULL))
        return;
    int spare = ts == &g_spare;
    if (UNLIKELY(spare))
        spin_lock(&spare_lock);
    int64_t n = hdr_size(h);
    if (g_frames == 0) {
        add(&ts->fb, n);
        add(&ts->fbk, 1);
        if (free_pace(ts->fb, ts->fbk) > ts->fb_next)
            check_slow(ts, free_pace(ts->fb, ts->fbk) > ts->tick_next ? CLOCK_FREE : NO_CLOCK);
    } else {
        /* The heap is at a peak not yet recorded: record it before it
           goes. */
        if (UNLIKELY(__atomic_load_n(&g_snap_pending, RELAXED)))
            decrease_slow();
        struct site_ctr *c = &ts->sites[hdr_site(h)];
        add(&c->tl, now_us());
        add(&c->cb, -n);
        add(&c->cbk, -1);
        live_change(ts, -n, -1);
    }
    if (UNLIKELY(spare))
        spin_unlock(&spare_lock);
}

/* A realloc of a block of SITE from OLD to N bytes: Valgrind's rules (one
   more block of N bytes, same site and allocation time). */
static inline __attribute__((always_inline)) void
count_realloc(size_t old, size_t n, uint32_t site)
{
    struct tstate *ts = get_state();
    if (UNLIKELY(ts == NULL))
        return;
    int spare = ts == &g_spare;
    if (UNLIKELY(spare))
        spin_lock(&spare_lock);
    int64_t d = (int64_t)n - (int64_t)old;
    if (g_frames == 0) {
        /* A block of OLD bytes goes and one of N comes, at the same
           moment: lifetimes are unchanged. */
        /* The old block first: a reader in between errs low. */
        add(&ts->fb, (int64_t)old);
        add(&ts->fbk, 1);
        add(&ts->ab, (int64_t)n);
        add(&ts->abk, 1);
        check_slow(ts, NO_CLOCK);
    } else {
        struct site_ctr *c = &ts->sites[site];
        if (d < 0 && UNLIKELY(__atomic_load_n(&g_snap_pending, RELAXED)))
            decrease_slow();
        add(&c->tb, (int64_t)n);
        add(&c->tbk, 1);
        add(&c->cb, d);
        if (c->cb > c->mb) {
            add(&c->mb, c->cb - c->mb);
            add(&c->mbk, c->cbk - c->mbk);
        }
        live_change(ts, d, 0);
    }
    if (UNLIKELY(spare))
        spin_unlock(&spare_lock);
}

/* The fast paths, for a thread with a state of its own (never the spare)
   that is not inside a hook already.  Allocation has one for c0 counting
   (DHAT_FRAMES=0); free has one for c0 counting and one for every other
   mode (the site is in the header).  They are written into the
   interposed functions themselves, with every rare step (a clock read, a
   new peak, a flush, a general path) out of line and reached by a tail
   call, so that the common path is a straight line around the call to the
   real allocator.  They leave the busy flag alone: nothing on them can
   allocate. */

static __attribute__((noinline, cold)) void *
c0_alloc_rare(struct tstate *ts, void *p)
{
    /* Busy from here: an allocating signal handler must not wait for a
       lock this thread holds. */
    busy_set(1);
    check_slow(ts, (ts->abk & 63) == 0 ? CLOCK_ALLOC : NO_CLOCK);
    busy_set(0);
    return p;
}

/* Counts a block of N bytes at P, whose header is in place. */
static inline __attribute__((always_inline)) void *
c0_count_alloc(struct tstate *ts, void *p, size_t n)
{
    add_own(&ts->ab, (int64_t)n);
    add_own(&ts->abk, 1);
    int64_t ab = ts->ab, abk = ts->abk;
    if (UNLIKELY(ab - ts->fb > ts->limit) || UNLIKELY((abk & 63) == 0))
        return c0_alloc_rare(ts, p);
    return p;
}

/* The state of a thread that may take the c0 allocation path, or NULL. */
static inline struct tstate *
fast_state(void)
{
    return tls.fast_alloc;
}

static __attribute__((noinline, cold)) void
c0_free_rare(struct tstate *ts, void *q)
{
    busy_set(1);
    check_slow(ts, free_pace(ts->fb, ts->fbk) > ts->tick_next ? CLOCK_FREE : NO_CLOCK);
    busy_set(0);
    real.free(q);
}

/* free's fast path with call stacks (or for a parent's block): the block
   of header H, whose real block is Q. */
static __attribute__((noinline)) void
free_with_site(struct tstate *ts, struct hdr *h, void *q)
{
    if (hdr_ours(h)) {
        busy_set(1);
        int64_t now = now_us();
        /* The heap is at a peak not yet recorded: record it before it
           goes. */
        if (__atomic_load_n(&g_snap_pending, RELAXED))
            decrease_slow();
        struct site_ctr *c = &ts->sites[hdr_site(h)];
        int64_t n = hdr_size(h);
        add(&c->tl, now);
        add(&c->cb, -n);
        add(&c->cbk, -1);
        live_change(ts, -n, -1);
        busy_set(0);
    }
    real.free(q);
}

/* ---------------------------------------------------- signal handlers */

/* A signal handler that allocates (POSIX does not allow it; programs do
   it) can interrupt a hook anywhere.  Outside the busy flag, on the c0
   fast paths, the hook's additions are single instructions (add_own) and
   the handler's call counts as any other.  Inside it, the hook may be
   halfway through updating the thread's counters (a flush, a clock read)
   or hold a lock, and the thread may have no state yet: the handler's
   call is counted in g_shadow instead, a state that only such calls
   write, with atomic additions (any thread, and a handler interrupted by
   another), with no lock (so no peak check or flush: the thread's next
   slow step sees the change), and at site 0 (unwinding would use the
   stack cache the hook may be using).  Readers sum it with every other
   state.  Code that may allocate for our own needs runs BUSY_OWN: calls
   made then pass through untracked, a handler's with them. */

/* The state in which to count a call that interrupted a hook; else
   NULL. */
static inline struct tstate *
nested_state(void)
{
    if (LIKELY(tls_busy != BUSY_HOOK) || !__atomic_load_n(&g_tracking, RELAXED))
        return NULL;
    return g_shadow;
}

static inline void
nested_add(int64_t *p, int64_t d)
{
    __atomic_fetch_add(p, d, RELAXED);
}

/* A block of N bytes was just made, at site 0. */
static void
nested_count_alloc(struct tstate *sh, size_t n)
{
    nested_add(&sh->ab, (int64_t)n);
    nested_add(&sh->abk, 1);
    nested_add(&sh->tl, -now_us());
}

/* Gives the real block Q (NULL when it failed) of a block of N bytes,
   16 << ALOG4 bytes before it, a header of site 0, and counts it in SH. */
static void *
nested_alloc(struct tstate *sh, void *q, unsigned alog4, size_t n)
{
    if (!q)
        return NULL;
    void *p = hdr_put(q, alog4, n, SITE_BEFORE_INIT);
    nested_count_alloc(sh, n);
    return p;
}

/* The block of header H, of this process, is going. */
static void
nested_free(struct tstate *sh, const struct hdr *h)
{
    int64_t n = hdr_size(h), now = now_us();
    uint32_t site = hdr_site(h);
    if (site == SITE_BEFORE_INIT) {
        nested_add(&sh->fb, n);
        nested_add(&sh->fbk, 1);
        nested_add(&sh->tl, now);
    } else {
        struct site_ctr *c = &sh->sites[site];
        nested_add(&c->cb, -n);
        nested_add(&c->cbk, -1);
        nested_add(&c->tl, now);
        nested_add(&sh->dbytes, -n);
        nested_add(&sh->dblocks, -1);
    }
}

/* count_realloc, in SH. */
static void
nested_realloc(struct tstate *sh, size_t old, size_t n, uint32_t site)
{
    if (site == SITE_BEFORE_INIT) {
        nested_add(&sh->fb, (int64_t)old);
        nested_add(&sh->fbk, 1);
        nested_add(&sh->ab, (int64_t)n);
        nested_add(&sh->abk, 1);
    } else {
        struct site_ctr *c = &sh->sites[site];
        int64_t d = (int64_t)n - (int64_t)old;
        nested_add(&c->tb, (int64_t)n);
        nested_add(&c->tbk, 1);
        nested_add(&c->cb, d);
        nested_add(&sh->dbytes, d);
    }
}

/* ------------------------------------------------------ interposition */

static inline int
tracking(void)
{
    return LIKELY(!tls_busy) && LIKELY(__atomic_load_n(&g_tracking, RELAXED));
}

/* Counting, as usual or in g_shadow. */
static inline int
counting(void)
{
    return tracking() || nested_state() != NULL;
}

/* The general paths of malloc and calloc.  UNWIND: find the call site
   (see site_here); the fast path's fallback passes 0: it runs while the
   fast path is on (or was, a moment ago, as the constructor turned it
   off), when every block is site 0. */
static inline __attribute__((always_inline)) void *
malloc_body(size_t n, int unwind)
{
    if (UNLIKELY(!ready()))
        return boot_alloc(n, 16);
    if (!tracking()) {
        struct tstate *sh = nested_state();
        if (LIKELY(sh == NULL) || UNLIKELY(n >= SIZE_LIMIT))
            return real.malloc(n);
        return nested_alloc(sh, real.malloc(n + HDR), 0, n);
    }
    if (UNLIKELY(n >= SIZE_LIMIT)) {
        errno = ENOMEM;
        return NULL;
    }
    busy_set(1);
    void *p = NULL, *q = real.malloc(n + HDR);
    if (q) {
        uint32_t site = unwind ? site_here((void (*)(void))malloc) : SITE_BEFORE_INIT;
        p = hdr_put(q, 0, n, site);
        count_alloc(n, site);
    }
    busy_set(0);
    return p;
}

static inline __attribute__((always_inline)) void *
calloc_body(size_t k, size_t n, int unwind)
{
    size_t total;
    if (__builtin_mul_overflow(k, n, &total)) {
        errno = ENOMEM;
        return NULL;
    }
    if (UNLIKELY(!ready())) {
        void *b = boot_alloc(total, 16);
        if (b)
            memset(b, 0, total);
        return b;
    }
    if (!tracking()) {
        struct tstate *sh = nested_state();
        if (LIKELY(sh == NULL) || UNLIKELY(total >= SIZE_LIMIT))
            return real.calloc(k, n);
        return nested_alloc(sh, real.calloc(1, total + HDR), 0, total);
    }
    if (UNLIKELY(total >= SIZE_LIMIT)) {
        errno = ENOMEM;
        return NULL;
    }
    busy_set(1);
    void *p = NULL, *q = real.calloc(1, total + HDR);
    if (q) {
        uint32_t site = unwind ? site_here((void (*)(void))calloc) : SITE_BEFORE_INIT;
        p = hdr_put(q, 0, total, site);
        count_alloc(total, site);
    }
    busy_set(0);
    return p;
}

static __attribute__((noinline)) void *
malloc_general(size_t n)
{
    return malloc_body(n, !__atomic_load_n(&g_fast, __ATOMIC_ACQUIRE));
}

static __attribute__((noinline)) void *
calloc_general(size_t k, size_t n)
{
    return calloc_body(k, n, !__atomic_load_n(&g_fast, __ATOMIC_ACQUIRE));
}

EXPORT void *
malloc(size_t n)
{
    struct tstate *ts = fast_state();
    if (UNLIKELY(ts == NULL) || UNLIKELY(n >= SIZE_LIMIT))
        return malloc_general(n);
    void *q = real.malloc(n + HDR);
    if (UNLIKELY(q == NULL))
        return NULL;
    return c0_count_alloc(ts, hdr_put(q, 0, n, SITE_BEFORE_INIT), n);
}

EXPORT void *
calloc(size_t k, size_t n)
{
    size_t total;
    struct tstate *ts = fast_state();
    if (UNLIKELY(ts == NULL) || UNLIKELY(__builtin_mul_overflow(k, n, &total)) ||
        UNLIKELY(total >= SIZE_LIMIT))
        return calloc_general(k, n);
    void *q = real.calloc(1, total + HDR);
    if (UNLIKELY(q == NULL))
        return NULL;
    return c0_count_alloc(ts, hdr_put(q, 0, total, SITE_BEFORE_INIT), total);
}

static __attribute__((noinline)) void free_general(void *p);
static __attribute__((noinline)) void free_other(void *p);

EXPORT void
free(void *p)
{
    /* The c0 fast path: a thread with its own state, not inside a hook,
       counting without call sites (tls.fast_free), and a block of ours
       made by this process. */
    struct tstate *ts = tls.fast_free;
    if (UNLIKELY(ts == NULL) | UNLIKELY(p == NULL)) {
        free_other(p);
        return;
    }
    /* glibc keeps a chunk header before every block: the 16 bytes before
       P are readable (a boot block's too). */
    struct hdr *h = (struct hdr *)p - 1;
    uint64_t size = h->size, w = h->word;
    /* One test: a block of this process's, from malloc or calloc (an
       aligned one, a parent's or a foreign one take the general path). */
    if (UNLIKELY(hdr_tag_now(p, size, w) != 0)) {
        free_general(p);
        return;
    }
    void *q = (char *)p - HDR;
    /* The header stays: a later block of glibc's own at this address has
       glibc's chunk size where its word would be, which cannot match. */
    add_own(&ts->fb, (int64_t)(size & SIZE_MASK));
    add_own(&ts->fbk, 1);
    if (UNLIKELY(free_pace(ts->fb, ts->fbk) > ts->fb_next)) {
        c0_free_rare(ts, q);
        return;
    }
    real.free(q);
}

/* free() off the c0 fast path: with call sites (tls.fast_free_sites), or
   the general path. */
static __attribute__((noinline)) void
free_other(void *p)
{
    struct tstate *ts = tls.fast_free_sites;
    if (LIKELY(ts != NULL) && LIKELY(p != NULL)) {
        struct hdr *h = (struct hdr *)p - 1;
        uint64_t alog4 = hdr_tag_now(p, h->size, h->word);
        if (LIKELY(alog4 < 64)) {
            free_with_site(ts, h, (char *)p - ((size_t)HDR << alog4));
            return;
        }
    }
    free_general(p);
}

static __attribute__((noinline)) void
free_general(void *p)
{
    if (!p || UNLIKELY(in_boot(p)))
        return;
    if (UNLIKELY(!real.free)) /* never reached: free comes after malloc */
        return;
    int *err = &errno, saved = *err;
    struct hdr *h = hdr_find(p);
    if (h) {
        /* Ours, counted or not: the real block starts before it. */
        int track = tracking();
        struct tstate *sh;
        if (track) {
            busy_set(1);
            count_free(h);
        } else if ((sh = nested_state()) != NULL && hdr_ours(h)) {
            nested_free(sh, h);
        }
        void *q = hdr_real(p, h); /* before the word goes */
        h->word = 0;              /* the memory may come back untracked */
        if (track)
            busy_set(0);
        p = q;
    }
    real.free(p);
    *err = saved;
}

EXPORT __attribute__((nothrow, leaf)) void cfree(void *p) __attribute__((alias("free")));

/* Moves the N-byte block P to a new block with a header for SITE (a
   block of another allocator's, or an aligned one of ours with header H,
   whose alignment a realloc need not keep), copying at most OLD bytes;
   frees P's real block REAL_P.  The caller is busy. */
static void *
realloc_moved(void *p, struct hdr *h, void *real_p, size_t old, size_t n, uint32_t site)
{
    void *q = real.malloc(n + HDR);
    if (!q)
        return NULL;
    void *r = hdr_put(q, 0, n, site);
    memcpy(r, p, old < n ? old : n);
    if (h)
        h->word = 0; /* the memory may come back untracked */
    real.free(real_p);
    return r;
}

EXPORT void *
realloc(void *p, size_t n)
{
    if (UNLIKELY(!ready()) || UNLIKELY(p && in_boot(p))) {
        /* A boot block moves to the real heap (or grows in the arena). */
        void *q = ready() ? malloc(n) : boot_alloc(n, 16);
        if (q && p) {
            size_t old = boot_size(p);
            memcpy(q, p, old < n ? old : n);
        }
        return q;
    }
    if (!p)
        return malloc(n);
    if (n == 0) {
        /* glibc frees the block and returns NULL, and Valgrind counts it
           as a free. */
        free(p);
        return NULL;
    }
    struct hdr *h = hdr_find(p);
    int track = tracking();
    struct tstate *sh = track ? NULL : nested_state();
    if (!h && !track && !sh)
        return real.realloc(p, n);
    if (UNLIKELY(n >= SIZE_LIMIT)) {
        errno = ENOMEM;
        return NULL;
    }
    int was_busy = tls_busy;
    busy_set(1);
    void *r = NULL;
    if (!h) {
        /* A block from before we started (or from an untracked moment):
           from here on it counts as a new block of this call site. */
        size_t old = real.usable ? real.usable(p) : 0;
        uint32_t site = sh ? SITE_BEFORE_INIT : site_here((void (*)(void))realloc);
        if ((r = realloc_moved(p, NULL, p, old, n, site)) != NULL) {
            if (sh)
                nested_count_alloc(sh, n);
            else
                count_alloc(n, site);
        }
    } else {
        size_t old = (size_t)hdr_size(h);
        uint32_t site = hdr_site(h);
        int ours = hdr_ours(h);
        if (hdr_alog4(p, h) != 0) {
            r = realloc_moved(p, h, hdr_real(p, h), old, n, site);
        } else {
            uint64_t word = h->word;
            void *real_p = hdr_real(p, h); /* before the word goes */
            h->word = 0; /* the old block may come back untracked */
            void *q = real.realloc(real_p, n + HDR);
            if (q)
                r = hdr_put(q, 0, n, site);
            else
                h->word = word;
        }
        if (r && track) {
            if (ours)
                count_realloc(old, n, site);
            else
                count_alloc(n, site); /* a parent's block, new to this process */
        } else if (r && sh) {
            if (ours)
                nested_realloc(sh, old, n, site);
            else
                nested_count_alloc(sh, n);
        }
    }
    busy_set(was_busy);
    return r;
}

EXPORT void *
reallocarray(void *p, size_t k, size_t n)
{
    size_t total;
    if (__builtin_mul_overflow(k, n, &total)) {
        errno = ENOMEM;
        return NULL;
    }
    return realloc(p, total);
}

static inline int
bad_alignment(size_t align)
{
    return align == 0 || (align & (align - 1)) != 0;
}

/* Every aligned allocation: ALIGN is a power of two.  The block starts
   ALIGN bytes into the real one (16 for the alignments malloc gives
   anyway), so that its header fits before it.  Under another allocator
   than glibc's, page-aligned blocks go untracked (see may_have_hdr).
   ENTRY: the interposed function (see site_here).  The caller is
   counting; sets errno on failure. */
static inline __attribute__((always_inline)) void *
aligned_common(size_t align, size_t n, void (*entry)(void))
{
    if (!g_glibc_layout && align >= 4096)
        return real.memalign(align, n);
    if (n >= SIZE_LIMIT) {
        errno = ENOMEM;
        return NULL;
    }
    /* Called from a signal handler that interrupted a hook: counted in
       g_shadow, at site 0. */
    struct tstate *sh = nested_state();
    if (!sh)
        busy_set(1);
    void *p = NULL, *q;
    unsigned alog4 = 0;
    if (align <= HDR) {
        q = real.malloc(n + HDR);
    } else {
        alog4 = (unsigned)__builtin_ctzll(align) - 4;
        q = real.memalign(align, n + align);
    }
    if (sh)
        return nested_alloc(sh, q, alog4, n);
    if (q) {
        uint32_t site = site_here(entry);
        p = hdr_put(q, alog4, n, site);
        count_alloc(n, site);
    }
    busy_set(0);
    return p;
}

EXPORT int
posix_memalign(void **out, size_t align, size_t n)
{
    if (bad_alignment(align) || align % sizeof(void *) != 0)
        return EINVAL;
    if (UNLIKELY(!ready())) {
        void *b = boot_alloc(n, align);
        if (!b)
            return ENOMEM;
        *out = b;
        return 0;
    }
    if (!counting())
        return real.posix_memalign(out, align, n);
    /* posix_memalign leaves errno alone. */
    int saved = errno;
    void *p = aligned_common(align, n, (void (*)(void))posix_memalign);
    int rc = p ? 0 : ENOMEM;
    errno = saved;
    if (p)
        *out = p;
    return rc;
}

EXPORT void *
aligned_alloc(size_t align, size_t n)
{
    /* glibc accepts any power of two, and sizes that are not multiples of
       it (C17); anything else is EINVAL. */
    if (bad_alignment(align)) {
        errno = EINVAL;
        return NULL;
    }
    if (UNLIKELY(!ready()))
        return boot_alloc(n, align);
    if (!counting())
        return real.aligned_alloc(align, n);
    return aligned_common(align, n, (void (*)(void))aligned_alloc);
}

EXPORT void *
memalign(size_t align, size_t n)
{
    /* glibc rounds a bad alignment up to a power of two, and too large a
       one fails with EINVAL. */
    if (align > SIZE_MAX / 2 + 1) {
        errno = EINVAL;
        return NULL;
    }
    if (align && bad_alignment(align))
        align = (size_t)1 << (64 - __builtin_clzll(align));
    if (UNLIKELY(!ready()))
        return boot_alloc(n, align > 16 ? align : 16);
    if (!counting())
        return real.memalign(align, n);
    return aligned_common(align, n, (void (*)(void))memalign);
}

EXPORT void *
valloc(size_t n)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    if (UNLIKELY(!ready()))
        return boot_alloc(n, page);
    if (!counting())
        return real.valloc(n);
    return aligned_common(page, n, (void (*)(void))valloc);
}

EXPORT void *
pvalloc(size_t n)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t rounded;
    if (__builtin_add_overflow(n, page - 1, &rounded)) {
        errno = ENOMEM;
        return NULL;
    }
    /* The whole pages are the caller's: count them, as glibc gives them. */
    rounded &= ~(page - 1);
    if (rounded == 0)
        rounded = page;
    if (UNLIKELY(!ready()))
        return boot_alloc(rounded, page);
    if (!counting())
        return real.memalign(page, rounded);
    return aligned_common(page, rounded, (void (*)(void))pvalloc);
}

EXPORT size_t
malloc_usable_size(void *p)
{
    if (!p)
        return 0;
    if (in_boot(p))
        return boot_size(p);
    if (!ready() || !real.usable)
        return 0;
    /* Everything after the header is the caller's. */
    struct hdr *h = hdr_find(p);
    if (!h)
        return real.usable(p);
    void *q = hdr_real(p, h);
    return real.usable(q) - (size_t)((char *)p - (char *)q);
}

/* ------------------------------------------------------ symbolisation */

/* Frame strings by return address, kept for the whole run so that a
   module's frames are named before dlclose unmaps it. */
enum { NAME_SLOTS = 1 << 20, NAME_POOL = 64 << 20 };
struct name_ent {
    uintptr_t ip;
    uint32_t off; /* into g_names; 0: empty slot */
    uint32_t len;
};
static struct name_ent *g_name_tab;
static char *g_names;
static uint32_t g_names_used = 1;
static uint32_t g_named_sites = FIRST_SITE;

static void
buf_hex(char **w, char *end, uintptr_t v, int upper)
{
    char tmp[20];
    int n = 0;
    const char *dig = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    do {
        tmp[n++] = dig[v & 15];
        v >>= 4;
    } while (v);
    while (n && *w < end)
        *(*w)++ = tmp[--n];
}

static void
buf_str(char **w, char *end, const char *s)
{
    while (*s && *w < end)
        *(*w)++ = *s++;
}

static struct name_ent *
name_slot(uintptr_t ip)
{
    uint32_t i = (uint32_t)mix64(ip) & (NAME_SLOTS - 1);
    for (uint32_t probes = 0; probes < NAME_SLOTS; probes++) {
        struct name_ent *e = &g_name_tab[i];
        if (e->off == 0 || e->ip == ip)
            return e;
        i = (i + 1) & (NAME_SLOTS - 1);
    }
    return NULL;
}

/* The string for return address IP: "0xADDR: func+0xOFF (in /module)",
   or "module+0xOFF" for the function where the symbol is not exported
   (addr2line -e module OFF gives file and line). */
static struct name_ent *
name_ip(uintptr_t ip)
{
    if (!g_name_tab) {
        g_name_tab = map(sizeof(struct name_ent) * NAME_SLOTS);
        g_names = map(NAME_POOL);
        if (!g_name_tab || !g_names)
            return NULL;
    }
    struct name_ent *e = name_slot(ip);
    if (!e || e->off)
        return e;
    char line[PATH_MAX + 512], *w = line, *end = line + sizeof line;
    Dl_info di;
    memset(&di, 0, sizeof di);
    /* ip - 1: a return address may be the first byte of the next
       function. */
    int ok = ip > 1 && dladdr((void *)(ip - 1), &di) != 0;
    buf_str(&w, end, "0x");
    buf_hex(&w, end, ip, 1);
    buf_str(&w, end, ": ");
    if (ok && di.dli_sname && di.dli_saddr) {
        buf_str(&w, end, di.dli_sname);
        buf_str(&w, end, "+0x");
        buf_hex(&w, end, ip - (uintptr_t)di.dli_saddr, 0);
    } else if (ok && di.dli_fname) {
        const char *base = strrchr(di.dli_fname, '/');
        buf_str(&w, end, base ? base + 1 : di.dli_fname);
        buf_str(&w, end, "+0x");
        buf_hex(&w, end, ip - (uintptr_t)di.dli_fbase, 0);
    } else {
        buf_str(&w, end, "???");
    }
    if (ok && di.dli_fname && di.dli_fname[0]) {
        buf_str(&w, end, " (in ");
        buf_str(&w, end, di.dli_fname);
        buf_str(&w, end, ")");
    }
    uint32_t len = (uint32_t)(w - line);
    if (g_names_used + len + 1 > NAME_POOL)
        return NULL;
    memcpy(g_names + g_names_used, line, len);
    g_names[g_names_used + len] = 0;
    e->ip = ip;
    e->len = len;
    e->off = g_names_used;
    g_names_used += len + 1;
    return e;
}

/* Names the frames of every site created since the last call. */
static void
name_new_sites(void)
{
    uint32_t ns = __atomic_load_n(&g_nsites, __ATOMIC_ACQUIRE);
    for (uint32_t s = g_named_sites; s < ns; s++)
        for (uint32_t i = 0; i < g_sites[s].n; i++)
            name_ip(g_frames_pool[g_sites[s].off + i]);
    g_named_sites = ns;
}

EXPORT int
dlclose(void *h)
{
    if (!ready() || !real.dlclose)
        return -1;
    if (tracking() && g_frames > 0) {
        busy_set(BUSY_OWN); /* dladdr */
        spin_lock(&report_lock);
        name_new_sites();
        spin_unlock(&report_lock);
        busy_set(0);
    }
    /* Cached unwind rules and stacks may point into the code that goes:
       forget them, and again once it is gone (another thread may have
       cached some meanwhile). */
    if (g_own_unwinder)
        unwind_invalidate();
    int rc = real.dlclose(h);
    if (g_own_unwinder)
        unwind_invalidate();
    return rc;
}

/* --------------------------------------------------------------- output */

struct out {
    int fd, err;
    size_t n;
    char buf[1 << 16];
};

static void
out_flush(struct out *o)
{
    size_t done = 0;
    while (done < o->n && !o->err) {
        ssize_t w = write(o->fd, o->buf + done, o->n - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            o->err = w < 0 ? errno : EIO;
        else
            done += (size_t)w;
    }
    o->n = 0;
}

static void
out_mem(struct out *o, const char *s, size_t n)
{
    while (n) {
        if (o->n == sizeof o->buf)
            out_flush(o);
        size_t k = sizeof o->buf - o->n;
        if (k > n)
            k = n;
        memcpy(o->buf + o->n, s, k);
        o->n += k;
        s += k;
        n -= k;
    }
}

static void
out_str(struct out *o, const char *s)
{
    out_mem(o, s, strlen(s));
}

static void
out_int(struct out *o, int64_t v)
{
    char tmp[24];
    int n = 0;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        tmp[n++] = '-';
    char rev[24];
    for (int i = 0; i < n; i++)
        rev[i] = tmp[n - 1 - i];
    out_mem(o, rev, (size_t)n);
}

/* A JSON string: escapes '"', '\\' and control bytes; other bytes pass
   through (frame strings are file names and symbols, normally UTF-8). */
static void
out_json(struct out *o, const char *s, size_t n)
{
    out_mem(o, "\"", 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            char e[2] = {'\\', (char)c};
            out_mem(o, e, 2);
        } else if (c < 0x20) {
            char e[7] = {
                '\\', 'u', '0', '0', "0123456789abcdef"[c >> 4], "0123456789abcdef"[c & 15], 0};
            out_mem(o, e, 6);
        } else {
            out_mem(o, (const char *)&c, 1);
        }
    }
    out_mem(o, "\"", 1);
}

static void
out_kv(struct out *o, const char *key, int64_t v)
{
    out_str(o, key);
    out_int(o, v);
}

/* Reads a whole small file (/proc/self/cmdline) into BUF. */
static size_t
read_small(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    size_t n = 0;
    while (n < size) {
        ssize_t r = read(fd, buf + n, size - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    return n;
}

/* Per-site sums over the threads, one row per site. */
struct row {
    int64_t tb, tbk, tl, mb, mbk, gb, gbk, eb, ebk;
    uint64_t fhash;
    uint32_t first, nf; /* frame indices in the fs pool */
    uint32_t merged;    /* row that absorbed this one, + 1 */
};

static void
append_num(char **w, char *end, uint64_t v)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n && *w < end)
        *(*w)++ = tmp[--n];
}

/* Expands DHAT_OUT: %p pid, %e executable, %n sequence, %% a percent; any
   other % stays as it is.  HAS_N tells whether %n occurred. */
static int
expand_template(char *dst, size_t size, unsigned seq, int *has_n)
{
    char *w = dst, *end = dst + size - 1;
    const char *t = g_out[0] ? g_out : "dhat.out.%p";
    *has_n = 0;
    if (t[0] != '/' && g_cwd[0]) {
        buf_str(&w, end, g_cwd);
        buf_str(&w, end, "/");
    }
    for (; *t && w < end; t++) {
        if (*t != '%' || !t[1]) {
            *w++ = *t;
            continue;
        }
        switch (*++t) {
        case 'p':
            append_num(&w, end, (uint64_t)getpid());
            break;
        case 'e':
            buf_str(&w, end, g_exe[0] ? g_exe : "unknown");
            break;
        case 'n':
            append_num(&w, end, seq);
            *has_n = 1;
            break;
        case '%':
            *w++ = '%';
            break;
        default:
            *w++ = '%';
            if (w < end)
                *w++ = *t;
        }
    }
    if (w >= end)
        return -1;
    *w = 0;
    return 0;
}

static void
make_parents(char *path)
{
    for (char *s = path + 1; *s; s++)
        if (*s == '/') {
            *s = 0;
            mkdir(path, 0777);
            *s = '/';
        }
}

/* Writes the profile so far to a file named from DHAT_OUT.  Call with
   tls_busy set and report_lock held. */
static int
write_profile(const char *label, int final)
{
    if (tls_ts)
        c0_settle(tls_ts); /* this thread's lifetimes up to now */
    int64_t te = now_us();
    uint32_t ns = __atomic_load_n(&g_nsites, __ATOMIC_ACQUIRE);
    int nt = __atomic_load_n(&g_nstates, __ATOMIC_ACQUIRE);
    int rc = -1;

    /* The global peak snapshot is due if no decrease has come since the
       last peak: then the live heap now is the peak. */
    spin_lock(&peak_lock);
    int64_t live = live_sum(NULL);
    if (g_snap_pending && live >= g_peak_bytes) {
        snapshot_peak();
        g_snap_pending = 0;
    }
    int64_t tg = g_tg;
    spin_unlock(&peak_lock);

    size_t rows_size = sizeof(struct row) * ns;
    struct row *rows = map(rows_size);
    name_new_sites();
    if (!rows)
        return -1;
    for (uint32_t s = 0; s < ns; s++) {
        struct row *r = &rows[s];
        int64_t lmb = 0, lmbk = 0;
        for (int i = -1; i < nt; i++) {
            struct tstate *ts = i < 0 ? &g_spare : g_states[i];
            if (!ts->sites)
                continue;
            if (s == SITE_BEFORE_INIT) {
                r->tb += ld(&ts->ab);
                r->tbk += ld(&ts->abk);
                r->tl += c0_lifetimes(ts);
                r->eb += ld(&ts->ab) - ld(&ts->fb);
                r->ebk += ld(&ts->abk) - ld(&ts->fbk);
            }
            struct site_ctr *c = &ts->sites[s];
            r->tb += ld(&c->tb);
            r->tbk += ld(&c->tbk);
            r->tl += ld(&c->tl);
            r->eb += ld(&c->cb);
            r->ebk += ld(&c->cbk);
            if (ld(&c->mb) > lmb) {
                lmb = ld(&c->mb);
                lmbk = ld(&c->mbk);
            }
        }
        r->tl += r->ebk * te;
        if (r->tl < 0)
            r->tl = 0;
        r->gb = g_gb[2 * s];
        r->gbk = g_gb[2 * s + 1];
        if (g_frames == 0 && s == SITE_BEFORE_INIT) {
            /* The only site: its bytes at the peak are the peak (the c0
               path does not take snapshots). */
            r->gb = g_peak_bytes;
            r->gbk = g_peak_blocks;
        }
        /* A site's own maximum is known only from a single thread's
           counters; with threads, the larger of its bytes at the peak and
           at the end stands in (a lower bound). */
        r->mb = g_multi ? 0 : lmb;
        r->mbk = g_multi ? 0 : lmbk;
        if (r->gb > r->mb) {
            r->mb = r->gb;
            r->mbk = r->gbk;
        }
        if (r->eb > r->mb) {
            r->mb = r->eb;
            r->mbk = r->ebk;
        }
    }

    /* Frame table: index 0 is "[root]"; then the special sites; then one
       entry per distinct return address in order of first use. */
    size_t nframes = __atomic_load_n(&g_nframes, __ATOMIC_ACQUIRE);
    size_t fs_size = sizeof(uint32_t) * (nframes + 4 * (size_t)ns + 8);
    size_t ftbl_size = sizeof(uint32_t) * (nframes + 8);
    uint32_t *fs_pool = map(fs_size);
    uint32_t *ftbl_off = map(ftbl_size);                   /* name offsets */
    uint32_t *idx_of = map(sizeof(uint32_t) * NAME_SLOTS); /* name slot -> ftbl index */
    if (!fs_pool || !ftbl_off || !idx_of)
        goto out_unmap;
    uint32_t nftbl = 1, nfs = 0;
    enum { F_ALL = 1, F_BEFORE = 2, F_FULL = 3 };
    nftbl = 4;
    for (uint32_t s = 0; s < ns; s++) {
        struct row *r = &rows[s];
        r->first = nfs;
        if (s == SITE_BEFORE_INIT) {
            fs_pool[nfs++] = g_frames == 0 ? F_ALL : F_BEFORE;
        } else if (s == SITE_OVERFLOW) {
            fs_pool[nfs++] = F_FULL;
        } else {
            for (uint32_t i = 0; i < g_sites[s].n; i++) {
                struct name_ent *e = name_ip(g_frames_pool[g_sites[s].off + i]);
                if (!e) {
                    continue;
                }
                uint32_t slot = (uint32_t)(e - g_name_tab);
                if (!idx_of[slot]) {
                    idx_of[slot] = nftbl;
                    ftbl_off[nftbl++] = e->off;
                }
                fs_pool[nfs++] = idx_of[slot];
            }
            if (nfs == r->first)
                fs_pool[nfs++] = F_FULL;
        }
        r->nf = nfs - r->first;
        uint64_t h = 1469598103934665603ULL;
        for (uint32_t i = 0; i < r->nf; i++)
            h = mix64(h ^ fs_pool[r->first + i]);
        r->fhash = h;
    }
    /* Merge sites whose frame lists came out equal: the viewer rejects
       repeated locations.  (Distinct raw stacks give distinct strings, as
       each string holds its address; this is a safeguard.) */
    uint32_t hslots = 1;
    while (hslots < 2 * ns)
        hslots <<= 1;
    uint32_t *ht = map(sizeof(uint32_t) * hslots);
    if (!ht)
        goto out_unmap;
    for (uint32_t s = 0; s < ns; s++) {
        struct row *r = &rows[s];
        if (r->tbk == 0 && r->ebk == 0)
            continue;
        uint32_t i = (uint32_t)r->fhash & (hslots - 1);
        for (;; i = (i + 1) & (hslots - 1)) {
            if (!ht[i]) {
                ht[i] = s + 1;
                break;
            }
            struct row *q = &rows[ht[i] - 1];
            if (q->fhash == r->fhash && q->nf == r->nf &&
                memcmp(&fs_pool[q->first], &fs_pool[r->first], sizeof(uint32_t) * r->nf) == 0) {
                q->tb += r->tb;
                q->tbk += r->tbk;
                q->tl += r->tl;
                q->gb += r->gb;
                q->gbk += r->gbk;
                q->eb += r->eb;
                q->ebk += r->ebk;
                q->mb += r->mb;
                q->mbk += r->mbk;
                r->merged = ht[i];
                break;
            }
        }
    }
    munmap(ht, sizeof(uint32_t) * hslots);

    char path[PATH_MAX], tmp[PATH_MAX + 64];
    int has_n;
    unsigned seq = ++g_seq;
    if (expand_template(path, sizeof path - 80, seq, &has_n) < 0) {
        say("output name too long: ", g_out, NULL);
        goto out_unmap;
    }
    if (label && !has_n) {
        char *w = path + strlen(path), *end = path + sizeof path - 1;
        buf_str(&w, end, ".");
        for (const char *l = *label ? label : "snapshot"; *l && w < end; l++)
            *w++ = (char)((*l >= 'a' && *l <= 'z') || (*l >= 'A' && *l <= 'Z') ||
                                  (*l >= '0' && *l <= '9') || *l == '-' || *l == '_' || *l == '.'
                              ? *l
                              : '_');
        *w = 0;
    }
    make_parents(path);
    {
        char *w = tmp, *end = tmp + sizeof tmp - 1;
        const char *slash = strrchr(path, '/');
        size_t dirlen = slash ? (size_t)(slash - path + 1) : 0;
        memcpy(w, path, dirlen);
        w += dirlen;
        buf_str(&w, end, ".");
        buf_str(&w, end, path + dirlen);
        buf_str(&w, end, ".tmp");
        append_num(&w, end, (uint64_t)getpid());
        *w = 0;
    }
    struct out *o = map(sizeof *o);
    if (!o)
        goto out_unmap;
    o->fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (o->fd < 0) {
        say("cannot create ", tmp, strerror(errno));
        munmap(o, sizeof *o);
        goto out_unmap;
    }

    char cmd[8192];
    size_t cn = read_small("/proc/self/cmdline", cmd, sizeof cmd - 1);
    while (cn && cmd[cn - 1] == 0)
        cn--;
    for (size_t i = 0; i < cn; i++)
        if (cmd[i] == 0)
            cmd[i] = ' ';

    out_str(o, "{\"dhatFileVersion\":2\n,\"mode\":\"heap\",\"verb\":\"Allocated\"\n"
               ",\"bklt\":true,\"bkacc\":false\n,\"tu\":\"\xc2\xb5s\",\"Mtu\":\"s\"\n"
               ",\"tuth\":10\n,\"cmd\":");
    out_json(o, cmd, cn);
    out_kv(o, "\n,\"pid\":", getpid());
    out_kv(o, "\n,\"te\":", te);
    out_kv(o, "\n,\"tg\":", tg);
    out_kv(o, "\n,\"frames\":", g_frames);
    if (label) {
        out_str(o, "\n,\"label\":");
        out_json(o, label, strlen(label));
    }
    out_str(o, "\n,\"pps\":\n [");
    int first = 1;
    for (uint32_t s = 0; s < ns; s++) {
        struct row *r = &rows[s];
        if ((r->tbk == 0 && r->ebk == 0) || r->merged)
            continue;
        out_str(o, first ? "{" : "\n ,{");
        first = 0;
        out_kv(o, "\"tb\":", r->tb);
        out_kv(o, ",\"tbk\":", r->tbk);
        out_kv(o, ",\"tl\":", r->tl);
        out_kv(o, ",\"mb\":", r->mb);
        out_kv(o, ",\"mbk\":", r->mbk);
        out_kv(o, ",\"gb\":", r->gb);
        out_kv(o, ",\"gbk\":", r->gbk);
        out_kv(o, ",\"eb\":", r->eb);
        out_kv(o, ",\"ebk\":", r->ebk);
        out_str(o, ",\"fs\":[");
        for (uint32_t i = 0; i < r->nf; i++) {
            if (i)
                out_str(o, ",");
            out_int(o, fs_pool[r->first + i]);
        }
        out_str(o, "]}");
    }
    out_str(o, "\n ]\n,\"ftbl\":\n [\"[root]\"\n ,\"[all allocations: profile with DHAT_FRAMES=N "
               "for call sites]\"\n ,\"[before dhat-preload.so was initialised, or in a signal "
               "handler that interrupted it]\"\n ,\"[call-site "
               "table full]\"");
    for (uint32_t i = 4; i < nftbl; i++) {
        out_str(o, "\n ,");
        out_json(o, g_names + ftbl_off[i], strlen(g_names + ftbl_off[i]));
    }
    out_str(o, "\n ]\n}\n");
    out_flush(o);
    if (close(o->fd) != 0 && !o->err)
        o->err = errno;
    if (o->err) {
        say("cannot write ", tmp, strerror(o->err));
        unlink(tmp);
    } else if (rename(tmp, path) != 0) {
        say("cannot rename to ", path, strerror(errno));
        unlink(tmp);
    } else {
        rc = 0;
    }
    munmap(o, sizeof *o);
    (void) final;
out_unmap:
    if (fs_pool)
        munmap(fs_pool, fs_size);
    if (ftbl_off)
        munmap(ftbl_off, ftbl_size);
    if (idx_of)
        munmap(idx_of, sizeof(uint32_t) * NAME_SLOTS);
    munmap(rows, rows_size);
    return rc;
}

/* ----------------------------------------------------------------- API */

EXPORT int
dhat_preload_api_get_stats(void *out, size_t size)
{
    int64_t v[6] = {0, 0, 0, 0, 0, 0};
    int active = ready() && __atomic_load_n(&g_tracking, RELAXED);
    if (active) {
        int was = tls_busy;
        busy_set(1);
        spin_lock(&peak_lock);
        int nt = __atomic_load_n(&g_nstates, __ATOMIC_ACQUIRE);
        uint32_t ns = __atomic_load_n(&g_nsites, __ATOMIC_ACQUIRE);
        int64_t tb = 0, tbytes = 0, cb = ld(&g_live_bytes), ck = ld(&g_live_blocks);
        for (int i = -1; i < nt; i++) {
            struct tstate *ts = i < 0 ? &g_spare : g_states[i];
            cb += unflushed_bytes(ts);
            ck += unflushed_blocks(ts);
            tb += ld(&ts->abk);
            tbytes += ld(&ts->ab);
            /* Totals: the sum of the per-site counters (only sites
               0 and 1 exist with DHAT_FRAMES=0). */
            if (!ts->sites)
                continue;
            for (uint32_t s = 0; s < ns; s++) {
                tb += ld(&ts->sites[s].tbk);
                tbytes += ld(&ts->sites[s].tb);
            }
        }
        v[0] = tb - g_base_blocks;
        v[1] = tbytes - g_base_bytes;
        v[2] = ck;
        v[3] = cb;
        v[4] = g_api_peak_blocks;
        v[5] = g_api_peak_bytes;
        if (v[3] > v[5]) {
            v[5] = v[3];
            v[4] = v[2];
        }
        spin_unlock(&peak_lock);
        busy_set(was);
    }
    if (size > sizeof v)
        size = sizeof v;
    memcpy(out, v, size);
    return active ? 0 : -1;
}

EXPORT void
dhat_preload_api_reset(void)
{
    if (!ready() || !__atomic_load_n(&g_tracking, RELAXED))
        return;
    int64_t v[6];
    dhat_preload_api_get_stats(v, sizeof v);
    spin_lock(&peak_lock);
    g_base_blocks += v[0];
    g_base_bytes += v[1];
    __atomic_store_n(&g_api_peak_bytes, v[3], RELAXED);
    g_api_peak_blocks = v[2];
    spin_unlock(&peak_lock);
    /* This thread's limits follow the lower peak now; other threads' at
       their next slow step. */
    if (tls_ts)
        set_limits(tls_ts);
}

EXPORT int
dhat_preload_api_write_snapshot(const char *label)
{
    if (!ready() || !__atomic_load_n(&g_tracking, RELAXED))
        return -1;
    int was = tls_busy;
    busy_set(BUSY_OWN);
    spin_lock(&report_lock);
    int rc = write_profile(label ? label : "", 0);
    spin_unlock(&report_lock);
    busy_set(was);
    return rc;
}

/* ------------------------------------------------------ life cycle */

static void
final_report(void)
{
    if (!__atomic_load_n(&g_tracking, RELAXED) || !g_ctor_done)
        return;
    busy_set(BUSY_OWN);
    spin_lock(&report_lock);
    /* Threads still running take the untracked path from here on. */
    __atomic_store_n(&g_fast, 0, RELAXED);
    __atomic_store_n(&g_free_mode, FREE_GENERAL, RELAXED);
    __atomic_store_n(&g_tracking, 0, RELAXED);
    write_profile(NULL, 1);
    spin_unlock(&report_lock);
    busy_set(0);
}

static void
fork_prepare(void)
{
    busy_set(tls_busy + BUSY_OWN);
    spin_lock(&report_lock);
    spin_lock(&reg_lock);
    spin_lock(&site_lock);
    spin_lock(&peak_lock);
    spin_lock(&spare_lock);
}

static void
fork_parent(void)
{
    spin_unlock(&spare_lock);
    spin_unlock(&peak_lock);
    spin_unlock(&site_lock);
    spin_unlock(&reg_lock);
    spin_unlock(&report_lock);
    busy_set(tls_busy - BUSY_OWN);
}

static void
zero_state(struct tstate *ts)
{
    if (ts->sites)
        madvise(ts->sites, sizeof(struct site_ctr) * MAX_SITES, MADV_DONTNEED);
    ts->dbytes = ts->dblocks = 0;
    ts->ab = ts->abk = ts->fb = ts->fbk = ts->limit = ts->limit_un = ts->fb_next = 0;
    ts->tick_next = 0;
    ts->flushed_b = ts->flushed_k = ts->tl = ts->mark_abk = ts->mark_fbk = 0;
    ts->now = 0; /* g_t0 restarts too */
}

/* The child starts a profile of its own: blocks inherited from the parent
   carry an older generation, which free() and realloc() do not count, and
   every counter restarts. */
static void
fork_child(void)
{
    g_generation += (uint64_t)1 << SIZE_BITS;
    g_hdr_key = gen_key(g_generation);
    clock_gettime(CLOCK_MONOTONIC_COARSE, &g_t0);
    for (int i = 0; i < g_nstates; i++) {
        zero_state(g_states[i]);
        if (g_states[i] != tls_ts && !g_states[i]->is_shadow)
            g_states[i]->dead = 1;
    }
    zero_state(&g_spare);
    madvise(g_gb, sizeof(int64_t) * 2 * MAX_SITES, MADV_DONTNEED);
    g_live_bytes = g_live_blocks = 0;
    g_peak_bytes = g_peak_blocks = g_tg = 0;
    g_api_peak_bytes = g_api_peak_blocks = 0;
    g_base_blocks = g_base_bytes = 0;
    g_snap_pending = 0;
    g_multi = 0;
    g_seq = 0;
    fork_parent();
}

static int
exe_matches(const char *glob, const char *argv0)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = 0;
        const char *b = strrchr(exe, '/');
        if (fnmatch(glob, b ? b + 1 : exe, 0) == 0)
            return 1;
    }
    if (argv0) {
        const char *b = strrchr(argv0, '/');
        if (fnmatch(glob, b ? b + 1 : argv0, 0) == 0)
            return 1;
    }
    return 0;
}

/* dl_iterate_phdr callback: the executable segment holding ARG. */
static int
self_segment(struct dl_phdr_info *info, size_t size, void *arg)
{
    (void)size;
    uintptr_t me = (uintptr_t)arg;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        uintptr_t lo = info->dlpi_addr + ph->p_vaddr;
        if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X) && me - lo < ph->p_memsz) {
            g_self_lo = lo;
            g_self_hi = lo + ph->p_memsz;
            return 1;
        }
    }
    return 0;
}

static void
unwinder_init(void)
{
    dl_iterate_phdr(self_segment, (void *)(uintptr_t)site_of_walk);
    const char *which = getenv("DHAT_UNWINDER");
    if (!which || !*which || strcmp(which, "eh_frame") == 0)
        g_own_unwinder = unwind_init();
    if (!which || strcmp(which, "libgcc") != 0) {
        void *h = dlopen("libunwind.so.8", RTLD_NOW | RTLD_LOCAL);
        if (h) {
            void *f = dlsym(h, "unw_backtrace");
            void *pol = NULL, *as = NULL;
#if defined(__x86_64__)
            pol = dlsym(h, "_ULx86_64_set_caching_policy");
            as = dlsym(h, "_ULx86_64_local_addr_space");
#elif defined(__aarch64__)
            pol = dlsym(h, "_ULaarch64_set_caching_policy");
            as = dlsym(h, "_ULaarch64_local_addr_space");
#endif
            if (pol && as) {
                /* Per-thread caches of unwind info: no lock per unwind. */
                int (*set)(void *, int);
                memcpy(&set, &pol, sizeof pol);
                set(*(void **)as, 2 /* UNW_CACHE_PER_THREAD */);
            }
            if (f)
                memcpy(&unw_backtrace_fn, &f, sizeof f);
        }
    }
    if (!unw_backtrace_fn) {
        void *h = dlopen("libgcc_s.so.1", RTLD_NOW | RTLD_LOCAL);
        void *bt = h ? dlsym(h, "_Unwind_Backtrace") : NULL;
        void *ip = h ? dlsym(h, "_Unwind_GetIP") : NULL;
        if (bt && ip) {
            memcpy(&gcc_backtrace_fn, &bt, sizeof bt);
            memcpy(&gcc_getip_fn, &ip, sizeof ip);
        }
    }
    if (!g_own_unwinder && !unw_backtrace_fn && !gcc_backtrace_fn) {
        say("no unwinder (libunwind.so.8 or libgcc_s.so.1); using DHAT_FRAMES=0", NULL, NULL);
        g_frames = 0;
        return;
    }
    /* The first unwind allocates (caches, dl_iterate_phdr): do it now,
       under the guard. */
    uintptr_t ips[4];
    if (unw_backtrace_fn)
        unw_backtrace_fn((void **)ips, 4);
    else if (gcc_backtrace_fn) {
        struct gcc_walk w = {ips, 0, 4};
        gcc_backtrace_fn(gcc_step, &w);
    }
}

__attribute__((constructor)) static void
dhat_preload_init(int argc, char **argv)
{
    if (!ready())
        return;
    busy_set(BUSY_OWN); /* dlopen, getcwd... */
    const char *only = getenv("DHAT_ONLY");
    if (only && *only && !exe_matches(only, argc > 0 && argv ? argv[0] : NULL)) {
        __atomic_store_n(&g_fast, 0, RELAXED);
        __atomic_store_n(&g_free_mode, FREE_GENERAL, RELAXED);
        __atomic_store_n(&g_tracking, 0, RELAXED);
        busy_set(0);
        return;
    }
    const char *out = getenv("DHAT_OUT");
    if (out && *out) {
        size_t n = strlen(out);
        if (n >= sizeof g_out)
            n = sizeof g_out - 1;
        memcpy(g_out, out, n);
        g_out[n] = 0;
    }
    if (!getcwd(g_cwd, sizeof g_cwd))
        g_cwd[0] = 0;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = 0;
        const char *b = strrchr(exe, '/');
        b = b ? b + 1 : exe;
        size_t k = strlen(b);
        if (k >= sizeof g_exe)
            k = sizeof g_exe - 1;
        memcpy(g_exe, b, k);
        g_exe[k] = 0;
    }
    int frames = 8;
    const char *f = getenv("DHAT_FRAMES");
    if (f && *f) {
        char *end;
        long v = strtol(f, &end, 10);
        if (*end || v < 0 || v > MAX_FRAMES - 1) {
            say("DHAT_FRAMES must be a number from 0 to 63; using 8", NULL, NULL);
            v = 8;
        }
        frames = (int)v;
    }
    /* Off before g_frames changes: the fast path counts everything at
       site 0. */
    if (frames > 0) {
        __atomic_store_n(&g_fast, 0, __ATOMIC_SEQ_CST);
        if (g_free_mode == FREE_C0)
            __atomic_store_n(&g_free_mode, FREE_SITES, __ATOMIC_SEQ_CST);
    }
    g_frames = frames;
    if (frames > 0)
        unwinder_init();
    /* (Not after a failed unwinder_init: blocks allocated meanwhile may
       carry other sites, which the fast path's free does not expect.) */
    if (frames == 0 && __atomic_load_n(&g_tracking, RELAXED))
        __atomic_store_n(&g_fast, 1, __ATOMIC_RELEASE);
    pthread_atfork(fork_prepare, fork_parent, fork_child);
    atexit(final_report);
    g_ctor_done = 1;
    busy_set(0);
}
