/* svg.c: XML-safe text, Verdana widths, shields.io colours and the flat
   badge.  The badge reproduces badge-maker 4.x byte for byte: the same
   element and attribute order, the same integer geometry, one line.
   SPDX-License-Identifier: MIT */

#include <config.h>

#include "svg.h"
#include "cli.h"
#include "verdana-widths.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

uint32_t
svg_utf8_next(const unsigned char **p, const unsigned char *end)
{
    const unsigned char *s = *p;
    unsigned c = s[0];
    size_t need;
    uint32_t cp, min;

    if (c < 0x80) {
        *p = s + 1;
        return c;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        cp = c & 0x1F;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        cp = c & 0x0F;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        cp = c & 0x07;
        min = 0x10000;
    } else {
        *p = s + 1;
        return SVG_REPLACEMENT;
    }
    if ((size_t)(end - s) <= need) {
        *p = s + 1;
        return SVG_REPLACEMENT;
    }
    for (size_t i = 1; i <= need; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *p = s + 1;
            return SVG_REPLACEMENT;
        }
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        *p = s + 1;
        return SVG_REPLACEMENT;
    }
    *p = s + need + 1;
    return cp;
}

uint32_t
svg_safe_code_point(uint32_t cp)
{
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0xFFFE || cp == 0xFFFF)
        return SVG_REPLACEMENT;
    return cp;
}

static void
put_utf8(FILE *fp, uint32_t cp)
{
    char b[4];
    size_t n;
    if (cp < 0x80) {
        b[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        b[0] = (char)(0xC0 | (cp >> 6));
        b[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        b[0] = (char)(0xE0 | (cp >> 12));
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        b[0] = (char)(0xF0 | (cp >> 18));
        b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    fwrite(b, 1, n, fp);
}

char *
svg_utf8_dup(const char *s)
{
    size_t len = strlen(s);
    char *out = xmalloc(3 * len + 1);
    char *o = out;
    const unsigned char *p = (const unsigned char *)s;
    const unsigned char *end = p + len;
    while (p < end) {
        const unsigned char *start = p;
        uint32_t cp = svg_utf8_next(&p, end);
        if (svg_safe_code_point(cp) == SVG_REPLACEMENT && !(p - start == 3 && start[0] == 0xEF)) {
            memcpy(o, "\xEF\xBF\xBD", 3);
            o += 3;
        } else {
            memcpy(o, start, (size_t)(p - start));
            o += p - start;
        }
    }
    *o = '\0';
    return out;
}

size_t
svg_write_text(FILE *fp, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    const unsigned char *end = p + strlen(s);
    size_t count = 0;

    while (p < end) {
        /* Runs of plain ASCII go out in one write.  */
        const unsigned char *run = p;
        while (p < end && *p >= 0x20 && *p < 0x7F && *p != '&' && *p != '<' && *p != '>' &&
               *p != '"' && *p != '\'')
            p++;
        if (p > run) {
            fwrite(run, 1, (size_t)(p - run), fp);
            count += (size_t)(p - run);
            continue;
        }
        uint32_t cp = svg_safe_code_point(svg_utf8_next(&p, end));
        count++;
        switch (cp) {
        case '&':
            fputs("&amp;", fp);
            break;
        case '<':
            fputs("&lt;", fp);
            break;
        case '>':
            fputs("&gt;", fp);
            break;
        case '"':
            fputs("&quot;", fp);
            break;
        case '\'':
            fputs("&apos;", fp);
            break;
        default:
            put_utf8(fp, cp);
        }
    }
    return count;
}

/* The table width of CP in hundredths of a pixel.  */
static unsigned
width_hundredths(uint32_t cp)
{
    size_t lo = 0, hi = verdana11_nranges;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (verdana11_ranges[mid].last < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < verdana11_nranges && verdana11_ranges[lo].first <= cp)
        return verdana11_ranges[lo].hundredths;
    return verdana11_em_hundredths;
}

double
svg_text_width(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    const unsigned char *end = p + strlen(s);
    double width = 0.0;

    /* A double sum in text order, each width converted as the JSON
       literal would be, gives badge-maker's sum bit for bit.  */
    while (p < end) {
        uint32_t cp = svg_safe_code_point(svg_utf8_next(&p, end));
        width += width_hundredths(cp) / 100.0;
    }
    return width;
}

int
svg_preferred_width(const char *s)
{
    int width = (int)floor(svg_text_width(s));
    /* badge-maker: "increase chances of pixel grid alignment".  */
    return width % 2 == 0 ? width + 1 : width;
}

static const struct {
    const char *name, *hex;
} named_colors[] = {
    {"brightgreen", "#4c1"},    {"success", "#4c1"},          {"green", "#97ca00"},
    {"yellowgreen", "#a4a61d"}, {"yellow", "#dfb317"},        {"orange", "#fe7d37"},
    {"important", "#fe7d37"},   {"red", "#e05d44"},           {"critical", "#e05d44"},
    {"blue", "#007ec6"},        {"informational", "#007ec6"}, {"grey", "#555"},
    {"gray", "#555"},           {"lightgrey", "#9f9f9f"},     {"lightgray", "#9f9f9f"},
    {"inactive", "#9f9f9f"},
};

static int
hex_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool
svg_color_parse(const char *spec, char out[8])
{
    for (size_t i = 0; i < sizeof named_colors / sizeof named_colors[0]; i++)
        if (strcmp(spec, named_colors[i].name) == 0) {
            strcpy(out, named_colors[i].hex);
            return true;
        }
    const char *hex = spec[0] == '#' ? spec + 1 : spec;
    size_t len = strlen(hex);
    if (len != 3 && len != 6)
        return false;
    out[0] = '#';
    for (size_t i = 0; i < len; i++) {
        if (hex_digit((unsigned char)hex[i]) < 0)
            return false;
        int c = (unsigned char)hex[i];
        out[i + 1] = (char)(c >= 'A' && c <= 'F' ? c - 'A' + 'a' : c);
    }
    out[len + 1] = '\0';
    return true;
}

double
svg_color_brightness(const char *hex)
{
    const char *h = hex[0] == '#' ? hex + 1 : hex;
    size_t len = strlen(h);
    int rgb[3] = {0, 0, 0};
    for (int i = 0; i < 3; i++) {
        if (len == 3)
            rgb[i] = hex_digit((unsigned char)h[i]) * 17;
        else if (len == 6)
            rgb[i] =
                hex_digit((unsigned char)h[2 * i]) * 16 + hex_digit((unsigned char)h[2 * i + 1]);
    }
    double b = (rgb[0] * 299 + rgb[1] * 587 + rgb[2] * 114) / 255000.0;
    return round(b * 100.0) / 100.0;
}

/* Trims ASCII white space at both ends, as badge-maker trims its texts.  */
static char *
trimmed(const char *s)
{
    while (*s == ' ' || (*s >= '\t' && *s <= '\r'))
        s++;
    size_t len = strlen(s);
    while (len > 0 && (s[len - 1] == ' ' || (s[len - 1] >= '\t' && s[len - 1] <= '\r')))
        len--;
    return xstrndup(s, len);
}

/* One text and its shadow; X and the widths are in tenths of a pixel, as
   shields draws them (scale(.1) of a 110px font), so they stay integers.  */
static void
badge_text(FILE *fp, const char *text, long x10, long length10, const char *background)
{
    bool dark = svg_color_brightness(background) <= 0.69;
    fprintf(fp,
            "<text aria-hidden=\"true\" x=\"%ld\" y=\"150\" fill=\"%s\" fill-opacity=\".3\" "
            "transform=\"scale(.1)\" textLength=\"%ld\">",
            x10, dark ? "#010101" : "#ccc", length10);
    svg_write_text(fp, text);
    fprintf(
        fp,
        "</text><text x=\"%ld\" y=\"140\" transform=\"scale(.1)\" fill=\"%s\" textLength=\"%ld\">",
        x10, dark ? "#fff" : "#333", length10);
    svg_write_text(fp, text);
    fputs("</text>", fp);
}

void
svg_badge_flat(FILE *fp, const char *label_in, const char *message_in, const char *color,
               const char *label_color)
{
    char *label = trimmed(label_in);
    char *message = trimmed(message_in);
    const int pad = 5;
    bool has_label = label[0] != '\0';

    int label_width = has_label ? svg_preferred_width(label) : 0;
    int left = has_label ? label_width + 2 * pad : 0;
    int message_width = svg_preferred_width(message);
    int right = message_width + 2 * pad;
    int width = left + right;
    /* Where each text's box starts: one pixel in from the left edge of
       the label; the message box overlaps the label by one pixel, and
       without a label the message starts at 0.  */
    int label_margin = 1;
    int message_margin = has_label ? left - (message[0] != '\0' ? 1 : 0) : 0;
    const char *left_fill = has_label ? label_color : color;

    fprintf(
        fp,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
        "width=\"%d\" height=\"20\" role=\"img\" aria-label=\"",
        width);
    if (has_label) {
        svg_write_text(fp, label);
        fputs(": ", fp);
    }
    svg_write_text(fp, message);
    fputs("\"><title>", fp);
    if (has_label) {
        svg_write_text(fp, label);
        fputs(": ", fp);
    }
    svg_write_text(fp, message);
    fprintf(
        fp,
        "</title><linearGradient id=\"s\" x2=\"0\" y2=\"100%%\"><stop offset=\"0\" "
        "stop-color=\"#bbb\" stop-opacity=\".1\"/><stop offset=\"1\" stop-opacity=\".1\"/>"
        "</linearGradient><clipPath id=\"r\"><rect width=\"%d\" height=\"20\" rx=\"3\" "
        "fill=\"#fff\"/></clipPath><g clip-path=\"url(#r)\"><rect width=\"%d\" height=\"20\" "
        "fill=\"%s\"/><rect x=\"%d\" width=\"%d\" height=\"20\" fill=\"%s\"/><rect width=\"%d\" "
        "height=\"20\" fill=\"url(#s)\"/></g><g fill=\"#fff\" text-anchor=\"middle\" "
        "font-family=\"Verdana,Geneva,DejaVu Sans,sans-serif\" "
        "text-rendering=\"geometricPrecision\" font-size=\"110\">",
        width, left, left_fill, left, right, color, width);
    /* x = 10 * (margin + width/2 + pad); the widths are odd, so 5 * width
       keeps it whole.  */
    if (has_label)
        badge_text(fp, label, 10L * (label_margin + pad) + 5L * label_width, 10L * label_width,
                   left_fill);
    if (message[0] != '\0')
        badge_text(fp, message, 10L * (message_margin + pad) + 5L * message_width,
                   10L * message_width, color);
    fputs("</g></svg>", fp);
    free(label);
    free(message);
}

/* Writes the decimal digits of N (at least MIN_DIGITS, zero-padded) at P;
   returns the end.  */
static char *
put_digits(char *p, unsigned long long n, int min_digits)
{
    char tmp[24];
    int len = 0;
    do {
        tmp[len++] = (char)('0' + n % 10);
        n /= 10;
    } while (n != 0);
    while (len < min_digits)
        tmp[len++] = '0';
    while (len > 0)
        *p++ = tmp[--len];
    return p;
}

char *
svg_fixed1(double v, char buf[SVG_NUMBUF])
{
    if (!isfinite(v) || fabs(v) >= 1e17)
        return svg_sig12(v, buf);
    long long tenths = llround(v * 10.0);
    char *p = buf;
    if (tenths < 0) {
        *p++ = '-';
        tenths = -tenths;
    }
    p = put_digits(p, (unsigned long long)tenths / 10, 1);
    *p++ = '.';
    *p++ = (char)('0' + (unsigned long long)tenths % 10);
    *p = '\0';
    return buf;
}

char *
svg_sig12(double v, char buf[SVG_NUMBUF])
{
    static const double pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                   1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    char *p = buf;
    if (isnan(v)) {
        strcpy(buf, "nan");
        return buf;
    }
    if (v < 0) {
        *p++ = '-';
        v = -v;
    }
    if (isinf(v)) {
        strcpy(p, "inf");
        return buf;
    }
    if (v == 0) {
        strcpy(p, "0");
        return buf;
    }
    int e = (int)floor(log10(v));
    unsigned long long m = 0;
    /* Scale to twelve integer digits; the estimate of E may be one off
       either way near powers of ten, and rounding may carry to 13 digits.  */
    for (int attempt = 0; attempt < 3; attempt++) {
        int k = 11 - e;
        double scaled;
        if (k >= 0)
            scaled = k <= 22 ? v * pow10[k] : v * pow(10.0, k);
        else
            scaled = -k <= 22 ? v / pow10[-k] : v / pow(10.0, -k);
        double r = nearbyint(scaled);
        if (r >= 1e12) {
            e++;
            continue;
        }
        if (r < 1e11) {
            e--;
            continue;
        }
        m = (unsigned long long)r;
        break;
    }
    if (m == 0) { /* cannot happen for finite v; stay safe */
        snprintf(p, SVG_NUMBUF - 1, "%.12g", v);
        return buf;
    }
    char digits[13];
    put_digits(digits, m, 12)[0] = '\0';
    int nd = 12;
    while (nd > 1 && digits[nd - 1] == '0')
        nd--;
    if (e >= -5 && e < 12) {
        if (e < 0) {
            *p++ = '0';
            *p++ = '.';
            for (int i = -1; i > e; i--)
                *p++ = '0';
            memcpy(p, digits, (size_t)nd);
            p += nd;
        } else {
            for (int i = 0; i <= e; i++)
                *p++ = i < nd ? digits[i] : '0';
            if (nd > e + 1) {
                *p++ = '.';
                memcpy(p, digits + e + 1, (size_t)(nd - e - 1));
                p += nd - e - 1;
            }
        }
    } else {
        *p++ = digits[0];
        if (nd > 1) {
            *p++ = '.';
            memcpy(p, digits + 1, (size_t)(nd - 1));
            p += nd - 1;
        }
        *p++ = 'e';
        *p++ = e < 0 ? '-' : '+';
        p = put_digits(p, (unsigned long long)(e < 0 ? -e : e), 2);
    }
    *p = '\0';
    return buf;
}
