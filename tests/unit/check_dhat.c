/* check_dhat.c: unit tests of the streaming DHAT reader (lib/dhat.c).

   The reader has two ways to read a program point: its own fast path for
   plain integer objects, and json-c for everything else.  The main test
   here reads every fixture both ways and requires the same program points,
   totals, frames and, for bad files, the same message.
   SPDX-License-Identifier: MIT */

#include <config.h>

#include "dhat.h"

#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* What one reading saw: a running hash of every program point and frame,
   their number, and the message printed for a bad file.  */
typedef struct seen {
    uint64_t hash, npps, nframes;
    uint64_t wanted[4];
    char message[512];
} seen;

static uint64_t
mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9e3779b97f4a7c15u + (h << 6) + (h >> 2);
    return h;
}

static void
on_pp(void *ctx, const dhat_pp *pp)
{
    seen *s = ctx;
    const dhat_counts *c = &pp->counts;
    uint64_t v[] = {pp->index, pp->line, c->tb, c->tbk, c->gb, c->gbk, c->eb, c->ebk, pp->nfs};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        s->hash = mix(s->hash, v[i]);
    for (size_t i = 0; i < pp->nfs; i++)
        s->hash = mix(s->hash, pp->fs[i]);
    s->npps++;
}

/* Asks for frames 1 and 2 (when they exist; the reader must cope either
   way, it checks indexes only against ftbl).  */
static size_t
on_wanted(void *ctx, const uint64_t **indexes)
{
    seen *s = ctx;
    s->wanted[0] = 1;
    s->wanted[1] = 2;
    *indexes = s->wanted;
    return 2;
}

static void
on_frame(void *ctx, uint64_t index, const char *text, size_t len)
{
    seen *s = ctx;
    s->hash = mix(s->hash, index);
    for (size_t i = 0; i < len; i++)
        s->hash = mix(s->hash, (unsigned char)text[i]);
    s->nframes++;
}

/* Reads PATH (relative to tests/data/dhat) with the reader, capturing its
   message.  Returns dhat_scan_fd's result.  */
static int
read_one(const char *path, bool json_c_only, seen *s, dhat_info *info)
{
    const char *top = getenv("abs_top_srcdir");
    char full[4096], errpath[] = "/tmp/check_dhat.XXXXXX";
    snprintf(full, sizeof full, "%s/tests/data/dhat/%s", top ? top : ".", path);
    memset(s, 0, sizeof *s);

    int fd = open(full, O_RDONLY);
    ck_assert_msg(fd >= 0, "cannot open %s", full);
    int errfd = mkstemp(errpath);
    ck_assert_int_ge(errfd, 0);
    unlink(errpath);
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    dup2(errfd, STDERR_FILENO);

    dhat_hooks hooks = {.ctx = s,
                        .pp = on_pp,
                        .frames_wanted = on_wanted,
                        .frame = on_frame,
                        .json_c_only = json_c_only};
    int rc = dhat_scan_fd(fd, path, &hooks, info);

    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    ssize_t n = pread(errfd, s->message, sizeof s->message - 1, 0);
    s->message[n > 0 ? n : 0] = '\0';
    close(errfd);
    close(fd);
    return rc;
}

static const char *const fixtures[] = {
    "valgrind/basic.dhat",
    "valgrind/leak.dhat",
    "valgrind/threads.dhat",
    "valgrind/adhoc.dhat",
    "valgrind/copy.dhat",
    "valgrind/runs/run-100.dhat",
    "dhat-rs/dhat-heap.json",
    "dhat-rs/dhat-ad-hoc.json",
    "preload/dhat.out.json",
    "bad/array.json",
    "bad/duplicate-pps.json",
    "bad/empty.json",
    "bad/fraction.json",
    "bad/fs-outside.json",
    "bad/negative.json",
    "bad/no-ftbl.json",
    "bad/no-gb.json",
    "bad/no-tb.json",
    "bad/no-tbk.json",
    "bad/not-json.txt",
    "bad/pp-not-object.json",
    "bad/string-number.json",
    "bad/sum-overflow.json",
    "bad/too-large.json",
    "bad/trailing.json",
    "bad/truncated.dhat",
    "bad/unknown-mode.dhat",
    "bad/version3.dhat",
    "edge/u64-max.json",
    "bad/negative-zero.json",
    "bad/negative-zero-json-c.json",
    "bad/fs-negative-zero.json",
    "bad/fs-too-large.json",
    "bad/too-large-json-c.json",
    "bad/counter-array.json",
};

START_TEST(test_fast_path_agrees_with_json_c)
{
    const char *path = fixtures[_i];
    seen fast, slow;
    dhat_info a, b;
    int rc_fast = read_one(path, false, &fast, &a);
    int rc_slow = read_one(path, true, &slow, &b);

    ck_assert_int_eq(rc_fast, rc_slow);
    ck_assert_str_eq(fast.message, slow.message);
    if (strncmp(path, "bad/", 4) == 0) {
        ck_assert_int_eq(rc_fast, -1);
        ck_assert_msg(strstr(fast.message, path) != NULL, "%s: message %s", path, fast.message);
        return;
    }
    ck_assert_int_eq(rc_fast, 0);
    ck_assert_str_eq(fast.message, "");
    ck_assert_uint_eq(fast.hash, slow.hash);
    ck_assert_uint_eq(fast.npps, slow.npps);
    ck_assert_uint_eq(fast.nframes, slow.nframes);
    ck_assert_uint_eq(fast.npps, a.npps);
    ck_assert_uint_eq(fast.nframes, 2);
    ck_assert_int_eq(memcmp(&a.total, &b.total, sizeof a.total), 0);
    ck_assert_str_eq(a.mode, b.mode);
    ck_assert_int_eq(a.kind, b.kind);
    ck_assert_int_eq(a.bklt, b.bklt);
    ck_assert_uint_eq(a.nframes, b.nframes);
    dhat_info_free(&a);
    dhat_info_free(&b);
}
END_TEST

/* 2^64 - 1 is a valid count, read exactly by both paths; json-c alone
   would take it for an overflow.  */
START_TEST(test_u64_max)
{
    for (int json_c_only = 0; json_c_only <= 1; json_c_only++) {
        seen s;
        dhat_info info;
        ck_assert_int_eq(read_one("edge/u64-max.json", json_c_only, &s, &info), 0);
        ck_assert_uint_eq(info.npps, 3);
        ck_assert_uint_eq(info.total.tb, UINT64_MAX);
        ck_assert_uint_eq(info.total.tbk, UINT64_MAX);
        ck_assert_uint_eq(info.total.gb, UINT64_MAX);
        ck_assert_uint_eq(info.total.gbk, 0);
        dhat_info_free(&info);
    }
}
END_TEST

START_TEST(test_basic_totals)
{
    seen s;
    dhat_info info;
    ck_assert_int_eq(read_one("valgrind/basic.dhat", false, &s, &info), 0);
    ck_assert_str_eq(info.mode, "heap");
    ck_assert_int_eq(info.kind, DHAT_HEAP);
    ck_assert(info.bklt);
    ck_assert_uint_eq(info.total.tbk, 7);
    ck_assert_uint_eq(info.total.tb, 372);
    ck_assert_uint_eq(info.total.gb, 224);
    ck_assert_uint_eq(info.total.gbk, 3);
    ck_assert_uint_eq(info.total.eb, 32);
    ck_assert_uint_eq(info.total.ebk, 1);
    ck_assert_uint_eq(info.npps, 4);
    dhat_info_free(&info);
}
END_TEST

START_TEST(test_kinds)
{
    seen s;
    dhat_info info;
    ck_assert_int_eq(read_one("dhat-rs/dhat-ad-hoc.json", false, &s, &info), 0);
    ck_assert_int_eq(info.kind, DHAT_ADHOC);
    ck_assert_str_eq(info.mode, "rust-ad-hoc");
    ck_assert(!info.bklt);
    ck_assert_uint_eq(info.total.tbk, 8);
    dhat_info_free(&info);
    ck_assert_int_eq(read_one("valgrind/copy.dhat", false, &s, &info), 0);
    ck_assert_int_eq(info.kind, DHAT_COPY);
    ck_assert_str_eq(dhat_kind_name(info.kind), "copy");
    dhat_info_free(&info);
    ck_assert_int_eq(read_one("dhat-rs/dhat-heap.json", false, &s, &info), 0);
    ck_assert_int_eq(info.kind, DHAT_HEAP);
    ck_assert_str_eq(dhat_kind_name(info.kind), "heap");
    dhat_info_free(&info);
}
END_TEST

/* No hooks at all is allowed.  */
START_TEST(test_no_hooks)
{
    const char *top = getenv("abs_top_srcdir");
    char full[4096];
    snprintf(full, sizeof full, "%s/tests/data/dhat/preload/dhat.out.json", top ? top : ".");
    int fd = open(full, O_RDONLY);
    ck_assert_int_ge(fd, 0);
    dhat_info info;
    ck_assert_int_eq(dhat_scan_fd(fd, "preload", NULL, &info), 0);
    ck_assert_uint_eq(info.total.tbk, 44);
    ck_assert_uint_eq(info.nframes, 5);
    dhat_info_free(&info);
    close(fd);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("dhat");
    TCase *tc = tcase_create("reader");
    tcase_add_loop_test(tc, test_fast_path_agrees_with_json_c, 0,
                        (int)(sizeof fixtures / sizeof fixtures[0]));
    tcase_add_test(tc, test_u64_max);
    tcase_add_test(tc, test_basic_totals);
    tcase_add_test(tc, test_kinds);
    tcase_add_test(tc, test_no_hooks);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
