/* numfmt.h: numbers as text, in the C locale whatever the environment.
   SPDX-License-Identifier: MIT */

#ifndef BENCHTRACK_NUMFMT_H
#define BENCHTRACK_NUMFMT_H

#include <stdbool.h>
#include <stddef.h>

/* Room for any double in shortest round-trip form, with its NUL.  */
enum { NUM_BUFSIZE = 32 };

/* Writes the shortest decimal text that reads back as exactly VALUE
   ("0.1", "1e+21", "283701234.5"); NaN and infinities are written as
   "nan", "inf", "-inf".  Returns BUF.  */
char *num_format_double(double value, char buf[NUM_BUFSIZE]);

/* Parses a whole decimal number (no leading or trailing space, no hex, no
   "nan" or "inf"); returns true and sets *OUT on success.  */
bool num_parse_double(const char *text, double *out);

#endif
