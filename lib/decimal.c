/* decimal.c: decimal numbers as text, read exactly (see decimal.h).
   SPDX-License-Identifier: MIT */

#include <config.h>

#include "decimal.h"

#include <stdio.h>
#include <stdlib.h>

#include "numfmt.h"

bool
decimal_scaled(const char *text, size_t len, int shift, bool commas, double *out)
{
    char buf[128];
    size_t n = 0, i = 0;
    long exponent = shift;
    int ndigits = 0;

    if (i < len && (text[i] == '-' || text[i] == '+'))
        buf[n++] = text[i++];
    size_t first_digit = n;
    for (; i < len; i++) {
        if (text[i] >= '0' && text[i] <= '9') {
            if (n >= 64)
                return false;
            if (text[i] != '0' || n > first_digit) /* leading zeros add nothing */
                buf[n++] = text[i];
            ndigits++;
        } else if (text[i] == ',' && commas && ndigits > 0) {
            continue;
        } else {
            break;
        }
    }
    if (i < len && text[i] == '.') {
        i++;
        for (; i < len && text[i] >= '0' && text[i] <= '9'; i++) {
            if (n >= 64)
                return false;
            ndigits++;
            if (text[i] == '0' && n == first_digit)
                exponent--; /* 0.000123: the zeros only move the point */
            else
                buf[n++] = text[i], exponent--;
        }
    }
    if (ndigits == 0)
        return false;
    if (i < len && (text[i] == 'e' || text[i] == 'E')) {
        long e = 0;
        bool negative = false;
        i++;
        if (i < len && (text[i] == '-' || text[i] == '+'))
            negative = text[i++] == '-';
        if (i == len || text[i] < '0' || text[i] > '9')
            return false;
        for (; i < len && text[i] >= '0' && text[i] <= '9'; i++) {
            if (e > 100000)
                return false;
            e = 10 * e + (text[i] - '0');
        }
        exponent += negative ? -e : e;
    }
    if (i != len)
        return false;
    if (n == first_digit)
        buf[n++] = '0'; /* all zeros */
    snprintf(buf + n, sizeof buf - n, "e%ld", exponent);
    double value;
    if (!num_parse_double(buf, &value))
        return false;
    *out = value;
    return true;
}

bool
decimal_is_plain(const char *text, size_t len)
{
    bool point = false;
    if (len == 0 || text[0] < '0' || text[0] > '9' || text[len - 1] < '0' || text[len - 1] > '9')
        return false;
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '.') {
            if (point)
                return false;
            point = true;
        } else if (text[i] != ',' && (text[i] < '0' || text[i] > '9')) {
            return false;
        }
    }
    return true;
}

bool
decimal_add(const char *n, size_t nlen, const char *d, size_t dlen, int sign, double *out)
{
    /* Both as integers in units of 10^-scale, scale the longer fraction. */
    const char *text[2] = {n, d};
    size_t len[2] = {nlen, dlen};
    char digits[2][24];
    size_t ndig[2] = {0, 0};
    int frac[2] = {0, 0};
    for (int k = 0; k < 2; k++) {
        bool point = false;
        for (size_t i = 0; i < len[k]; i++) {
            if (text[k][i] == '.') {
                point = true;
            } else if (text[k][i] != ',') {
                if (ndig[k] >= 18)
                    return false;
                digits[k][ndig[k]++] = text[k][i];
                frac[k] += point;
            }
        }
    }
    int scale = frac[0] > frac[1] ? frac[0] : frac[1];
    for (int k = 0; k < 2; k++) {
        while (frac[k] < scale) {
            if (ndig[k] >= 18)
                return false;
            digits[k][ndig[k]++] = '0';
            frac[k]++;
        }
        digits[k][ndig[k]] = '\0';
    }
    long long sum = strtoll(digits[0], NULL, 10) + sign * strtoll(digits[1], NULL, 10);
    char buf[48];
    snprintf(buf, sizeof buf, "%llde-%d", sum, scale);
    *out = strtod(buf, NULL);
    return true;
}
