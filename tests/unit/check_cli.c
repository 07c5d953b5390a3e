/* check_cli.c: unit tests of lib/cli.c: cli_quote, the bounded quotation
   of input text in messages.
   SPDX-License-Identifier: MIT */

#include <config.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

START_TEST(test_quote_short)
{
    ck_assert_str_eq(cli_quote_str("plain"), "plain");
    ck_assert_str_eq(cli_quote_str(""), "");
    ck_assert_str_eq(cli_quote("a\nb\tc\rd\\e", 9), "a\\nb\\tc\\rd\\\\e");
    ck_assert_str_eq(cli_quote("\x01\x7f", 2), "\\x01\\x7F");
    /* A NUL inside the value is shown, not taken for its end.  */
    ck_assert_str_eq(cli_quote("a\0b", 3), "a\\x00b");
    /* UTF-8 is kept; stray bytes, overlong forms and C1 controls are not.  */
    ck_assert_str_eq(cli_quote_str("\xc2\xb5s \xe2\x9c\x93"), "\xc2\xb5s \xe2\x9c\x93");
    ck_assert_str_eq(cli_quote_str("\xff\xc0\xaf\xc2\x9b"), "\\xFF\\xC0\\xAF\\xC2\\x9B");
    ck_assert_str_eq(cli_quote_str("\xe2\x9c"), "\\xE2\\x9C");
}
END_TEST

START_TEST(test_quote_long)
{
    size_t len = 10 * 1000 * 1000;
    char *big = malloc(len);
    memset(big, 'x', len);
    const char *q = cli_quote(big, len);
    ck_assert_uint_eq(strlen(q), CLI_QUOTE_MAX + 3);
    ck_assert_str_eq(q + CLI_QUOTE_MAX, "...");
    /* Exactly CLI_QUOTE_MAX bytes fit whole.  */
    ck_assert_str_eq(cli_quote(big, CLI_QUOTE_MAX) + CLI_QUOTE_MAX - 1, "x");
    /* Escapes count at their printed length, and a cut never splits one
       or a UTF-8 character.  */
    memset(big, '\n', 100);
    q = cli_quote(big, 100);
    ck_assert_uint_eq(strlen(q), CLI_QUOTE_MAX + 3);
    for (size_t i = 0; i < 40; i++) {
        big[2 * i] = '\xc3';
        big[2 * i + 1] = '\xa9';
    }
    big[80] = '\xc3';
    big[81] = '\xa9';
    big[0] = 'a';
    big[1] = 'b';
    big[2] = '\xe2';
    big[3] = '\x9c';
    big[4] = '\x93';
    q = cli_quote(big, 100);
    ck_assert_uint_le(strlen(q), CLI_QUOTE_MAX + 3);
    ck_assert_str_eq(q + strlen(q) - 3, "...");
    ck_assert_int_eq(q[strlen(q) - 4], '\xa9');
    free(big);
}
END_TEST

START_TEST(test_quote_slots)
{
    /* Four quotations may be live at once, in one message.  */
    const char *a = cli_quote_str("a"), *b = cli_quote_str("b");
    const char *c = cli_quote_str("c"), *d = cli_quote_str("d");
    ck_assert_str_eq(a, "a");
    ck_assert_str_eq(b, "b");
    ck_assert_str_eq(c, "c");
    ck_assert_str_eq(d, "d");
}
END_TEST

static Suite *
cli_suite(void)
{
    Suite *s = suite_create("cli");
    TCase *quote = tcase_create("quote");
    tcase_add_test(quote, test_quote_short);
    tcase_add_test(quote, test_quote_long);
    tcase_add_test(quote, test_quote_slots);
    suite_add_tcase(s, quote);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(cli_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
