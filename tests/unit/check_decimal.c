/* check_decimal.c: unit tests of lib/decimal (exact decimal rescaling).
   SPDX-License-Identifier: MIT */

#include <config.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "decimal.h"

/* decimal_scaled on a NUL-terminated TEXT; the result must be EXPECT
   exactly (a double literal is itself the nearest double).  */
#define SCALED_EQ(text, shift, commas, expect)                                                     \
    do {                                                                                           \
        double got_ = -1;                                                                          \
        ck_assert_msg(decimal_scaled(text, strlen(text), shift, commas, &got_), "rejected %s",     \
                      text);                                                                       \
        ck_assert_msg(got_ == (expect), "%s e%d: got %.17g", text, shift, got_);                   \
    } while (0)

#define SCALED_BAD(text, shift, commas)                                                            \
    do {                                                                                           \
        double got_;                                                                               \
        ck_assert_msg(!decimal_scaled(text, strlen(text), shift, commas, &got_), "accepted %s",    \
                      text);                                                                       \
    } while (0)

START_TEST(test_scaled_exact)
{
    SCALED_EQ("1.0012", 3, false, 1001.2);
    SCALED_EQ("998.12", 0, false, 998.12);
    SCALED_EQ("999.99", -3, false, 0.99999);
    SCALED_EQ("2.2", 6, false, 2200000.0);
    SCALED_EQ("12345", 9, false, 12345e9);
    SCALED_EQ("0.1", 0, false, 0.1);
    SCALED_EQ("-1.3223823929209289e-6", 0, false, -1.3223823929209289e-6);
    SCALED_EQ("6.707903313626593e17", 0, false, 6.707903313626593e17);
    SCALED_EQ("1.5E+3", -3, false, 1.5);
    SCALED_EQ("+7", 0, false, 7.0);
    SCALED_EQ("26450.0", 0, false, 26450.0);
}
END_TEST

START_TEST(test_scaled_zeros)
{
    /* Leading zeros do not count against the 64 digits.  */
    SCALED_EQ("0.0000000000000000000000000000000000000000000000000000000000000000000001", 0, false,
              1e-70);
    SCALED_EQ("00012.500", 0, false, 12.5);
    SCALED_EQ("0", 0, false, 0.0);
    SCALED_EQ("0.0000", 3, false, 0.0);
}
END_TEST

START_TEST(test_scaled_commas)
{
    SCALED_EQ("1,672,496", 0, true, 1672496.0);
    SCALED_EQ("18,794.12", 0, true, 18794.12);
    SCALED_BAD("1,672,496", 0, false);
    SCALED_BAD(",1", 0, true);
}
END_TEST

START_TEST(test_scaled_rejects)
{
    SCALED_BAD("", 0, false);
    SCALED_BAD("NaN", 0, false);
    SCALED_BAD("inf", 0, false);
    SCALED_BAD("-", 0, false);
    SCALED_BAD(".", 0, false);
    SCALED_BAD("1e", 0, false);
    SCALED_BAD("1e+", 0, false);
    SCALED_BAD("12ns", 0, false);
    SCALED_BAD("1 ", 0, false);
    SCALED_BAD("0x10", 0, false);
    SCALED_BAD("1e999999", 0, false);
    SCALED_BAD("1e400", 0, false); /* not a finite double */
    SCALED_BAD("12345678901234567890123456789012345678901234567890123456789012345", 0, false);
    /* Only LEN bytes are read.  */
    double got;
    ck_assert(decimal_scaled("12x", 2, 0, false, &got) && got == 12.0);
}
END_TEST

START_TEST(test_is_plain)
{
    ck_assert(decimal_is_plain("1,672,496", 9));
    ck_assert(decimal_is_plain("18,794.12", 9));
    ck_assert(decimal_is_plain("0", 1));
    ck_assert(!decimal_is_plain("", 0));
    ck_assert(!decimal_is_plain("1e3", 3));
    ck_assert(!decimal_is_plain("-1", 2));
    ck_assert(!decimal_is_plain("1.2.3", 5));
    ck_assert(!decimal_is_plain(".5", 2));
    ck_assert(!decimal_is_plain("5.", 2));
}
END_TEST

START_TEST(test_add)
{
    double got;
    ck_assert(decimal_add("0.3", 3, "0.1", 3, -1, &got) && got == 0.2);
    ck_assert(decimal_add("0.3", 3, "0.1", 3, 1, &got) && got == 0.4);
    ck_assert(decimal_add("18,794.12", 9, "440.25", 6, -1, &got) && got == 18353.87);
    ck_assert(decimal_add("1,672,496", 9, "12,345", 6, 1, &got) && got == 1684841.0);
    ck_assert(decimal_add("5", 1, "8", 1, -1, &got) && got == -3.0);
    ck_assert(decimal_add("1", 1, "0.25", 4, 1, &got) && got == 1.25);
    /* Too long for 64-bit integers: the caller falls back to doubles.  */
    ck_assert(!decimal_add("99,999,999,999,999,999,999", 26, "1", 1, 1, &got));
    ck_assert(!decimal_add("1", 1, "0.0000000000000000001", 21, 1, &got));
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("decimal");
    TCase *tc = tcase_create("scaled");
    tcase_add_test(tc, test_scaled_exact);
    tcase_add_test(tc, test_scaled_zeros);
    tcase_add_test(tc, test_scaled_commas);
    tcase_add_test(tc, test_scaled_rejects);
    suite_add_tcase(s, tc);
    tc = tcase_create("plain");
    tcase_add_test(tc, test_is_plain);
    tcase_add_test(tc, test_add);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
