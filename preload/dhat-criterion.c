/* dhat-criterion.c: dhat-criterion.so, loaded beside dhat-preload.so by
   "dhat-run --criterion FILE".  It finds, in a Criterion.rs benchmark run
   in test mode, the span that Criterion itself times, and writes the
   allocations made within it to FILE as a DHAT v2 profile of its own: the
   benchmark's allocations, without the harness's.

   Why the timed span.  In test mode Criterion runs the routine once, in
   one of the Bencher's loops (iter, iter_batched, iter_with_large_drop,
   async iter...).  Each reads the clock four times:

       time_start = Instant::now();        read 1
       [iter_batched: input = setup();]
       start = measurement.start();        read 2
       routine(input)...                   (what Criterion times)
       value = measurement.end(start);     read 3
       [iter_batched: drop(output);]
       elapsed_time = time_start.elapsed() read 4

   (criterion 0.3, 0.4 and 0.5 alike), with WallTime's start and end being
   Instant::now, that is clock_gettime(CLOCK_MONOTONIC).  Everything
   Criterion does for the benchmark besides (parsing, the one-sample
   Vec<f64> of Routine::bench, the batch vectors, printing) falls outside
   reads 2 and 3; the routine's own allocations, and its own only, fall
   between them.  So no symbol, no call stack and no calibration is
   needed, and the count is exact by construction.

   How the span is found.  Test mode prints "Testing <id>" before the
   benchmark and "Success" after it, each in one write(2) to standard
   output (Rust's stdout is line-buffered).  Between the two, the clock
   reads of the thread that printed them are counted:
     - 4 reads: the span is from read 2 to read 3 (the usual case);
     - 2 reads: a Measurement other than WallTime, or iter_custom whose
       routine reads no clock: from read 1 to read 2;
     - any other number: the setup, the routine or an async executor read
       the clock too, and the span is ambiguous: nothing is written (and a
       line on stderr says why), so the caller can fall back.
   At every read the counters of dhat-preload.so's API are read and reset
   (dhat_preload_api_get_stats, dhat_preload_api_reset), so that each gap
   between two reads has its totals and its peak.

   The profile holds one program point: tb/tbk the bytes and blocks
   allocated in the span, by every thread; gb/gbk (and mb/mbk) how far the
   live heap rose above its level at the span's start, at the highest point
   (bytes, and the change of live blocks then, floored at 0); eb/ebk the
   live heap's growth from the span's start to the last read, once
   Criterion has dropped the routine's output (iter_batched drops it after
   read 3), floored at 0: what the routine kept, such as a cache or a leak.
   te is the span's length in microseconds.

   SPDX-License-Identifier: MIT */

#define _GNU_SOURCE
#include <config.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define EXPORT __attribute__((visibility("default")))
#define RELAXED __ATOMIC_RELAXED

/* dhat-preload.h's struct, repeated: this library does not include the
   header's inline lookups, it resolves the functions once. */
struct stats {
    uint64_t total_blocks, total_bytes, curr_blocks, curr_bytes, max_blocks, max_bytes;
};

enum { MAX_READS = 8 };

/* What one clock read saw: the totals since the previous read, the live
   heap now, and its peak since the previous read. */
struct read {
    struct stats st;
    struct timespec t;
};

static int (*real_clock_gettime)(clockid_t, struct timespec *);
static ssize_t (*real_write)(int, const void *, size_t);
static int (*api_get_stats)(void *, size_t);
static void (*api_reset)(void);

static const char *g_out;
static pid_t g_pid;

/* The state, touched by the thread that printed "Testing" (the others
   only test g_armed). */
static int g_armed;
static pthread_t g_owner;
static int g_tests;  /* "Testing" lines seen */
static int g_passed; /* "Success" seen after the last one */
static int g_nreads; /* clock reads of the owner since "Testing" */
static struct read g_reads[MAX_READS];

static void
say(const char *a, const char *b)
{
    const char *parts[] = {"dhat-criterion: ", a, b, "\n"};
    for (size_t i = 0; i < 4; i++)
        if (parts[i] && syscall(SYS_write, 2, parts[i], strlen(parts[i])) < 0)
            return;
}

static void
on_clock(const struct timespec *t)
{
    if (g_nreads < MAX_READS) {
        struct read *r = &g_reads[g_nreads];
        api_get_stats(&r->st, sizeof r->st);
        api_reset();
        r->t = *t;
    }
    g_nreads++;
}

EXPORT int
clock_gettime(clockid_t id, struct timespec *t)
{
    int rc =
        real_clock_gettime ? real_clock_gettime(id, t) : (int)syscall(SYS_clock_gettime, id, t);
    if (__atomic_load_n(&g_armed, __ATOMIC_ACQUIRE) && id == CLOCK_MONOTONIC && rc == 0 &&
        pthread_equal(pthread_self(), g_owner))
        on_clock(t);
    return rc;
}

static int
starts(const void *buf, size_t n, const char *prefix)
{
    size_t k = strlen(prefix);
    return n >= k && memcmp(buf, prefix, k) == 0;
}

EXPORT ssize_t
write(int fd, const void *buf, size_t n)
{
    if (fd == 1 && api_get_stats) {
        struct stats st;
        /* Only in a process that dhat-preload.so profiles (DHAT_ONLY);
           asked here, when its constructor has surely run. */
        if (starts(buf, n, "Testing ") && api_get_stats(&st, sizeof st) == 0) {
            /* A filter that matches more than one benchmark starts
               again here; no span is written then (see the destructor). */
            g_owner = pthread_self();
            g_tests++;
            g_passed = 0;
            g_nreads = 0;
            /* Publishes g_owner to the other threads' clock reads. */
            __atomic_store_n(&g_armed, 1, __ATOMIC_RELEASE);
        } else if (starts(buf, n, "Success\n") && __atomic_load_n(&g_armed, RELAXED) &&
                   pthread_equal(pthread_self(), g_owner)) {
            __atomic_store_n(&g_armed, 0, RELAXED);
            g_passed = 1;
        }
    }
    return real_write ? real_write(fd, buf, n) : syscall(SYS_write, fd, buf, n);
}

static uint64_t
above(uint64_t a, uint64_t b)
{
    return a > b ? a - b : 0;
}

/* Writes the profile of the span from read FROM to read FROM + 1; the
   growth of the live heap is reckoned at read LAST. */
static void
write_span(int from, int last)
{
    const struct read *a = &g_reads[from], *b = &g_reads[from + 1], *z = &g_reads[last];
    uint64_t peak_bytes = above(b->st.max_bytes, a->st.curr_bytes);
    uint64_t peak_blocks = peak_bytes ? above(b->st.max_blocks, a->st.curr_blocks) : 0;
    uint64_t end_bytes = above(z->st.curr_bytes, a->st.curr_bytes);
    uint64_t end_blocks = above(z->st.curr_blocks, a->st.curr_blocks);
    int64_t te =
        (int64_t)(b->t.tv_sec - a->t.tv_sec) * 1000000 + (b->t.tv_nsec - a->t.tv_nsec) / 1000;
    char text[1024];
    int len = snprintf(
        text, sizeof text,
        "{\"dhatFileVersion\":2\n,\"mode\":\"heap\",\"verb\":\"Allocated\"\n"
        ",\"bklt\":true,\"bkacc\":false\n,\"tu\":\"\xc2\xb5s\",\"Mtu\":\"s\"\n,\"tuth\":10\n"
        ",\"cmd\":\"[the routine Criterion timed: clock reads %d to %d of %d]\"\n"
        ",\"pid\":%ld\n,\"te\":%lld\n,\"tg\":0\n,\"frames\":0\n"
        ",\"pps\":\n [{\"tb\":%llu,\"tbk\":%llu,\"tl\":0,\"mb\":%llu,\"mbk\":%llu,"
        "\"gb\":%llu,\"gbk\":%llu,\"eb\":%llu,\"ebk\":%llu,\"fs\":[1]}\n ]\n"
        ",\"ftbl\":\n [\"[root]\"\n ,\"[the routine Criterion timed]\"\n ]\n}\n",
        from + 1, from + 2, g_nreads, (long)g_pid, (long long)(te > 0 ? te : 0),
        (unsigned long long)b->st.total_bytes, (unsigned long long)b->st.total_blocks,
        (unsigned long long)peak_bytes, (unsigned long long)peak_blocks,
        (unsigned long long)peak_bytes, (unsigned long long)peak_blocks,
        (unsigned long long)end_bytes, (unsigned long long)end_blocks);
    if (len < 0 || (size_t)len >= sizeof text)
        return;
    int fd = open(g_out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) {
        say(g_out, ": cannot create");
        return;
    }
    ssize_t w = real_write(fd, text, (size_t)len);
    if (close(fd) != 0 || w != len)
        say(g_out, ": cannot write");
}

__attribute__((destructor)) static void
dhat_criterion_fini(void)
{
    if (!api_get_stats || getpid() != g_pid)
        return;
    __atomic_store_n(&g_armed, 0, RELAXED);
    /* No "Testing" line: not a Criterion run in test mode, or a process
       dhat-preload.so does not profile; nothing to say. */
    if (g_tests == 0)
        return;
    if (g_tests > 1)
        say("more than one benchmark ran: no span written", NULL);
    else if (!g_passed)
        say("the benchmark did not end with \"Success\"", NULL);
    else if (g_nreads == 4)
        write_span(1, 3);
    else if (g_nreads == 2)
        write_span(0, 1);
    else {
        char n[24];
        snprintf(n, sizeof n, "%d", g_nreads);
        say("the timed span is ambiguous: clock reads during the benchmark: ", n);
    }
}

/* A child forked in the span (its thread has the parent's id) must not
   count its own clock reads into the parent's. */
static void
fork_child(void)
{
    __atomic_store_n(&g_armed, 0, RELAXED);
}

__attribute__((constructor)) static void
dhat_criterion_init(void)
{
    void *s = dlsym(RTLD_NEXT, "clock_gettime");
    memcpy(&real_clock_gettime, &s, sizeof s);
    s = dlsym(RTLD_NEXT, "write");
    memcpy(&real_write, &s, sizeof s);
    g_pid = getpid();
    g_out = getenv("DHAT_CRITERION_OUT");
    if (!g_out || !*g_out || !real_write)
        return;
    void *get = dlsym(RTLD_DEFAULT, "dhat_preload_api_get_stats");
    void *reset = dlsym(RTLD_DEFAULT, "dhat_preload_api_reset");
    if (!get || !reset) {
        say("dhat-preload.so is not loaded", NULL);
        return;
    }
    memcpy(&api_get_stats, &get, sizeof get);
    memcpy(&api_reset, &reset, sizeof reset);
    pthread_atfork(NULL, NULL, fork_child);
}
