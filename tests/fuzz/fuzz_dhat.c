/* fuzz_dhat.c: a libFuzzer target for the DHAT reader that looks for
   divergences, not only crashes.  The reader has a fast path for plain
   program points and frames and hands everything else to json-c; the two
   must agree.  So every input is read three ways:

     A. the fast path, from a regular file, in whole reads;
     B. json-c only, from a regular file, in whole reads;
     C. from a pipe (the frame table is then spooled to a temporary file),
        in reads of a few bytes, so that program points, frames and JSON
        values straddle refills of the read buffer; the fast path or json-c
        by turns.

   and the target aborts unless all three accept or all refuse it with the
   same message, and report the same mode, totals, program points (with
   their lines, counters and frames) and frame texts.  Totals must also be
   the sums of the program points, and every frame asked for must be
   delivered once.  Not part of make check: make fuzz runs it.
   SPDX-License-Identifier: MIT */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <json.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "dhat.h"

/* The reader, compiled in with its read(2) replaced by one that can be
   told to return fewer bytes than asked, as a pipe or a socket may, and
   with its read buffer recycled: ASan maps a new 256 KiB block for every
   reading and unmaps it after, which took three quarters of the time.  */
static ssize_t fuzz_read(int fd, void *buf, size_t count);
static void *fuzz_xmalloc(size_t size);
static void fuzz_free(void *p);
#define read fuzz_read
#define xmalloc fuzz_xmalloc
#define free fuzz_free
#include "../../lib/dhat.c"
#undef read
#undef xmalloc
#undef free

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* At most this many bytes per read; 0: no limit.  */
static size_t read_limit;

static ssize_t
fuzz_read(int fd, void *buf, size_t count)
{
    return read(fd, buf, read_limit != 0 && count > read_limit ? read_limit : count);
}

/* The reader's buffer, the one block of BIG bytes or more it has at a
   time: the one in use, or one freed and kept for the next reading.  */
enum { BIG = 128 * 1024 };
static void *big_block, *spare;
static size_t spare_size;

static void *
fuzz_xmalloc(size_t size)
{
    if (size < BIG)
        return xmalloc(size);
    if (spare != NULL && spare_size == size) {
        big_block = spare;
    } else {
        free(spare);
        big_block = xmalloc(size);
        spare_size = size;
    }
    spare = NULL;
    return big_block;
}

static void
fuzz_free(void *p)
{
    if (p != NULL && p == big_block && spare == NULL) {
        spare = p;
        big_block = NULL;
    } else {
        free(p);
    }
}

/* What one reading saw.  */
typedef struct seen {
    int rc;
    char *message; /* everything the reader printed */
    size_t message_len;
    dhat_info info;
    uint64_t pp_hash, frame_hash;
    dhat_counts sum; /* the program points' counters, summed */
    uint64_t npps;
    uint64_t *wanted; /* the frames used by the program points */
    size_t nwanted, wanted_cap;
    size_t ndelivered;
    bool delivered_in_order;
    uint64_t last_delivered;
} seen;

static uint64_t
mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9e3779b97f4a7c15u + (h << 6) + (h >> 2);
    return h * 0xff51afd7ed558ccdu;
}

static void
on_pp(void *ctx, const dhat_pp *pp)
{
    seen *s = ctx;
    const dhat_counts *c = &pp->counts;
    uint64_t fields[] = {pp->index, pp->line, c->tb, c->tbk, c->gb, c->gbk, c->eb, c->ebk, pp->nfs};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        s->pp_hash = mix(s->pp_hash, fields[i]);
    if (pp->index != s->npps)
        abort();
    s->npps++;
    /* Wrapping sums: the reader refuses a file whose sums overflow.  */
    s->sum.tb += c->tb, s->sum.tbk += c->tbk, s->sum.gb += c->gb;
    s->sum.gbk += c->gbk, s->sum.eb += c->eb, s->sum.ebk += c->ebk;
    for (size_t i = 0; i < pp->nfs; i++) {
        s->pp_hash = mix(s->pp_hash, pp->fs[i]);
        if (s->nwanted == s->wanted_cap) {
            s->wanted_cap = s->wanted_cap ? 2 * s->wanted_cap : 64;
            s->wanted = xreallocarray(s->wanted, s->wanted_cap, sizeof *s->wanted);
        }
        s->wanted[s->nwanted++] = pp->fs[i];
    }
}

static int
compare_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static size_t
on_frames_wanted(void *ctx, const uint64_t **indexes)
{
    seen *s = ctx;
    if (s->nwanted == 0)
        return 0;
    qsort(s->wanted, s->nwanted, sizeof *s->wanted, compare_u64);
    size_t n = 0;
    for (size_t i = 0; i < s->nwanted; i++)
        if (n == 0 || s->wanted[n - 1] != s->wanted[i])
            s->wanted[n++] = s->wanted[i];
    s->nwanted = n;
    *indexes = s->wanted;
    return n;
}

static void
on_frame(void *ctx, uint64_t index, const char *text, size_t len)
{
    seen *s = ctx;
    if (s->ndelivered > 0 && index <= s->last_delivered)
        s->delivered_in_order = false;
    s->last_delivered = index;
    s->ndelivered++;
    s->frame_hash = mix(s->frame_hash, index);
    s->frame_hash = mix(s->frame_hash, len);
    for (size_t i = 0; i < len; i++)
        s->frame_hash = mix(s->frame_hash, (unsigned char)text[i]);
}

static int file_fd = -1;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    cli_init("dhat-scan");
    file_fd = memfd_create("fuzz-dhat", MFD_CLOEXEC);
    if (file_fd < 0)
        abort();
    return 0;
}

/* Reads the input from FD with the reader into S, capturing its
   messages.  */
static void
read_with(int fd, bool json_c_only, size_t limit, seen *s)
{
    memset(s, 0, sizeof *s);
    s->delivered_in_order = true;
    dhat_hooks hooks = {.ctx = s,
                        .pp = on_pp,
                        .frames_wanted = on_frames_wanted,
                        .frame = on_frame,
                        .json_c_only = json_c_only};
    /* cli_vwarn_at prints to stdio's stderr; sanitizer and libFuzzer
       reports do not, so a crash in the reader is still seen.  */
    FILE *saved = stderr;
    stderr = open_memstream(&s->message, &s->message_len);
    if (stderr == NULL)
        abort();
    read_limit = limit;
    s->rc = dhat_scan_fd(fd, "fuzz", &hooks, &s->info);
    read_limit = 0;
    if (fclose(stderr) != 0)
        abort();
    stderr = saved;
}

static void
seen_free(seen *s)
{
    if (s->rc == 0)
        dhat_info_free(&s->info);
    free(s->message);
    free(s->wanted);
}

static void
dump(const char *what, const seen *s)
{
    fprintf(stderr,
            "%s: rc %d, mode %s, bklt %d, %" PRIu64 " pps, %" PRIu64 " frames, tb %" PRIu64
            ", tbk %" PRIu64 ", %zu frames delivered, message: %s\n",
            what, s->rc, s->rc == 0 ? s->info.mode : "-", s->rc == 0 && s->info.bklt,
            s->rc == 0 ? s->info.npps : 0, s->rc == 0 ? s->info.nframes : 0,
            s->rc == 0 ? s->info.total.tb : 0, s->rc == 0 ? s->info.total.tbk : 0, s->ndelivered,
            s->message);
}

/* Aborts, after saying why, unless A and B saw the same.  */
static void
agree(const char *how, const seen *a, const seen *b)
{
    const char *why = NULL;
    if (a->rc != b->rc)
        why = "one accepts, the other refuses";
    else if (a->message_len != b->message_len || memcmp(a->message, b->message, a->message_len))
        why = "different messages";
    else if (a->rc == 0 && (strcmp(a->info.mode, b->info.mode) != 0 ||
                            a->info.kind != b->info.kind || a->info.bklt != b->info.bklt ||
                            a->info.npps != b->info.npps || a->info.nframes != b->info.nframes ||
                            memcmp(&a->info.total, &b->info.total, sizeof a->info.total) != 0))
        why = "different totals";
    else if (a->rc == 0 && (a->pp_hash != b->pp_hash || a->npps != b->npps))
        why = "different program points";
    else if (a->rc == 0 && (a->frame_hash != b->frame_hash || a->ndelivered != b->ndelivered))
        why = "different frames";
    if (why != NULL) {
        fprintf(stderr, "fuzz_dhat: %s: %s\n", how, why);
        dump("first", a);
        dump("second", b);
        abort();
    }
}

/* Aborts unless what S accepted is consistent in itself.  */
static void
consistent(const seen *s)
{
    if (s->rc != 0)
        return;
    const dhat_info *in = &s->info;
    dhat_counts sum = s->sum;
    if (!in->bklt)
        sum.gb = sum.gbk = sum.eb = sum.ebk = 0;
    const char *why = NULL;
    if (s->message_len != 0)
        why = "a message about a file accepted";
    else if (in->npps != s->npps)
        why = "npps is not the number of program points";
    else if (memcmp(&sum, &in->total, sizeof sum) != 0)
        why = "the totals are not the sums of the program points";
    else if (s->ndelivered != s->nwanted || !s->delivered_in_order)
        why = "the frames asked for are not each delivered once, in order";
    if (why != NULL) {
        fprintf(stderr, "fuzz_dhat: %s\n", why);
        dump("reading", s);
        abort();
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (ftruncate(file_fd, 0) != 0 || pwrite(file_fd, data, size, 0) != (ssize_t)size)
        abort();

    seen a, b, c;
    if (lseek(file_fd, 0, SEEK_SET) != 0)
        abort();
    read_with(file_fd, false, 0, &a);
    consistent(&a);
    if (lseek(file_fd, 0, SEEK_SET) != 0)
        abort();
    read_with(file_fd, true, 0, &b);
    consistent(&b);
    agree("fast path and json-c", &a, &b);

    /* The whole input fits in the pipe (make fuzz caps inputs at 64 KiB,
       a pipe's default size), so one thread can write it all first.  */
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
        abort();
    (void)fcntl(fds[1], F_SETPIPE_SZ, 1 << 20);
    int pipe_size = fcntl(fds[1], F_GETPIPE_SZ);
    if (pipe_size > 0 && size <= (size_t)pipe_size) {
        if (size > 0 && write(fds[1], data, size) != (ssize_t)size)
            abort();
        close(fds[1]);
        /* A read size from 1 byte up that the fuzzer can vary with the
           length of the input.  */
        read_with(fds[0], size % 2 == 1, 1 + size % 61, &c);
        consistent(&c);
        agree("whole reads and short reads from a pipe", &a, &c);
        seen_free(&c);
    } else {
        close(fds[1]);
    }
    close(fds[0]);
    seen_free(&a);
    seen_free(&b);
    return 0;
}
