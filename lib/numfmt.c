/* numfmt.c: shortest round-trip formatting and strict parsing of doubles.
   The programs never call setlocale for LC_NUMERIC, so printf and strtod
   use the C locale's decimal point.
   SPDX-License-Identifier: MIT */

#include <config.h>

#include "numfmt.h"

#include <errno.h>
#include <float.h>
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
    /* For a normal double, %.15g gives back any decimal of up to 15
       significant digits that rounds to it (the gap between doubles is far
       below half a unit in the 15th digit) and strips trailing zeros, so
       the first precision from 15 that reads back equal is the shortest
       text.  Subnormals have fewer bits, so they start from 1.  */
    int first = fabs(value) < DBL_MIN && value != 0 ? 1 : 15;
    for (int precision = first; precision <= 17; precision++) {
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
