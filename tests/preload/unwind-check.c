/* unwind-check.c: preload/unwind.c against the unwinders it replaces.

   Every check walks from probe(): unwind_backtrace and libunwind's
   unw_backtrace (and libgcc's _Unwind_Backtrace) must give the same
   return addresses, innermost first.  Their first entries differ by
   construction (each is the return address of its own call in probe),
   so those two must both lie in probe, and every later one must be
   equal, as must the counts.  The stacks: main's own, deep recursion,
   frame-pointer functions, alloca (an rbp-based CFA) below a function
   that clobbers rbp, qsort's comparator (libc frames), a zalloc callback
   inside a dlopen'd libz, a second thread, and a signal handler (where
   the walker must give up).  Then the stack cache of unwind_site: a
   repeated path hits with the same id, two paths that reach the same
   rsp0 are told apart, unwind_invalidate empties it, and a released
   cache serves the next thread.  Prints one summary line with
   nanoseconds per call, which are not checked.
   SPDX-License-Identifier: MIT */

#define _GNU_SOURCE
#include <config.h>

#include <alloca.h>
#include <dlfcn.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "unwind.h"

enum { MAXN = UNWIND_MAX_FRAMES + 1 };

static int (*unw_bt)(void **, int);
static int (*gcc_bt)(int (*)(void *, void *), void *);
static uintptr_t (*gcc_ip)(void *);
static int checks, failures, ref_checks;

static void
fail(const char *what, const char *msg)
{
    printf("FAIL: %s: %s\n", what, msg);
    failures++;
}

static const char *
name_of(uintptr_t ip, char *buf, size_t size)
{
    Dl_info di;
    if (dladdr((void *)ip, &di) && di.dli_sname)
        snprintf(buf, size, "%#lx %s+%#lx", (unsigned long)ip, di.dli_sname,
                 (unsigned long)(ip - (uintptr_t)di.dli_saddr));
    else
        snprintf(buf, size, "%#lx", (unsigned long)ip);
    return buf;
}

static void
dump(const char *label, const uintptr_t *ips, int n)
{
    char b[256];
    printf("  %s (%d):\n", label, n);
    for (int i = 0; i < n; i++)
        printf("    %2d %s\n", i, name_of(ips[i], b, sizeof b));
}

/* The function that contains IP, per the dynamic symbol table. */
static void *
func_of(uintptr_t ip)
{
    Dl_info di;
    return dladdr((void *)ip, &di) ? di.dli_saddr : NULL;
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
    uintptr_t ip = gcc_ip(ctx);
    if (!ip)
        return 5;
    w->ips[w->n++] = ip;
    return 0;
}

/* Compares one reference walk with ours, both made in PROBE_FN. */
static void
compare(const char *what, const char *ref_name, const uintptr_t *mine, int n, const uintptr_t *ref,
        int rn, void *probe_fn)
{
    char msg[160];
    checks++;
    while (rn > 1 && ref[rn - 1] == 0)
        rn--;
    int bad = 0;
    if (n < 1) {
        snprintf(msg, sizeof msg, "unwind_backtrace returned %d", n);
        bad = 1;
    } else if (n != rn) {
        snprintf(msg, sizeof msg, "%d frames, %s gave %d", n, ref_name, rn);
        bad = 1;
    } else if (func_of(mine[0]) != probe_fn || func_of(ref[0]) != probe_fn) {
        snprintf(msg, sizeof msg, "frame 0 is not in the probe (ours and %s)", ref_name);
        bad = 1;
    } else {
        for (int i = 1; i < n; i++)
            if (mine[i] != ref[i]) {
                snprintf(msg, sizeof msg, "frame %d differs from %s", i, ref_name);
                bad = 1;
                break;
            }
    }
    if (bad) {
        fail(what, msg);
        dump("unwind_backtrace", mine, n);
        dump(ref_name, ref, rn);
    }
}

static int g_last_n;
static uintptr_t g_last[MAXN];

/* Walks here with every unwinder and compares; returns our count. */
__attribute__((noinline)) int probe(const char *what, int max);

__attribute__((noinline)) int
probe(const char *what, int max)
{
    uintptr_t mine[MAXN], ref[MAXN];
    int n = unwind_backtrace(mine, max);
    if (unw_bt) {
        int rn = unw_bt((void **)ref, max);
        compare(what, "unw_backtrace", mine, n, ref, rn, (void *)probe);
        ref_checks++;
    }
    if (gcc_bt) {
        struct gcc_walk w = {ref, 0, max};
        gcc_bt(gcc_step, &w);
        compare(what, "_Unwind_Backtrace", mine, n, ref, w.n, (void *)probe);
        ref_checks++;
    }
    g_last_n = n;
    for (int i = 0; i < n && i < MAXN; i++)
        g_last[i] = mine[i];
    return n;
}

/* -------------------------------------------------------- the stacks */

__attribute__((noinline)) int recurse(int depth);

__attribute__((noinline)) int
recurse(int depth)
{
    if (depth == 0)
        return probe("recursion", MAXN);
    return recurse(depth - 1) + 1;
}

__attribute__((noinline, optimize("no-omit-frame-pointer"))) int fp_inner(int x);
__attribute__((noinline, optimize("no-omit-frame-pointer"))) int fp_outer(int x);

__attribute__((noinline, optimize("no-omit-frame-pointer"))) int
fp_inner(int x)
{
    volatile int pad[8];
    pad[x & 7] = x;
    return probe("frame pointers", 16) + pad[x & 7];
}

__attribute__((noinline, optimize("no-omit-frame-pointer"))) int
fp_outer(int x)
{
    return fp_inner(x + 1) + 1;
}

/* rbp is garbage while FN runs: the walk must restore it from where this
   function saved it, for the rbp-based frame above. */
__attribute__((noinline, optimize("omit-frame-pointer"))) int clobber_rbp(int (*fn)(int), int x);

__attribute__((noinline, optimize("omit-frame-pointer"))) int
clobber_rbp(int (*fn)(int), int x)
{
    __asm__ volatile("movq $0x5bad5bad, %%rbp" ::: "rbp");
    return fn(x) + 1;
}

__attribute__((noinline)) int alloca_leaf(int x);
__attribute__((noinline)) int with_alloca(int n);

__attribute__((noinline)) int
alloca_leaf(int x)
{
    return probe("alloca below a clobbered rbp", 12) + x;
}

__attribute__((noinline)) int
with_alloca(int n)
{
    volatile char *buf = alloca((size_t)n);
    buf[0] = (char)n;
    buf[n - 1] = 1;
    int r = probe("alloca", 12);
    return r + clobber_rbp(alloca_leaf, buf[0]) + buf[n - 1];
}

/* A call as the last instruction of its function: the return address is
   past its end, so its row must be looked up at the return address - 1. */
static jmp_buf nr_jmp;
static volatile int *nr_pad;

__attribute__((noinline, noreturn)) void probe_and_jump(void);
__attribute__((noinline)) void ends_in_noreturn(int x);

__attribute__((noinline, noreturn)) void
probe_and_jump(void)
{
    probe("caller ends in a noreturn call", 12);
    longjmp(nr_jmp, 1);
}

__attribute__((noinline)) void
ends_in_noreturn(int x)
{
    volatile int pad[16];
    pad[x & 15] = x;
    nr_pad = pad;
    probe_and_jump();
}

static int qsort_probed;

__attribute__((noinline)) int by_value(const void *a, const void *b);

__attribute__((noinline)) int
by_value(const void *a, const void *b)
{
    if (!qsort_probed++)
        probe("qsort comparator", 20);
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int zalloc_probed;

__attribute__((noinline)) void *zalloc_probe(void *opaque, unsigned items, unsigned size);
__attribute__((noinline)) void zfree_plain(void *opaque, void *p);

__attribute__((noinline)) void *
zalloc_probe(void *opaque, unsigned items, unsigned size)
{
    if (!zalloc_probed++)
        probe("callback from a dlopen'd libz", 20);
    return calloc(items, size);
}

__attribute__((noinline)) void
zfree_plain(void *opaque, void *p)
{
    free(p);
}

/* deflateInit_ calls our zalloc: a stack through an object that dlclose
   will unmap.  z_stream is 112 bytes on LP64, zalloc and zfree at 64 and
   72 (no zlib.h needed). */
static void
through_libz(void)
{
    void *h = dlopen("libz.so.1", RTLD_NOW);
    if (!h) {
        printf("unwind-check: libz.so.1 not available, no dlopen check\n");
        return;
    }
    int (*init)(void *, int, const char *, int);
    int (*end)(void *);
    const char *(*ver)(void);
    void *fi = dlsym(h, "deflateInit_"), *fe = dlsym(h, "deflateEnd"),
         *fv = dlsym(h, "zlibVersion");
    if (!fi || !fe || !fv) {
        fail("libz", "deflateInit_/deflateEnd/zlibVersion missing");
        dlclose(h);
        return;
    }
    memcpy(&init, &fi, sizeof fi);
    memcpy(&end, &fe, sizeof fe);
    memcpy(&ver, &fv, sizeof fv);
    unsigned char strm[256] = {0};
    void *za = (void *)zalloc_probe, *zf = (void *)zfree_plain;
    memcpy(strm + 64, &za, sizeof za);
    memcpy(strm + 72, &zf, sizeof zf);
    if (init(strm, 6, ver(), 112) != 0)
        fail("libz", "deflateInit_ failed");
    else
        end(strm);
    if (!zalloc_probed)
        fail("libz", "zalloc was never called");
    unwind_invalidate();
    dlclose(h);
}

static void *
thread_probe(void *arg)
{
    probe("second thread", MAXN);
    return arg;
}

static volatile sig_atomic_t sig_n;
static volatile uint32_t sig_site;
static uint32_t site_of(uintptr_t *ips, int n);
static __thread struct unwind_cache *cache;

static void
on_signal(int sig)
{
    uintptr_t ips[MAXN];
    sig_n = unwind_backtrace(ips, MAXN);
    sig_site = unwind_site(&cache, 8, site_of);
}

/* ----------------------------------------------------- unwind_site */

static int sites_n, site_calls;
static uintptr_t site_ips[64][MAXN];
static int site_len[64];
static uintptr_t last_site_ips[MAXN];
static int last_site_n;

/* Equal stacks get equal ids, as the profiler's table does. */
static uint32_t
site_of(uintptr_t *ips, int n)
{
    site_calls++;
    last_site_n = n;
    memcpy(last_site_ips, ips, (size_t)n * sizeof *ips);
    for (int s = 0; s < sites_n; s++)
        if (site_len[s] == n && memcmp(site_ips[s], ips, (size_t)n * sizeof *ips) == 0)
            return (uint32_t)s + 100;
    if (sites_n == 64)
        return 99;
    memcpy(site_ips[sites_n], ips, (size_t)n * sizeof *ips);
    site_len[sites_n] = n;
    return (uint32_t)sites_n++ + 100;
}

/* Five frames: leaf, middle, path_f or path_h, run_path, run_paths.
   Every unwind_site check goes through run_paths, so that its own caller
   (and the compiler's loop unrolling there) stays out of the window. */
static int site_max = 5;
static uintptr_t leaf_sp;
static int baseline; /* leaf does not call unwind_site: the cost of the path */

__attribute__((noinline)) uint32_t leaf(void);
__attribute__((noipa)) uint32_t middle(int x);
__attribute__((noipa)) uint32_t path_f(void);
__attribute__((noipa)) uint32_t path_h(void);
__attribute__((noipa)) uint32_t run_path(int which);
__attribute__((noipa)) void run_paths(const char *which, uint32_t *ids, uintptr_t *sps);

__attribute__((noinline)) uint32_t
leaf(void)
{
    volatile int here = 0;
    leaf_sp = (uintptr_t)&here;
    if (baseline)
        return (uint32_t)here;
    return unwind_site(&cache, site_max, site_of) + (uint32_t)here;
}

__attribute__((noipa)) uint32_t
middle(int x)
{
    return leaf() + (uint32_t)(x & 0);
}

/* Two callers of middle with equal frames: the same rsp0 in leaf, and
   stacks that differ in ips[2] only. */
__attribute__((noipa)) uint32_t
path_f(void)
{
    return middle(1) + 0;
}

__attribute__((noipa)) uint32_t
path_h(void)
{
    return middle(2) + 0;
}

/* One call site for both paths. */
__attribute__((noipa)) uint32_t
run_path(int which)
{
    uint32_t (*volatile fn)(void) = which == 'h' ? path_h : path_f;
    return fn();
}

/* run_path once per letter of WHICH ('f' or 'h'), from one call site. */
__attribute__((noipa)) void
run_paths(const char *which, uint32_t *ids, uintptr_t *sps)
{
    for (size_t k = 0; which[k]; k++) {
        ids[k] = run_path(which[k]);
        if (sps)
            sps[k] = leaf_sp;
    }
}

static uint64_t hits0, misses0, falls0;

static void
stats_mark(void)
{
    unwind_stats(&hits0, &misses0, &falls0);
}

static void
expect_stats(const char *what, uint64_t hits, uint64_t misses, uint64_t falls)
{
    uint64_t h, m, f;
    char msg[160];
    unwind_stats(&h, &m, &f);
    checks++;
    if (h - hits0 != hits || m - misses0 != misses || f - falls0 != falls) {
        snprintf(msg, sizeof msg,
                 "hits/misses/fallbacks +%llu/+%llu/+%llu, expected +%llu/+%llu/+%llu",
                 (unsigned long long)(h - hits0), (unsigned long long)(m - misses0),
                 (unsigned long long)(f - falls0), (unsigned long long)hits,
                 (unsigned long long)misses, (unsigned long long)falls);
        fail(what, msg);
    }
    hits0 = h;
    misses0 = m;
    falls0 = f;
}

static void
expect(const char *what, int ok, const char *msg)
{
    checks++;
    if (!ok)
        fail(what, msg);
}

static struct unwind_cache *released;

static void *
thread_site(void *arg)
{
    uint32_t ids[2];
    run_paths("ff", ids, NULL);
    expect("site in a thread", ids[0] == ids[1] && ids[0] != UNWIND_FALLBACK,
           "the repeated path changed id");
    if (arg)
        expect("cache pool", cache == released, "the next thread did not get the released cache");
    released = cache;
    unwind_cache_release(cache);
    cache = NULL;
    return NULL;
}

static void
check_site(void)
{
    uint32_t id[2], fh[4], other[1];
    uintptr_t sp[4];

    /* A repeated path: one miss, then a hit with the same id. */
    stats_mark();
    int calls = site_calls;
    run_paths("ff", id, NULL);
    expect_stats("repeated path", 1, 1, 0);
    expect("repeated path", id[0] == id[1] && id[0] >= 100, "two ids for one path");
    expect("repeated path", site_calls == calls + 1, "site_of called on a hit");

    /* What site_of got: MAX frames, from leaf up. */
    expect("site_of's stack", last_site_n == site_max, "not MAX frames");
    expect("site_of's stack", func_of(last_site_ips[0]) == (void *)leaf, "ips[0] is not in leaf");
    expect("site_of's stack",
           func_of(last_site_ips[1]) == (void *)middle &&
               func_of(last_site_ips[2]) == (void *)path_f &&
               func_of(last_site_ips[3]) == (void *)run_path &&
               func_of(last_site_ips[4]) == (void *)run_paths,
           "ips[1..4] are not middle, path_f, run_path, run_paths");

    /* f -> middle -> leaf, then h -> middle -> leaf: the same rsp0,
       different stacks, and neither may answer for the other. */
    stats_mark();
    calls = site_calls;
    run_paths("fhfh", fh, sp);
    expect("two paths, one rsp0", sp[0] == sp[1] && sp[1] == sp[2],
           "test setup: path_f and path_h leave leaf at different depths");
    expect_stats("two paths, one rsp0", 3, 1, 0);
    expect("two paths, one rsp0", site_calls == calls + 1, "site_of not called once, for h");
    expect("two paths, one rsp0",
           func_of(last_site_ips[2]) == (void *)path_h &&
               func_of(last_site_ips[1]) == (void *)middle,
           "site_of's ips[1..2] are not middle, path_h");
    expect("two paths, one rsp0", fh[0] == id[0] && fh[2] == id[0], "f's id changed");
    expect("two paths, one rsp0", fh[1] != fh[0] && fh[3] == fh[1], "h answered with f's id");

    /* Another MAX is another entry. */
    site_max = 2;
    stats_mark();
    run_paths("f", other, NULL);
    expect_stats("max 2", 0, 1, 0);
    expect("max 2", last_site_n == 2 && other[0] != id[0], "a 2-frame stack as the 5-frame one");
    site_max = 5;

    /* unwind_invalidate forgets everything. */
    unwind_invalidate();
    stats_mark();
    calls = site_calls;
    run_paths("ff", fh, NULL);
    expect_stats("after unwind_invalidate", 1, 1, 0);
    expect("after unwind_invalidate", site_calls == calls + 1, "site_of not called");
    expect("after unwind_invalidate", fh[0] == id[0] && fh[1] == id[0], "the path changed id");

    /* Threads: their own caches; a released one serves the next. */
    pthread_t t;
    if (pthread_create(&t, NULL, thread_site, NULL) == 0 && pthread_join(t, NULL) == 0 &&
        pthread_create(&t, NULL, thread_site, (void *)1) == 0)
        pthread_join(t, NULL);
    else
        fail("threads", "pthread_create failed");

    /* A signal frame is beyond the walker: unwind_site says fallback and
       caches nothing. */
    stats_mark();
    sig_n = 0;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    expect("signal handler", sig_n == -1, "unwind_backtrace walked through a signal frame");
    expect("signal handler", sig_site == UNWIND_FALLBACK, "unwind_site walked through it");
    expect_stats("signal handler", 0, 0, 1);
}

static double
now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

__attribute__((noinline)) int bench_walk(int which, long n);

__attribute__((noinline)) int
bench_walk(int which, long n)
{
    uintptr_t ips[MAXN];
    int r = 0;
    for (long i = 0; i < n; i++) {
        if (which == 0)
            r += unwind_backtrace(ips, 9);
        else
            r += unw_bt((void **)ips, 9);
    }
    return r;
}

int
main(int argc, char **argv)
{
    if (!unwind_init()) {
        printf("unwind-check: no fast walker here (x86-64 glibc 2.35+ only)\n");
        return 77;
    }
    void *h = dlopen("libunwind.so.8", RTLD_NOW | RTLD_LOCAL);
    void *f = h ? dlsym(h, "unw_backtrace") : NULL;
    if (f)
        memcpy(&unw_bt, &f, sizeof f);
    h = dlopen("libgcc_s.so.1", RTLD_NOW | RTLD_LOCAL);
    void *bt = h ? dlsym(h, "_Unwind_Backtrace") : NULL, *ip = h ? dlsym(h, "_Unwind_GetIP") : NULL;
    if (bt && ip) {
        memcpy(&gcc_bt, &bt, sizeof bt);
        memcpy(&gcc_ip, &ip, sizeof ip);
    }
    if (!unw_bt && !gcc_bt) {
        printf("unwind-check: neither libunwind.so.8 nor libgcc_s.so.1 to compare with\n");
        return 77;
    }
    if (!unw_bt)
        printf("unwind-check: libunwind.so.8 not available, comparing with libgcc only\n");

    probe("main", MAXN);
    expect("main", g_last_n >= 2 && g_last_n < 10, "main's stack is not short");
    probe("main, max 1", 1);
    expect("main, max 1", g_last_n == 1, "max 1 gave more");
    recurse(100);
    expect("recursion", g_last_n == MAXN, "not truncated at MAX");
    fp_outer(3);
    with_alloca(3000);
    if (!setjmp(nr_jmp))
        ends_in_noreturn(3);
    int v[64];
    for (int i = 0; i < 64; i++)
        v[i] = (i * 37) % 64;
    qsort(v, 64, sizeof v[0], by_value);
    expect("qsort", qsort_probed > 0, "the comparator never ran");
    through_libz();
    pthread_t t;
    if (pthread_create(&t, NULL, thread_probe, NULL) == 0)
        pthread_join(t, NULL);
    else
        fail("thread", "pthread_create failed");
    check_site();

    /* Figures, not checked: per hit (less the calls that lead to it), per
       uncached walk of 9 frames, per libunwind walk of 9 frames. */
    long n = argc > 1 ? atol(argv[1]) : 1000000;
    double t0 = now_ns();
    uint32_t acc = 0;
    for (long i = 0; i < n; i++)
        acc += run_path('f');
    double hit = (now_ns() - t0) / (double)n;
    baseline = 1;
    t0 = now_ns();
    for (long i = 0; i < n; i++)
        acc += run_path('f');
    hit -= (now_ns() - t0) / (double)n;
    baseline = 0;
    t0 = now_ns();
    bench_walk(0, n / 10);
    double walk = (now_ns() - t0) / (double)(n / 10);
    double unw = 0;
    if (unw_bt) {
        t0 = now_ns();
        bench_walk(1, n / 10);
        unw = (now_ns() - t0) / (double)(n / 10);
    }
    uint64_t hits, misses, falls;
    unwind_stats(&hits, &misses, &falls);
    printf("unwind-check: %d checks (%d against a reference unwinder), %d failed; "
           "ns per call: unwind_site hit %.1f, unwind_backtrace %.1f, unw_backtrace %.1f "
           "(hits %llu, misses %llu, fallbacks %llu)\n",
           checks, ref_checks, failures, hit, walk, unw, (unsigned long long)hits,
           (unsigned long long)misses, (unsigned long long)falls);
    (void)acc;
    return failures ? 1 : 0;
}
