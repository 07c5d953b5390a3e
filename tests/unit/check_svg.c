/* check_svg.c: unit tests of lib/svg: UTF-8 decoding, XML-safe text,
   Verdana widths, shields colours, number formats, the flat badge.
   SPDX-License-Identifier: MIT */

#include <config.h>

#include "svg.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What svg_write_text writes for S.  */
static char *
written(const char *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    svg_write_text(fp, s);
    fclose(fp);
    return buf;
}

START_TEST(test_utf8_decoding)
{
    const unsigned char ok[] = "a\xC3\xA9\xE6\x97\xA5\xF0\x9F\x98\x80";
    const unsigned char *p = ok, *end = ok + sizeof ok - 1;
    ck_assert_uint_eq(svg_utf8_next(&p, end), 'a');
    ck_assert_uint_eq(svg_utf8_next(&p, end), 0xE9);
    ck_assert_uint_eq(svg_utf8_next(&p, end), 0x65E5);
    ck_assert_uint_eq(svg_utf8_next(&p, end), 0x1F600);
    ck_assert_ptr_eq(p, end);

    /* Each bad form yields U+FFFD and consumes one byte.  */
    const char *bad[] = {"\x80", "\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80",
                         "\xF8", "\xE6\x97", "\xC3"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const unsigned char *q = (const unsigned char *)bad[i];
        ck_assert_uint_eq(svg_utf8_next(&q, q + strlen(bad[i])), SVG_REPLACEMENT);
        ck_assert_ptr_eq(q, (const unsigned char *)bad[i] + 1);
    }
}
END_TEST

START_TEST(test_escaping)
{
    char *s = written("<a href=\"x\">&'</a>");
    ck_assert_str_eq(s, "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;");
    free(s);
    s = written("tab\there\x01\x7f\xC2\x85 caf\xC3\xA9 \xFF!");
    ck_assert_str_eq(s, "tab\xEF\xBF\xBDhere\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD caf\xC3\xA9 "
                        "\xEF\xBF\xBD!");
    free(s);
    s = written("\xEF\xBF\xBE\xEF\xBF\xBF ok");
    ck_assert_str_eq(s, "\xEF\xBF\xBD\xEF\xBF\xBD ok");
    free(s);
    s = svg_utf8_dup("a\x01\xFF\xC3\xA9<");
    ck_assert_str_eq(s, "a\xEF\xBF\xBD\xEF\xBF\xBD\xC3\xA9<");
    free(s);
}
END_TEST

START_TEST(test_widths)
{
    /* The worked example of shields' own badges.  */
    ck_assert_double_eq_tol(svg_text_width("build"), 26.70, 1e-9);
    ck_assert_double_eq_tol(svg_text_width("passing"), 41.75, 1e-9);
    ck_assert_double_eq_tol(svg_text_width("failing"), 33.35, 1e-9);
    ck_assert_int_eq(svg_preferred_width("build"), 27);
    ck_assert_int_eq(svg_preferred_width("passing"), 41);
    ck_assert_int_eq(svg_preferred_width("failing"), 33);
    ck_assert_int_eq(svg_preferred_width(""), 1);
    /* Per code point: é is one character, not two bytes; a code point
       without a width counts as "m".  */
    ck_assert_double_eq_tol(svg_text_width("\xC3\xA9"), 6.55, 1e-9);
    ck_assert_double_eq_tol(svg_text_width("\xE6\x97\xA5"), 11.0, 1e-9);
    ck_assert_double_eq_tol(svg_text_width("\xF0\x9F\x98\x80"), svg_text_width("m"), 1e-9);
    ck_assert_double_eq_tol(svg_text_width("m"), 10.7, 1e-9);
}
END_TEST

START_TEST(test_colors)
{
    char c[8];
    ck_assert(svg_color_parse("brightgreen", c));
    ck_assert_str_eq(c, "#4c1");
    ck_assert(svg_color_parse("critical", c));
    ck_assert_str_eq(c, "#e05d44");
    ck_assert(svg_color_parse("lightgray", c));
    ck_assert_str_eq(c, "#9f9f9f");
    ck_assert(svg_color_parse("ABCDEF", c));
    ck_assert_str_eq(c, "#abcdef");
    ck_assert(svg_color_parse("#FfF", c));
    ck_assert_str_eq(c, "#fff");
    ck_assert(!svg_color_parse("#abcd", c));
    ck_assert(!svg_color_parse("purple", c));
    ck_assert(!svg_color_parse("", c));
    ck_assert(!svg_color_parse("#ggg", c));
    /* yellow is the brightest named colour and still gets white text.  */
    ck_assert_double_eq_tol(svg_color_brightness("#dfb317"), 0.68, 1e-9);
    ck_assert_double_eq_tol(svg_color_brightness("#fff"), 1.0, 1e-9);
    ck_assert_double_eq_tol(svg_color_brightness("#555"), 0.33, 1e-9);
}
END_TEST

START_TEST(test_numbers)
{
    char b[SVG_NUMBUF];
    ck_assert_str_eq(svg_fixed1(12.25, b), "12.3");
    ck_assert_str_eq(svg_fixed1(0.04, b), "0.0");
    ck_assert_str_eq(svg_fixed1(-0.35, b), "-0.4");
    ck_assert_str_eq(svg_fixed1(7, b), "7.0");
    ck_assert_str_eq(svg_sig12(111.01522397282584, b), "111.015223973");
    ck_assert_str_eq(svg_sig12(42, b), "42");
    ck_assert_str_eq(svg_sig12(0.000123, b), "0.000123");
    ck_assert_str_eq(svg_sig12(1e-7, b), "1e-07");
    ck_assert_str_eq(svg_sig12(1.5e20, b), "1.5e+20");
    ck_assert_str_eq(svg_sig12(999999999999.9, b), "1e+12");
    ck_assert_str_eq(svg_sig12(-2.5, b), "-2.5");
    ck_assert_str_eq(svg_sig12(0, b), "0");
    ck_assert_str_eq(svg_sig12(100000000000, b), "100000000000");
}
END_TEST

START_TEST(test_badge)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    svg_badge_flat(fp, " build ", "passing", "#4c1", "#555");
    fclose(fp);
    ck_assert_str_eq(
        buf,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
        "width=\"88\" height=\"20\" role=\"img\" aria-label=\"build: passing\"><title>build: "
        "passing</title><linearGradient id=\"s\" x2=\"0\" y2=\"100%\"><stop offset=\"0\" "
        "stop-color=\"#bbb\" stop-opacity=\".1\"/><stop offset=\"1\" stop-opacity=\".1\"/>"
        "</linearGradient><clipPath id=\"r\"><rect width=\"88\" height=\"20\" rx=\"3\" "
        "fill=\"#fff\"/></clipPath><g clip-path=\"url(#r)\"><rect width=\"37\" height=\"20\" "
        "fill=\"#555\"/><rect x=\"37\" width=\"51\" height=\"20\" fill=\"#4c1\"/><rect "
        "width=\"88\" height=\"20\" fill=\"url(#s)\"/></g><g fill=\"#fff\" "
        "text-anchor=\"middle\" font-family=\"Verdana,Geneva,DejaVu Sans,sans-serif\" "
        "text-rendering=\"geometricPrecision\" font-size=\"110\"><text aria-hidden=\"true\" "
        "x=\"195\" y=\"150\" fill=\"#010101\" fill-opacity=\".3\" transform=\"scale(.1)\" "
        "textLength=\"270\">build</text><text x=\"195\" y=\"140\" transform=\"scale(.1)\" "
        "fill=\"#fff\" textLength=\"270\">build</text><text aria-hidden=\"true\" x=\"615\" "
        "y=\"150\" fill=\"#010101\" fill-opacity=\".3\" transform=\"scale(.1)\" "
        "textLength=\"410\">passing</text><text x=\"615\" y=\"140\" transform=\"scale(.1)\" "
        "fill=\"#fff\" textLength=\"410\">passing</text></g></svg>");
    free(buf);

    /* No label: the message alone, its box from 0.  */
    buf = NULL;
    fp = open_memstream(&buf, &len);
    svg_badge_flat(fp, "", "passing", "#4c1", "#555");
    fclose(fp);
    ck_assert(strstr(buf, "width=\"51\" height=\"20\" role=\"img\" aria-label=\"passing\">") !=
              NULL);
    ck_assert(strstr(buf, "<rect width=\"0\" height=\"20\" fill=\"#4c1\"/>") != NULL);
    ck_assert(strstr(buf, "x=\"255\" y=\"140\"") != NULL);
    free(buf);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("svg");
    TCase *tc = tcase_create("text");
    tcase_add_test(tc, test_utf8_decoding);
    tcase_add_test(tc, test_escaping);
    tcase_add_test(tc, test_widths);
    suite_add_tcase(s, tc);
    tc = tcase_create("values");
    tcase_add_test(tc, test_colors);
    tcase_add_test(tc, test_numbers);
    suite_add_tcase(s, tc);
    tc = tcase_create("badge");
    tcase_add_test(tc, test_badge);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
