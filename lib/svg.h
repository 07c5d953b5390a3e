/* svg.h: what sparkline and badge share to write SVG: text made safe for
   XML, text measured in 11px Verdana, shields.io colours, and the shields.io
   "flat" badge itself.
   SPDX-License-Identifier: MIT */

#ifndef BENCHTRACK_SVG_H
#define BENCHTRACK_SVG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum { SVG_REPLACEMENT = 0xFFFD };

/* Decodes the code point at *P (P < END) and advances *P past it.  A byte
   that does not start a well-formed UTF-8 sequence (a stray continuation
   byte, an overlong form, a surrogate, a value above U+10FFFF, a truncated
   sequence) yields U+FFFD and consumes that one byte.  */
uint32_t svg_utf8_next(const unsigned char **p, const unsigned char *end);

/* The code point that reaches the SVG for CP: CP itself, or U+FFFD for
   what XML 1.0 forbids or a reader cannot see (C0 and C1 controls, DEL,
   U+FFFE, U+FFFF), so that a name with control characters still gives a
   well-formed file.  */
uint32_t svg_safe_code_point(uint32_t cp);

/* Writes S as XML character data or attribute value: each code point made
   safe as above, and & < > " ' written as entities.  Returns the number of
   code points written.  */
size_t svg_write_text(FILE *fp, const char *s);

/* A malloc'd copy of S as an SVG shows it: every ill-formed UTF-8 byte
   and every code point svg_safe_code_point rejects replaced by U+FFFD (not
   escaped), so that JSON carries the same text as the badge.  */
char *svg_utf8_dup(const char *s);

/* The advance width of S in 11px Verdana, in px: the sum over its safe
   code points (as svg_write_text draws them) of the table width, the
   width of "m" for a code point the table lacks.  */
double svg_text_width(const char *s);

/* shields.io's width for laying out S: the width rounded down, then up to
   the next odd number.  */
int svg_preferred_width(const char *s);

/* Parses a shields.io colour: a name (brightgreen, green, yellowgreen,
   yellow, orange, red, blue, grey, lightgrey and the aliases success,
   important, critical, informational, gray, lightgray, inactive) or 3 or 6
   hex digits with or without '#'.  Writes "#rgb" or "#rrggbb" in lower
   case to OUT.  Returns false for anything else.  */
bool svg_color_parse(const char *spec, char out[8]);

/* shields.io's perceived brightness of a "#rgb"/"#rrggbb" colour, rounded
   to two decimals: above 0.69, a badge writes dark text on it.  */
double svg_color_brightness(const char *hex);

/* Numbers for SVG attributes, in the C locale, without printf (which
   dominated the time of drawing thousands of charts).  Room for both:  */
enum { SVG_NUMBUF = 32 };

/* V with one decimal, rounded half away from zero: "12.5", "-0.3", "7.0".  */
char *svg_fixed1(double v, char buf[SVG_NUMBUF]);

/* V to 12 significant digits, trailing zeros dropped, positional for
   exponents -5 to 11 and "1.5e+20" style beyond: "111.015223973",
   "0.000123", "42".  NaN and infinities as "nan", "inf", "-inf".  */
char *svg_sig12(double v, char buf[SVG_NUMBUF]);

/* Writes the shields.io "flat" badge (badge-maker 4.x, no logo, no links)
   for LABEL and MESSAGE, which are trimmed first; COLOR and LABEL_COLOR are
   "#..." colours as svg_color_parse writes them.  */
void svg_badge_flat(FILE *fp, const char *label, const char *message, const char *color,
                    const char *label_color);

#endif
