/* numfmt.c: shortest round-trip formatting and strict parsing of doubles.
   The programs never call setlocale for LC_NUMERIC, so printf and strtod
   use the C locale's decimal point.
   SPDX-License-Identifier: MIT */

#include <config.h>

#include "numfmt.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *
num_format_double(double value, char buf[NUM_BUFSIZE])
{
    if (isnan(value)) {
        strcpy(buf, "nan");
        return buf;
    }
    if (isinf(value)) {
        strcpy(buf, value < 0 ? "-inf" : "inf");
        return buf;
    }
    /* %.15g is exact for every decimal of up to 15 significant digits and
       strips trailing zeros, so the first precision that reads back equal
       is the shortest text.  */
    for (int precision = 15; precision <= 17; precision++) {
        snprintf(buf, NUM_BUFSIZE, "%.*g", precision, value);
        if (strtod(buf, NULL) == value)
            break;
    }
    return buf;
}

bool
num_parse_double(const char *text, double *out)
{
    const char *p = text;
    if (*p == '+' || *p == '-')
        p++;
    /* Only digits, '.', exponents: strtod alone would accept "inf",
       "nan", hex floats and leading space.  */
    if (!((*p >= '0' && *p <= '9') || (*p == '.' && p[1] >= '0' && p[1] <= '9')))
        return false;
    char *end;
    errno = 0;
    double value = strtod(text, &end);
    if (end == text || *end != '\0' || errno == ERANGE || !isfinite(value))
        return false;
    for (const char *q = p; q < end; q++)
        if (*q == 'x' || *q == 'X')
            return false;
    *out = value;
    return true;
}
