/* decimal.h: decimal numbers as text, read exactly.  Criterion prints
   1.0012 µs where a history wants 1001.2 ns; multiplying the double by 1000
   gives 1001.1999999999999.  These functions move the decimal point (or add)
   on the digits and round to a double once, so the result is the double
   nearest the exact decimal value.
   SPDX-License-Identifier: MIT */

#ifndef BENCHTRACK_DECIMAL_H
#define BENCHTRACK_DECIMAL_H

#include <stdbool.h>
#include <stddef.h>

/* Reads TEXT[0..LEN), [-+]digits[.digits][(e|E)[-+]digits] (with ','
   between digits of the integer part when COMMAS), times 10^SHIFT.  Returns
   false when the text is not such a number ("NaN", "inf", "12ns", "", more
   than 64 significant digits, an exponent beyond 100000) or the result is
   not a finite double.  */
bool decimal_scaled(const char *text, size_t len, int shift, bool commas, double *out);

/* Whether TEXT[0..LEN) is digits with ',' separators and at most one '.',
   starting and ending with a digit ("1,672,496", "18,794.12").  */
bool decimal_is_plain(const char *text, size_t len);

/* A + SIGN * B (SIGN 1 or -1) for two decimal_is_plain numbers, exact, then
   rounded to a double once: "0.3" - "0.1" is 0.2.  Returns false when either
   has more than 18 digits once both have the same number of decimals. */
bool decimal_add(const char *a, size_t alen, const char *b, size_t blen, int sign, double *out);

#endif
