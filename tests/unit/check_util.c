/* check_util.c: unit tests of the small library modules: numfmt (shortest
   round-trip numbers, strict parsing), strmap (the ordered hash map) and
   atomicfile (replace a file or leave it untouched).
   SPDX-License-Identifier: MIT */

#include <config.h>

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomicfile.h"
#include "numfmt.h"
#include "strmap.h"

START_TEST(test_format_shortest)
{
    char buf[NUM_BUFSIZE];
    ck_assert_str_eq(num_format_double(0.1, buf), "0.1");
    ck_assert_str_eq(num_format_double(1781183.3813910966, buf), "1781183.3813910966");
    ck_assert_str_eq(num_format_double(18401762.69666667, buf), "18401762.69666667");
    ck_assert_str_eq(num_format_double(1e21, buf), "1e+21");
    ck_assert_str_eq(num_format_double(-0.0, buf), "-0");
    ck_assert_str_eq(num_format_double(42, buf), "42");
    ck_assert_str_eq(num_format_double(5e-324, buf), "5e-324");
    ck_assert_str_eq(num_format_double(NAN, buf), "nan");
    ck_assert_str_eq(num_format_double(-INFINITY, buf), "-inf");
}
END_TEST

START_TEST(test_format_round_trips)
{
    /* Every formatted value reads back as the same double.  */
    unsigned long long state = 88172645463325252ULL;
    char buf[NUM_BUFSIZE];
    for (int i = 0; i < 100000; i++) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        double value;
        memcpy(&value, &state, sizeof value);
        if (!isfinite(value))
            continue;
        num_format_double(value, buf);
        ck_assert(strtod(buf, NULL) == value);
    }
}
END_TEST

START_TEST(test_parse_strict)
{
    double v;
    ck_assert(num_parse_double("283.70", &v) && v == 283.70);
    ck_assert(num_parse_double("-1e3", &v) && v == -1000);
    ck_assert(num_parse_double(".5", &v) && v == 0.5);
    ck_assert(!num_parse_double("", &v));
    ck_assert(!num_parse_double(" 1", &v));
    ck_assert(!num_parse_double("1 ", &v));
    ck_assert(!num_parse_double("nan", &v));
    ck_assert(!num_parse_double("inf", &v));
    ck_assert(!num_parse_double("0x10", &v));
    ck_assert(!num_parse_double("1e999", &v));
    ck_assert(!num_parse_double("12abc", &v));
}
END_TEST

START_TEST(test_strmap)
{
    strmap m;
    strmap_init(&m);
    char key[32];
    for (int i = 0; i < 5000; i++) {
        int created;
        snprintf(key, sizeof key, "bench/%d", i);
        strmap_entry *e = strmap_upsert(&m, key, strlen(key), &created);
        ck_assert_int_eq(created, 1);
        e->value = (void *)(long)(i + 1);
    }
    ck_assert_uint_eq(m.count, 5000);
    for (int i = 0; i < 5000; i++) {
        snprintf(key, sizeof key, "bench/%d", i);
        strmap_entry *e = strmap_find(&m, key, strlen(key));
        ck_assert_ptr_nonnull(e);
        ck_assert_int_eq((long)e->value, i + 1);
        /* Insertion order is kept.  */
        ck_assert_str_eq(m.entries[i].key, key);
    }
    ck_assert_ptr_null(strmap_find(&m, "bench/5000", 10));
    /* Keys may hold NUL bytes.  */
    strmap_upsert(&m, "a\0b", 3, NULL);
    ck_assert_ptr_null(strmap_find(&m, "a\0c", 3));
    ck_assert_ptr_nonnull(strmap_find(&m, "a\0b", 3));
    int created;
    strmap_upsert(&m, "bench/7", 7, &created);
    ck_assert_int_eq(created, 0);
    strmap_free(&m);
    ck_assert(hash_bytes("", 0, 0) != 0);
    ck_assert(hash_bytes("abc", 3, 0) != hash_bytes("abd", 3, 0));
}
END_TEST

static char dir[] = "/tmp/check_util.XXXXXX";

static void
make_dir(void)
{
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void
remove_dir(void)
{
    char cmd[64];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

static char *
slurp(const char *path)
{
    static char buf[256];
    FILE *fp = fopen(path, "r");
    ck_assert_ptr_nonnull(fp);
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    buf[n] = '\0';
    fclose(fp);
    return buf;
}

static int
count_entries(void)
{
    char cmd[96];
    snprintf(cmd, sizeof cmd, "test $(ls -A '%s' | wc -l) -eq 1", dir);
    return system(cmd) == 0 ? 1 : 0;
}

START_TEST(test_atomic_commit_and_abort)
{
    make_dir();
    char target[64];
    snprintf(target, sizeof target, "%s/history.csv", dir);
    FILE *fp = fopen(target, "w");
    fputs("old\n", fp);
    fclose(fp);
    chmod(target, 0640);

    atomic_file af;
    ck_assert_int_eq(atomic_file_open(&af, target), 0);
    fputs("half", af.fp);
    atomic_file_abort(&af);
    ck_assert_str_eq(slurp(target), "old\n");
    ck_assert_int_eq(count_entries(), 1); /* no temporary left behind */

    ck_assert_int_eq(atomic_file_open(&af, target), 0);
    fputs("new\n", af.fp);
    /* Until the commit, readers see the old contents.  */
    ck_assert_str_eq(slurp(target), "old\n");
    ck_assert_int_eq(atomic_file_commit(&af), 0);
    ck_assert_str_eq(slurp(target), "new\n");
    ck_assert_int_eq(count_entries(), 1);
    struct stat st;
    ck_assert_int_eq(stat(target, &st), 0);
    ck_assert_int_eq(st.st_mode & 0777, 0640);
    remove_dir();
}
END_TEST

START_TEST(test_atomic_missing_dir)
{
    atomic_file af;
    ck_assert_int_eq(atomic_file_open(&af, "/nonexistent-dir/x.csv"), -1);
}
END_TEST

static Suite *
util_suite(void)
{
    Suite *s = suite_create("util");
    TCase *numfmt = tcase_create("numfmt");
    /* 100,000 round trips take about a second; under a sanitizer on a
       loaded machine several times that, past Check's 4 s default.  */
    tcase_set_timeout(numfmt, 60);
    tcase_add_test(numfmt, test_format_shortest);
    tcase_add_test(numfmt, test_format_round_trips);
    tcase_add_test(numfmt, test_parse_strict);
    suite_add_tcase(s, numfmt);
    TCase *map = tcase_create("strmap");
    tcase_add_test(map, test_strmap);
    suite_add_tcase(s, map);
    TCase *atomic = tcase_create("atomicfile");
    tcase_add_test(atomic, test_atomic_commit_and_abort);
    tcase_add_test(atomic, test_atomic_missing_dir);
    suite_add_tcase(s, atomic);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(util_suite());
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
