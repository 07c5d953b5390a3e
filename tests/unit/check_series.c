/* check_series.c: unit tests of lib/series: exact tags, value formats,
   the text sparkline (holman/spark's vectors), -d file names, and reading
   a history.
   SPDX-License-Identifier: MIT */

#include <config.h>

#include "series.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

START_TEST(test_tags)
{
    ck_assert(series_is_exact_tag("v0.4.1"));
    ck_assert(series_is_exact_tag("v10"));
    ck_assert(series_is_exact_tag("v2.0.0-rc.1"));
    ck_assert(series_is_exact_tag("v1.2.3+build.5"));
    ck_assert(!series_is_exact_tag("v0.4.1-3-g12d8211"));
    ck_assert(!series_is_exact_tag(""));
    ck_assert(!series_is_exact_tag("0.4.1"));
    ck_assert(!series_is_exact_tag("v"));
    ck_assert(!series_is_exact_tag("vx1"));
    ck_assert(!series_is_exact_tag("v1 beta"));
    ck_assert(!series_is_exact_tag("v1<script>"));
}
END_TEST

START_TEST(test_formats)
{
    char b[SERIES_FMT_SIZE];
    ck_assert_str_eq(series_format_time(283701234.5, b), "283.70 ms");
    ck_assert_str_eq(series_format_time(12.34, b), "12.3 ns");
    ck_assert_str_eq(series_format_time(1500, b), "1.50 \xCE\xBCs");
    ck_assert_str_eq(series_format_time(999999.9, b), "1000.00 \xCE\xBCs");
    ck_assert_str_eq(series_format_time(2e9, b), "2.00 s");
    ck_assert_str_eq(series_format_count(950, b), "950");
    ck_assert_str_eq(series_format_count(1234, b), "1.2K");
    ck_assert_str_eq(series_format_count(3.4e6, b), "3.4M");
    ck_assert_str_eq(series_format_count(1e9, b), "1.0B");
    ck_assert_str_eq(series_format_rate(94.014, b), "94.0");
    ck_assert_str_eq(series_format_rate(12345, b), "12.35K");
    ck_assert_str_eq(series_format_rate(137.86e6, b), "137.86M");
    ck_assert_str_eq(series_format_rate(2.5e9, b), "2.50B");
    ck_assert_str_eq(series_format_other(0.5, b), "0.5");
    ck_assert_str_eq(series_format_other(-12345, b), "-12.35K");
}
END_TEST

static void
spark_is(const char *expected, const double *v, size_t n)
{
    char out[3 * 16 + 1];
    series_spark_text(v, n, false, 0, false, 0, out);
    ck_assert_str_eq(out, expected);
}

START_TEST(test_spark)
{
    /* holman/spark's spark-test.sh.  */
    spark_is("▁▂█▅▂", (double[]){1, 5, 22, 13, 5}, 5);
    spark_is("▁▂▃▄▂█", (double[]){0, 30, 55, 80, 33, 150}, 6);
    spark_is("▁▂▄▆█", (double[]){1, 2, 3, 4, 5}, 5);
    spark_is("▁▄█", (double[]){1, 50, 100}, 3);
    spark_is("▅▅▅▅", (double[]){1, 1, 1, 1}, 4);
    /* Not its quirks.  */
    spark_is("▁▄█", (double[]){-5, -3, -1}, 3);
    spark_is("▁█", (double[]){5.9, 6.1}, 2);
    spark_is("▁▄█", (double[]){0.1, 0.2, 0.3}, 3);
    spark_is("", NULL, 0);
    char out[16];
    series_spark_text((double[]){0, 5, 50, 200}, 4, true, 10, true, 100, out);
    ck_assert_str_eq(out, "▁▁▄█");
}
END_TEST

START_TEST(test_file_names)
{
    char *benches[] = {"a/b", "a_b", "A\\B", "a_b-2", "", ".x", "k:e*y?", "ü"};
    char **names = series_file_names(benches, 8);
    ck_assert_str_eq(names[0], "a_b");
    ck_assert_str_eq(names[1], "a_b-3");
    ck_assert_str_eq(names[2], "A_B-4");
    ck_assert_str_eq(names[3], "a_b-2");
    ck_assert_str_eq(names[4], "_");
    ck_assert_str_eq(names[5], "_x");
    ck_assert_str_eq(names[6], "k_e_y_");
    ck_assert_str_eq(names[7], "__");
    for (int i = 0; i < 8; i++)
        free(names[i]);
    free(names);

    char longer[400];
    memset(longer, 'x', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    char *one[] = {longer};
    names = series_file_names(one, 1);
    ck_assert_uint_eq(strlen(names[0]), 200);
    free(names[0]);
    free(names);
}
END_TEST

START_TEST(test_read)
{
    char path[] = "/tmp/check_series.XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    const char *csv = "\xEF\xBB\xBF"
                      "commit,version,bench,metric,unit,value,allocs,machine\n"
                      "a,v1.0.0,x,mean,ns,100,5,m\n"
                      "a,v1.0.0,x,median,ns,90,5,m\n"
                      "\n"
                      "b,,x,mean,ns,200,,m\n"
                      "b,,y,mean,ns,50,7,m\n";
    ck_assert_int_eq(write(fd, csv, strlen(csv)), (int)strlen(csv));
    close(fd);
    series_query q = {.metric = "mean",
                      .fields = {"value", "allocs"},
                      .nfields = 2,
                      .field_required = {true, false}};
    char *files[] = {path};
    series_set set;
    ck_assert_int_eq(series_read(&set, &q, files, 1), 0);
    ck_assert_uint_eq(set.count, 2);
    series *x = set.items[0];
    ck_assert_str_eq(x->bench, "x");
    ck_assert_str_eq(x->machine, "m");
    ck_assert_uint_eq(x->f[0].n, 2);
    ck_assert_double_eq(x->f[0].v[0], 100);
    ck_assert_double_eq(x->f[0].v[1], 200);
    ck_assert_int_eq(x->f[0].kind, SERIES_TIME);
    ck_assert_str_eq(x->f[0].tag[0], "v1.0.0");
    ck_assert_ptr_null(x->f[0].tag[1]);
    ck_assert_uint_eq(x->f[1].n, 1);
    ck_assert_int_eq(x->f[1].kind, SERIES_COUNT);
    ck_assert_str_eq(set.items[1]->bench, "y");
    series_set_free(&set);
    unlink(path);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("series");
    TCase *tc = tcase_create("text");
    tcase_add_test(tc, test_tags);
    tcase_add_test(tc, test_formats);
    tcase_add_test(tc, test_spark);
    tcase_add_test(tc, test_file_names);
    suite_add_tcase(s, tc);
    tc = tcase_create("read");
    tcase_add_test(tc, test_read);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
