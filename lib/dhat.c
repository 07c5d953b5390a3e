/* dhat.c: the streaming DHAT v2 reader of dhat.h.

   The top-level object is walked here, byte by byte: its braces, keys,
   colons and commas, and the brackets and commas of the "pps" and "ftbl"
   arrays.  The values in between (a key, a header field, one program point,
   one frame string) are parsed by json-c's tokener, fed the read buffer
   directly.  A value cut by the end of the buffer is moved to its start
   and parsed again whole once the buffer is refilled; only a value longer
   than the buffer is fed to the tokener in parts.  Each object is freed
   before the next is parsed, which is what keeps memory flat.

   Two shapes are so common, and json-c so slow on them (about 70
   instructions per byte, a dozen allocations per program point), that
   they have a fast path: a program point that is a flat object of
   integers and integer arrays, and a frame string without escapes.  The
   fast paths accept only text whose meaning is beyond doubt and hand
   anything else, errors included, to json-c, so both readings agree
   (tests/unit/check_dhat.c compares them on every fixture).
   SPDX-License-Identifier: MIT */

#include <config.h>

#include "dhat.h"
#include "cli.h"

#include <errno.h>
#include <inttypes.h>
#include <json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { READ_CHUNK = 256 * 1024 };

typedef struct reader {
    int fd;
    const char *name;
    char *buf;
    size_t pos, len;
    bool eof;
    /* Line numbers are counted lazily: LINES newlines lie before
       buf[line_mark], so asking for the line costs only the bytes read
       since the last question.  */
    unsigned long lines;
    size_t line_mark;
    uint64_t offset; /* file offset of buf[0] */
    json_tokener *tok;
    /* When SPOOL is set, every byte consumed is also copied there (from
       buf[spool_mark] on), to read the frame table a second time from a
       pipe.  */
    FILE *spool;
    size_t spool_mark;
    /* When CAPTURE is set, reader_value also keeps the text of the value
       in RAW: json-c reads -0 as 0 and saturates integers past 2^64 - 1
       to 2^64 - 1, and only the text tells those from the real 0 and
       2^64 - 1.  */
    bool capture;
    char *raw;
    size_t raw_len, raw_cap;
} reader;

/* The state of one dhat_scan_fd call.  */
typedef struct scan {
    reader r;
    const dhat_hooks *hooks;
    dhat_info *info;
    bool json_c_only;
    bool seen_version, seen_mode, seen_bklt, seen_pps, seen_ftbl;
    bool pps_done;
    uint64_t *fs; /* the current program point's frames */
    size_t fs_cap;
    /* The largest frame index any program point uses, and where, checked
       against the frame table once both are read.  */
    bool any_fs;
    uint64_t max_fs, max_fs_pp;
    unsigned long max_fs_line;
    /* The first program point without gb/gbk/eb/ebk, an error only if the
       file says it records lifetimes (bklt may come after pps).  */
    bool missing_live;
    uint64_t missing_pp;
    unsigned long missing_line;
    const char *missing_field;
    /* Frames the caller wants, once the program points are done.  */
    bool frames_asked;
    const uint64_t *wanted;
    size_t nwanted;
    /* A frame table that came before the program points, kept for a
       second reading: its offset in a regular file, or a spool copy.  */
    bool ftbl_again;
    off_t ftbl_offset;
    unsigned long ftbl_line;
    FILE *ftbl_spool;
} scan;

/* Newlines come every 20 bytes or so in Valgrind's layout, too often for
   memchr to pay: count them eight bytes at a time instead (a byte of X is
   zero where the input has '\n'; the classic carry-free zero-byte test
   marks each with its top bit).  */
static unsigned long
count_newlines(const char *p, size_t n)
{
    const uint64_t ones = 0x0101010101010101u, lows = 0x7f7f7f7f7f7f7f7fu;
    unsigned long count = 0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        uint64_t x = w ^ (ones * '\n');
        uint64_t zero = ~(((x & lows) + lows) | x | lows);
        count += (unsigned long)__builtin_popcountll(zero);
    }
    for (; i < n; i++)
        count += p[i] == '\n';
    return count;
}

/* The line of the byte at the read position.  */
static unsigned long
reader_line(reader *r)
{
    r->lines += count_newlines(r->buf + r->line_mark, r->pos - r->line_mark);
    r->line_mark = r->pos;
    return r->lines + 1;
}

static int fail_at(reader *r, unsigned long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
fail_at(reader *r, unsigned long line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cli_vwarn_at(r->name, line, fmt, ap);
    va_end(ap);
    return -1;
}

static int
spool_flush(reader *r)
{
    if (r->spool != NULL && r->pos > r->spool_mark) {
        size_t n = r->pos - r->spool_mark;
        if (fwrite(r->buf + r->spool_mark, 1, n, r->spool) != n)
            return fail_at(r, 0, "cannot write a temporary copy of ftbl: %s", strerror(errno));
    }
    r->spool_mark = r->pos;
    return 0;
}

/* Makes sure a byte is available at the read position: 1 when one is, 0 at
   the end of the input, -1 after a read error (reported).  */
static int
reader_fill(reader *r)
{
    if (r->pos < r->len)
        return 1;
    if (r->eof)
        return 0;
    if (spool_flush(r) < 0)
        return -1;
    r->lines += count_newlines(r->buf + r->line_mark, r->len - r->line_mark);
    r->offset += r->len;
    r->pos = r->len = r->line_mark = r->spool_mark = 0;
    for (;;) {
        ssize_t n = read(r->fd, r->buf, READ_CHUNK);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return fail_at(r, 0, "read error: %s", strerror(errno));
        if (n == 0) {
            r->eof = true;
            return 0;
        }
        r->len = (size_t)n;
        return 1;
    }
}

/* Moves the bytes from the read position to the start of the buffer and
   reads until it is full or the input ends, so that a value cut by the end
   of the buffer can be parsed again whole.  Returns 0, or -1 after a read
   error (reported).  */
static int
reader_compact(reader *r)
{
    if (spool_flush(r) < 0)
        return -1;
    r->lines += count_newlines(r->buf + r->line_mark, r->pos - r->line_mark);
    r->offset += r->pos;
    r->len -= r->pos;
    memmove(r->buf, r->buf + r->pos, r->len);
    r->pos = r->line_mark = r->spool_mark = 0;
    while (!r->eof && r->len < READ_CHUNK) {
        ssize_t n = read(r->fd, r->buf + r->len, READ_CHUNK - r->len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return fail_at(r, 0, "read error: %s", strerror(errno));
        if (n == 0)
            r->eof = true;
        r->len += (size_t)n;
    }
    return 0;
}

/* Skips JSON white space.  Returns the next byte, not consumed; -1 at the
   end of the input; -2 after a read error (reported).  */
static int
reader_peek(reader *r)
{
    for (;;) {
        int got = reader_fill(r);
        if (got <= 0)
            return got == 0 ? -1 : -2;
        while (r->pos < r->len) {
            unsigned char c = (unsigned char)r->buf[r->pos];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
                return c;
            r->pos++;
        }
    }
}

/* Expects the byte WANT (after white space) and consumes it.  */
static int
reader_expect(reader *r, int want, const char *context)
{
    int c = reader_peek(r);
    if (c == want) {
        r->pos++;
        return 0;
    }
    if (c == -2)
        return -1;
    if (c == -1)
        return fail_at(r, reader_line(r), "unexpected end of file %s (truncated file?)", context);
    return fail_at(r, reader_line(r), "expected '%c' %s", want, context);
}

static void
raw_append(reader *r, const char *text, size_t len)
{
    if (len == 0) /* r->raw may still be NULL, and NULL + 0 is undefined */
        return;
    if (r->raw_cap - r->raw_len < len) {
        r->raw_cap = 2 * (r->raw_len + len);
        r->raw = xrealloc(r->raw, r->raw_cap);
    }
    memcpy(r->raw + r->raw_len, text, len);
    r->raw_len += len;
}

/* Parses the one JSON value at the read position with json-c.  Returns 0
   and sets *OUT (NULL for a JSON null), or -1 after a message naming
   WHAT.  */
static int
reader_value(reader *r, json_object **out, const char *what)
{
    bool in_parts = false; /* the tokener has had part of the value */
    json_tokener_reset(r->tok);
    r->raw_len = 0;
    for (;;) {
        int got = reader_fill(r);
        if (got < 0)
            return -1;
        if (got == 0)
            return fail_at(r, reader_line(r), "unexpected end of file in %s (truncated file?)",
                           what);
        json_object *obj = json_tokener_parse_ex(r->tok, r->buf + r->pos, (int)(r->len - r->pos));
        enum json_tokener_error err = json_tokener_get_error(r->tok);
        if (err == json_tokener_continue && !in_parts && !r->eof &&
            (r->pos > 0 || r->len < READ_CHUNK)) {
            /* json-c (0.16) reads some values wrong when they come in
               two parts: "8" at the end of one and "-," at the start of
               the next is taken for the number 8 (found by
               tests/fuzz/fuzz_dhat.c), so what a file means would depend
               on where its reads end.  Parse the value again, whole.  */
            json_object_put(obj);
            if (reader_compact(r) < 0)
                return -1;
            json_tokener_reset(r->tok);
            obj = json_tokener_parse_ex(r->tok, r->buf, (int)r->len);
            err = json_tokener_get_error(r->tok);
        }
        if (err == json_tokener_continue) {
            if (r->capture)
                raw_append(r, r->buf + r->pos, r->len - r->pos);
            /* A value longer than the buffer: in parts after all.  */
            in_parts = true;
            r->pos = r->len;
            continue;
        }
        if (r->capture)
            raw_append(r, r->buf + r->pos, json_tokener_get_parse_end(r->tok));
        r->pos += json_tokener_get_parse_end(r->tok);
        if (err != json_tokener_success) {
            json_object_put(obj);
            return fail_at(r, reader_line(r), "%s: invalid JSON: %s", what,
                           json_tokener_error_desc(err));
        }
        *out = obj;
        return 0;
    }
}

static const char *
json_type_label(json_object *obj)
{
    return obj == NULL ? "null" : json_type_to_name(json_object_get_type(obj));
}

/* The text of a program point that json-c parsed (RFC 8259 JSON: the
   tokener is strict), searched for what json-c's numbers hide.  */

#define IS_WS(c) ((c) == ' ' || (c) == '\n' || (c) == '\t' || (c) == '\r')

static size_t
raw_ws(const char *t, size_t n, size_t i)
{
    while (i < n && IS_WS(t[i]))
        i++;
    return i;
}

/* The end of the value that starts at T[I] (of N bytes).  */
static size_t
raw_value_end(const char *t, size_t n, size_t i)
{
    int depth = 0;
    while (i < n) {
        char c = t[i];
        if (c == '"') {
            for (i++; i < n && t[i] != '"'; i++)
                if (t[i] == '\\')
                    i++;
            i = i < n ? i + 1 : n;
            if (depth == 0)
                return i;
        } else if (c == '{' || c == '[') {
            depth++;
            i++;
        } else if (c == '}' || c == ']') {
            if (depth == 0)
                return i; /* the end of the enclosing object or array */
            i++;
            if (--depth == 0)
                return i;
        } else if (depth == 0 && (c == ',' || IS_WS(c))) {
            return i;
        } else {
            i++;
        }
    }
    return n;
}

/* Whether the string token T[0..LEN) (quotes included) is KEY once its
   escapes are decoded (json-c decodes "t\u0062" to "tb").  */
static bool
raw_key_is(const char *t, size_t len, const char *key)
{
    size_t i = 1, k = 0;
    while (i + 1 < len) {
        char c = t[i++];
        if (c == '\\') {
            c = t[i++];
            if (c == 'u') {
                unsigned v = 0;
                for (int d = 0; d < 4 && i < len; d++, i++) {
                    char h = t[i];
                    v = v * 16 + (unsigned)(h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
                }
                if (v == 0 || v >= 0x80)
                    return false; /* no key of interest holds one */
                c = (char)v;
            } else {
                const char *from = "bfnrt", *to = "\b\f\n\r\t";
                const char *at = strchr(from, c);
                if (at != NULL && c != '\0')
                    c = to[at - from];
            }
        }
        if (key[k] != c)
            return false;
        k++;
    }
    return key[k] == '\0';
}

/* The text of the value of the last member KEY of the object text T[0..N)
   (json-c keeps the last of repeated keys): sets *START and *END.  */
static bool
raw_member(const char *t, size_t n, const char *key, size_t *start, size_t *end)
{
    bool found = false;
    size_t i = raw_ws(t, n, 0);
    if (i == n || t[i] != '{')
        return false;
    i++;
    for (;;) {
        i = raw_ws(t, n, i);
        if (i == n || t[i] != '"')
            return found;
        size_t key_end = raw_value_end(t, n, i);
        bool match = raw_key_is(t + i, key_end - i, key);
        i = raw_ws(t, n, key_end);
        if (i == n || t[i] != ':')
            return found;
        i = raw_ws(t, n, i + 1);
        size_t value_end = raw_value_end(t, n, i);
        if (match) {
            *start = i;
            *end = value_end;
            found = true;
        }
        i = raw_ws(t, n, value_end);
        if (i == n || t[i] != ',')
            return found;
        i++;
    }
}

/* What the text of an integer T[0..LEN) says that json-c does not.  */
enum raw_int { RAW_OK, RAW_NEGATIVE, RAW_TOO_LARGE };

static enum raw_int
raw_int_kind(const char *t, size_t len)
{
    if (len > 0 && t[0] == '-')
        return RAW_NEGATIVE;
    uint64_t v = 0;
    for (size_t i = 0; i < len && t[i] >= '0' && t[i] <= '9'; i++) {
        unsigned d = (unsigned)(t[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            return RAW_TOO_LARGE;
        v = v * 10 + d;
    }
    return RAW_OK;
}

/* A counter: a JSON integer in [0, 2^64 - 1], never negative, -0 included.
   json-c reads -0 as 0 and saturates larger integers at 2^64 - 1, so for
   those two values the text decides.  */
static int
get_count(scan *s, uint64_t pp, unsigned long line, const char *key, json_object *val,
          uint64_t *out)
{
    if (!json_object_is_type(val, json_type_int))
        return fail_at(&s->r, line, "program point %" PRIu64 ": %s is not an integer (%s)", pp, key,
                       json_type_label(val));
    if (json_object_get_int64(val) < 0)
        return fail_at(&s->r, line, "program point %" PRIu64 ": %s is negative (%" PRId64 ")", pp,
                       key, json_object_get_int64(val));
    uint64_t u = json_object_get_uint64(val);
    size_t start, end;
    if ((u == 0 || u == UINT64_MAX) && raw_member(s->r.raw, s->r.raw_len, key, &start, &end)) {
        enum raw_int kind = raw_int_kind(s->r.raw + start, end - start);
        if (kind == RAW_NEGATIVE)
            return fail_at(&s->r, line, "program point %" PRIu64 ": %s is negative (%s)", pp, key,
                           cli_quote(s->r.raw + start, end - start));
        if (kind == RAW_TOO_LARGE)
            return fail_at(&s->r, line, "program point %" PRIu64 ": %s is too large for 64 bits",
                           pp, key);
    }
    *out = u;
    return 0;
}

static int
add_count(scan *s, uint64_t pp, unsigned long line, const char *key, uint64_t *sum, uint64_t value)
{
    if (value > UINT64_MAX - *sum)
        return fail_at(&s->r, line, "program point %" PRIu64 ": the sum of %s overflows 64 bits",
                       pp, key);
    *sum += value;
    return 0;
}

enum {
    HAVE_TB = 1 << 0,
    HAVE_TBK = 1 << 1,
    HAVE_GB = 1 << 2,
    HAVE_GBK = 1 << 3,
    HAVE_EB = 1 << 4,
    HAVE_EBK = 1 << 5,
    HAVE_FS = 1 << 6
};

static void
fs_reserve(scan *s, size_t n)
{
    if (n > s->fs_cap) {
        s->fs_cap = n < 16 ? 16 : 2 * n;
        s->fs = xreallocarray(s->fs, s->fs_cap, sizeof *s->fs);
    }
}

static int
pp_frames(scan *s, uint64_t index, unsigned long line, json_object *val, size_t *nfs)
{
    if (!json_object_is_type(val, json_type_array))
        return fail_at(&s->r, line, "program point %" PRIu64 ": fs is not an array (%s)", index,
                       json_type_label(val));
    size_t n = json_object_array_length(val);
    fs_reserve(s, n);
    bool raw_checked = false;
    for (size_t i = 0; i < n; i++) {
        json_object *elem = json_object_array_get_idx(val, i);
        if (!json_object_is_type(elem, json_type_int) || json_object_get_int64(elem) < 0)
            return fail_at(&s->r, line, "program point %" PRIu64 ": fs[%zu] is not a frame index",
                           index, i);
        s->fs[i] = json_object_get_uint64(elem);
        if ((s->fs[i] == 0 || s->fs[i] == UINT64_MAX) && !raw_checked) {
            /* -0, or past 2^64 - 1: the text tells, for the whole array at
               once (an fs of many zeros stays linear).  */
            raw_checked = true;
            size_t start, end;
            if (!raw_member(s->r.raw, s->r.raw_len, "fs", &start, &end))
                continue;
            const char *t = s->r.raw;
            size_t j = 0, k = raw_ws(t, end, start + 1);
            while (k < end && t[k] != ']') {
                size_t tok_end = raw_value_end(t, end, k);
                if (raw_int_kind(t + k, tok_end - k) != RAW_OK)
                    return fail_at(&s->r, line,
                                   "program point %" PRIu64 ": fs[%zu] is not a frame index", index,
                                   j);
                k = raw_ws(t, end, tok_end);
                if (k < end && t[k] == ',')
                    k = raw_ws(t, end, k + 1);
                j++;
            }
        }
    }
    *nfs = n;
    return 0;
}

/* The counters of interest of a program point object parsed by json-c:
   sets PP's counts and frames, and *HAVE to the HAVE_ bits of the fields
   met.  */
static int
pp_from_json(scan *s, json_object *obj, dhat_pp *pp, unsigned *have)
{
    uint64_t index = pp->index;
    unsigned long line = pp->line;

    if (!json_object_is_type(obj, json_type_object))
        return fail_at(&s->r, line, "program point %" PRIu64 " is not an object (%s)", index,
                       json_type_label(obj));
    json_object_object_foreach(obj, key, val)
    {
        uint64_t *dst = NULL;
        unsigned bit = 0;
        switch (key[0]) {
        case 't':
            if (strcmp(key, "tb") == 0)
                dst = &pp->counts.tb, bit = HAVE_TB;
            else if (strcmp(key, "tbk") == 0)
                dst = &pp->counts.tbk, bit = HAVE_TBK;
            break;
        case 'g':
            if (strcmp(key, "gb") == 0)
                dst = &pp->counts.gb, bit = HAVE_GB;
            else if (strcmp(key, "gbk") == 0)
                dst = &pp->counts.gbk, bit = HAVE_GBK;
            break;
        case 'e':
            if (strcmp(key, "eb") == 0)
                dst = &pp->counts.eb, bit = HAVE_EB;
            else if (strcmp(key, "ebk") == 0)
                dst = &pp->counts.ebk, bit = HAVE_EBK;
            break;
        case 'f':
            if (strcmp(key, "fs") == 0) {
                if (pp_frames(s, index, line, val, &pp->nfs) < 0)
                    return -1;
                *have |= HAVE_FS;
            }
            break;
        default:
            break;
        }
        if (dst != NULL) {
            if (get_count(s, index, line, key, val, dst) < 0)
                return -1;
            *have |= bit;
        }
    }
    return 0;
}

/* The fast path.  json-c's tokener costs about 70 instructions per byte
   and a dozen allocations per program point, which caps it near 30 MB/s;
   but nearly every program point ever written is a flat object of
   integers and integer arrays with plain keys.  This recognises exactly
   that shape, held whole in the read buffer, and takes its numbers
   directly.  Anything else -- a string, a fraction, an exponent, a minus
   sign, a leading zero, an escape, a repeated key, a number that does not
   fit, a program point cut by the end of the buffer -- returns 0 without
   consuming anything, and json-c parses the program point instead (and
   words any error).  Returns 1 after consuming the object.  */

/* An integer in [0, 2^64 - 1] as JSON writes it.  Returns the byte after
   it, or NULL when the text is anything else.  */
static const char *
lex_count(const char *p, const char *end, uint64_t *out)
{
    uint64_t v = 0;
    if (p == end || *p < '0' || *p > '9')
        return NULL;
    if (*p == '0') {
        p++;
    } else {
        while (p < end && *p >= '0' && *p <= '9') {
            unsigned d = (unsigned)(*p - '0');
            if (v > (UINT64_MAX - d) / 10)
                return NULL; /* past 2^64 - 1: json-c's reading says so */
            v = v * 10 + d;
            p++;
        }
    }
    if (p == end || *p == '.' || *p == 'e' || *p == 'E' || (*p >= '0' && *p <= '9'))
        return NULL;
    *out = v;
    return p;
}

static int
pp_fast(scan *s, dhat_pp *pp, unsigned *have)
{
    reader *r = &s->r;
    const char *p = r->buf + r->pos, *end = r->buf + r->len;

    if (p == end || *p != '{')
        return 0;
    p++;
    for (;;) {
        while (p < end && IS_WS(*p))
            p++;
        if (p == end || *p != '"')
            return 0;
        const char *key = ++p;
        while (p < end && *p != '"' && *p != '\\' && (unsigned char)*p >= 0x20)
            p++;
        if (p == end || *p != '"')
            return 0;
        size_t key_len = (size_t)(p - key);
        p++;
        while (p < end && IS_WS(*p))
            p++;
        if (p == end || *p != ':')
            return 0;
        p++;
        while (p < end && IS_WS(*p))
            p++;
        if (p == end)
            return 0;

        bool is_fs = key_len == 2 && key[0] == 'f' && key[1] == 's';
        /* tb, tbk, gb, gbk, eb, ebk.  */
        bool is_counter = (key_len == 2 || (key_len == 3 && key[2] == 'k')) && key[1] == 'b' &&
                          (key[0] == 't' || key[0] == 'g' || key[0] == 'e');
        if (*p == '[') {
            /* fs, or another integer array (acc) to skip.  A counter's
               array is an error for json-c to word: skipping it would let
               an earlier "tbk":1 stand, where json-c keeps the last of
               two equal keys.  */
            size_t n = 0;
            if ((is_fs && (*have & HAVE_FS)) || is_counter)
                return 0;
            p++;
            while (p < end && IS_WS(*p))
                p++;
            if (p < end && *p == ']') {
                p++;
            } else {
                for (;;) {
                    uint64_t v;
                    if (!is_fs && p < end && *p == '-')
                        p++; /* acc's run lengths are negative */
                    if ((p = lex_count(p, end, &v)) == NULL)
                        return 0;
                    if (is_fs) {
                        fs_reserve(s, n + 1);
                        s->fs[n++] = v;
                    }
                    while (p < end && IS_WS(*p))
                        p++;
                    if (p == end)
                        return 0;
                    if (*p == ']') {
                        p++;
                        break;
                    }
                    if (*p != ',')
                        return 0;
                    p++;
                    while (p < end && IS_WS(*p))
                        p++;
                }
            }
            if (is_fs) {
                pp->nfs = n;
                *have |= HAVE_FS;
            }
        } else {
            uint64_t v, *dst = NULL;
            unsigned bit = 0;
            if (is_fs || (p = lex_count(p, end, &v)) == NULL)
                return 0;
            if (key_len == 2 && key[1] == 'b') {
                if (key[0] == 't')
                    dst = &pp->counts.tb, bit = HAVE_TB;
                else if (key[0] == 'g')
                    dst = &pp->counts.gb, bit = HAVE_GB;
                else if (key[0] == 'e')
                    dst = &pp->counts.eb, bit = HAVE_EB;
            } else if (key_len == 3 && key[1] == 'b' && key[2] == 'k') {
                if (key[0] == 't')
                    dst = &pp->counts.tbk, bit = HAVE_TBK;
                else if (key[0] == 'g')
                    dst = &pp->counts.gbk, bit = HAVE_GBK;
                else if (key[0] == 'e')
                    dst = &pp->counts.ebk, bit = HAVE_EBK;
            }
            if (dst != NULL) {
                if (*have & bit)
                    return 0;
                *dst = v;
                *have |= bit;
            }
        }
        while (p < end && IS_WS(*p))
            p++;
        if (p == end)
            return 0;
        if (*p == '}') {
            p++;
            break;
        }
        if (*p != ',')
            return 0;
        p++;
    }
    r->pos = (size_t)(p - r->buf);
    return 1;
}

/* One program point, at the read position: parsed, checked, summed and
   passed to the caller.  */
static int
program_point(scan *s, unsigned long line)
{
    dhat_pp pp = {.index = s->info->npps, .line = line};
    uint64_t index = pp.index;
    unsigned have = 0;

    if (s->json_c_only || !pp_fast(s, &pp, &have)) {
        json_object *obj;
        memset(&pp.counts, 0, sizeof pp.counts);
        pp.nfs = 0;
        have = 0;
        s->r.capture = true;
        int got = reader_value(&s->r, &obj, "pps");
        s->r.capture = false;
        if (got < 0)
            return -1;
        int rc = pp_from_json(s, obj, &pp, &have);
        json_object_put(obj);
        if (rc < 0)
            return -1;
    }

    static const struct {
        unsigned bit;
        const char *name;
    } required[] = {{HAVE_TB, "tb"}, {HAVE_TBK, "tbk"}, {HAVE_FS, "fs"}},
      live[] = {{HAVE_GB, "gb"}, {HAVE_GBK, "gbk"}, {HAVE_EB, "eb"}, {HAVE_EBK, "ebk"}};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (!(have & required[i].bit))
            return fail_at(&s->r, line, "program point %" PRIu64 " has no %s", index,
                           required[i].name);
    for (size_t i = 0; i < sizeof live / sizeof live[0]; i++)
        if (!(have & live[i].bit) && !s->missing_live) {
            s->missing_live = true;
            s->missing_pp = index;
            s->missing_line = line;
            s->missing_field = live[i].name;
        }
    for (size_t i = 0; i < pp.nfs; i++)
        if (!s->any_fs || s->fs[i] > s->max_fs) {
            s->any_fs = true;
            s->max_fs = s->fs[i];
            s->max_fs_pp = index;
            s->max_fs_line = line;
        }

    dhat_counts *t = &s->info->total;
    if (add_count(s, index, line, "tb", &t->tb, pp.counts.tb) < 0 ||
        add_count(s, index, line, "tbk", &t->tbk, pp.counts.tbk) < 0 ||
        add_count(s, index, line, "gb", &t->gb, pp.counts.gb) < 0 ||
        add_count(s, index, line, "gbk", &t->gbk, pp.counts.gbk) < 0 ||
        add_count(s, index, line, "eb", &t->eb, pp.counts.eb) < 0 ||
        add_count(s, index, line, "ebk", &t->ebk, pp.counts.ebk) < 0)
        return -1;

    pp.fs = s->fs;
    if (s->hooks->pp != NULL)
        s->hooks->pp(s->hooks->ctx, &pp);
    s->info->npps++;
    return 0;
}

static int
read_pps(scan *s)
{
    reader *r = &s->r;
    if (reader_expect(r, '[', "at the start of pps") < 0)
        return -1;
    int c = reader_peek(r);
    if (c == -2)
        return -1;
    if (c == ']') {
        r->pos++;
    } else {
        for (;;) {
            c = reader_peek(r);
            if (c == -2)
                return -1;
            unsigned long line = reader_line(r);
            if (c == -1)
                return fail_at(r, line, "unexpected end of file in pps (truncated file?)");
            if (program_point(s, line) < 0)
                return -1;
            c = reader_peek(r);
            if (c == ',') {
                r->pos++;
            } else if (c == ']') {
                r->pos++;
                break;
            } else if (c == -2) {
                return -1;
            } else if (c == -1) {
                return fail_at(r, reader_line(r),
                               "unexpected end of file in pps (truncated file?)");
            } else {
                return fail_at(r, reader_line(r),
                               "expected ',' or ']' after program point %" PRIu64,
                               s->info->npps - 1);
            }
        }
    }
    s->pps_done = true;
    if (s->hooks->frames_wanted != NULL) {
        s->nwanted = s->hooks->frames_wanted(s->hooks->ctx, &s->wanted);
        s->frames_asked = true;
    }
    return 0;
}

/* The fast path of the frame table: a string without escapes or control
   bytes, whole in the buffer, is its own text.  Sets TEXT and LEN (valid
   until the next read) and consumes it; else returns false and leaves it to
   json-c.  */
static bool
string_fast(reader *r, const char **text, size_t *len)
{
    const char *p = r->buf + r->pos, *end = r->buf + r->len;
    if (p == end || *p != '"')
        return false;
    const char *start = ++p;
    while (p < end && *p != '"' && *p != '\\' && (unsigned char)*p >= 0x20)
        p++;
    if (p == end || *p != '"')
        return false;
    *text = start;
    *len = (size_t)(p - start);
    r->pos = (size_t)(p + 1 - r->buf);
    return true;
}

/* Reads the frame table's array; when DELIVER, hands the wanted frames to
   the caller.  Returns the number of entries through *COUNT.  */
static int
read_ftbl(scan *s, bool deliver, uint64_t *count)
{
    reader *r = &s->r;
    size_t next_wanted = 0;
    uint64_t index = 0;

    if (reader_expect(r, '[', "at the start of ftbl") < 0)
        return -1;
    int c = reader_peek(r);
    if (c == -2)
        return -1;
    if (c == ']') {
        r->pos++;
        *count = 0;
        return 0;
    }
    for (;;) {
        json_object *obj = NULL;
        const char *text;
        size_t len;
        if (s->json_c_only || !string_fast(r, &text, &len)) {
            if (reader_value(r, &obj, "ftbl") < 0)
                return -1;
            if (!json_object_is_type(obj, json_type_string)) {
                json_object_put(obj);
                return fail_at(r, reader_line(r), "ftbl[%" PRIu64 "] is not a string", index);
            }
            text = json_object_get_string(obj);
            len = (size_t)json_object_get_string_len(obj);
        }
        if (deliver) {
            while (next_wanted < s->nwanted && s->wanted[next_wanted] < index)
                next_wanted++;
            if (next_wanted < s->nwanted && s->wanted[next_wanted] == index)
                s->hooks->frame(s->hooks->ctx, index, text, len);
        }
        json_object_put(obj);
        index++;
        c = reader_peek(r);
        if (c == ',') {
            r->pos++;
        } else if (c == ']') {
            r->pos++;
            break;
        } else if (c == -2) {
            return -1;
        } else if (c == -1) {
            return fail_at(r, reader_line(r), "unexpected end of file in ftbl (truncated file?)");
        } else {
            return fail_at(r, reader_line(r), "expected ',' or ']' in ftbl");
        }
    }
    *count = index;
    return 0;
}

/* The frame table as met in the top-level object.  */
static int
ftbl_field(scan *s)
{
    reader *r = &s->r;
    bool deliver = s->frames_asked && s->nwanted > 0 && s->hooks->frame != NULL;
    bool keep = !s->pps_done && s->hooks->frame != NULL;

    if (keep) {
        /* Frames will be wanted only once the program points are read, so
           keep a way back to this table.  */
        if (reader_peek(r) == -2)
            return -1;
        struct stat st;
        s->ftbl_line = reader_line(r);
        s->ftbl_again = true;
        if (fstat(r->fd, &st) == 0 && S_ISREG(st.st_mode) &&
            lseek(r->fd, 0, SEEK_CUR) != (off_t)-1) {
            s->ftbl_offset = (off_t)(r->offset + r->pos);
        } else {
            s->ftbl_spool = tmpfile();
            if (s->ftbl_spool == NULL)
                return fail_at(r, 0, "cannot create a temporary file: %s", strerror(errno));
            s->ftbl_offset = 0;
            r->spool = s->ftbl_spool;
            r->spool_mark = r->pos;
        }
    }
    int rc = read_ftbl(s, deliver, &s->info->nframes);
    if (r->spool != NULL) {
        if (rc == 0 && spool_flush(r) < 0)
            rc = -1;
        r->spool = NULL;
    }
    return rc;
}

/* Reads the saved frame table again, now that the wanted frames are
   known.  */
static int
ftbl_again(scan *s)
{
    reader *r = &s->r;
    uint64_t count;

    if (s->ftbl_spool != NULL) {
        if (fflush(s->ftbl_spool) != 0 || ferror(s->ftbl_spool))
            return fail_at(r, 0, "cannot write a temporary copy of ftbl: %s", strerror(errno));
        r->fd = fileno(s->ftbl_spool);
    }
    if (lseek(r->fd, s->ftbl_offset, SEEK_SET) == (off_t)-1)
        return fail_at(r, 0, "cannot read ftbl again: %s", strerror(errno));
    r->pos = r->len = r->line_mark = r->spool_mark = 0;
    r->eof = false;
    r->offset = (uint64_t)s->ftbl_offset;
    r->lines = s->ftbl_line - 1;
    return read_ftbl(s, true, &count);
}

static int
classify_mode(scan *s, json_object *val, unsigned long line)
{
    if (!json_object_is_type(val, json_type_string))
        return fail_at(&s->r, line, "mode is not a string (%s)", json_type_label(val));
    const char *mode = json_object_get_string(val);
    size_t len = strlen(mode);
    enum dhat_kind kind;
    /* Writers name their mode "<writer>-heap" or "<writer>-ad-hoc" (dhat-rs
       writes "rust-heap"); Valgrind's are plain "heap", "copy", "ad-hoc".  */
    if (strcmp(mode, "heap") == 0 || (len > 5 && strcmp(mode + len - 5, "-heap") == 0))
        kind = DHAT_HEAP;
    else if (strcmp(mode, "ad-hoc") == 0 || (len > 7 && strcmp(mode + len - 7, "-ad-hoc") == 0))
        kind = DHAT_ADHOC;
    else if (strcmp(mode, "copy") == 0)
        kind = DHAT_COPY;
    else
        return fail_at(&s->r, line, "unknown mode \"%s\" (not heap, copy or ad-hoc)",
                       cli_quote_str(mode));
    s->info->mode = xstrdup(mode);
    s->info->kind = kind;
    return 0;
}

static int
duplicate(scan *s, bool *seen, const char *key, unsigned long line)
{
    if (*seen)
        return fail_at(&s->r, line, "duplicate key \"%s\"", cli_quote_str(key));
    *seen = true;
    return 0;
}

/* One "key": value of the top-level object; the read position is at the
   value.  */
static int
top_field(scan *s, const char *key, unsigned long line)
{
    reader *r = &s->r;

    if (strcmp(key, "pps") == 0)
        return duplicate(s, &s->seen_pps, key, line) < 0 ? -1 : read_pps(s);
    if (strcmp(key, "ftbl") == 0)
        return duplicate(s, &s->seen_ftbl, key, line) < 0 ? -1 : ftbl_field(s);

    json_object *val;
    if (reader_value(r, &val, key) < 0)
        return -1;
    int rc = 0;
    if (strcmp(key, "dhatFileVersion") == 0) {
        rc = duplicate(s, &s->seen_version, key, line);
        if (rc == 0 && !json_object_is_type(val, json_type_int))
            rc = fail_at(r, line, "dhatFileVersion is not a number (%s)", json_type_label(val));
        else if (rc == 0 && json_object_get_int64(val) != 2)
            rc = fail_at(r, line,
                         "unsupported dhatFileVersion %" PRId64 " (only version 2 is known)",
                         json_object_get_int64(val));
    } else if (strcmp(key, "mode") == 0) {
        rc = duplicate(s, &s->seen_mode, key, line);
        if (rc == 0)
            rc = classify_mode(s, val, line);
    } else if (strcmp(key, "bklt") == 0) {
        rc = duplicate(s, &s->seen_bklt, key, line);
        if (rc == 0 && !json_object_is_type(val, json_type_boolean))
            rc = fail_at(r, line, "bklt is not a boolean (%s)", json_type_label(val));
        else if (rc == 0)
            s->info->bklt = json_object_get_boolean(val);
    }
    json_object_put(val);
    return rc;
}

static int
top_object(scan *s)
{
    reader *r = &s->r;
    int c = reader_peek(r);
    if (c == -2)
        return -1;
    if (c == -1)
        return fail_at(r, 0, "empty file, not a DHAT profile");
    if (c != '{')
        return fail_at(r, reader_line(r), "not a DHAT profile: expected a JSON object");
    r->pos++;
    c = reader_peek(r);
    if (c == -2)
        return -1;
    if (c == '}') {
        r->pos++;
    } else {
        for (;;) {
            json_object *key;
            c = reader_peek(r);
            if (c == -2)
                return -1;
            if (c == -1)
                return fail_at(r, reader_line(r), "unexpected end of file (truncated file?)");
            if (c != '"')
                return fail_at(r, reader_line(r), "expected a key in the top-level object");
            if (reader_value(r, &key, "a key") < 0)
                return -1;
            int rc = reader_expect(r, ':', "after a key");
            if (rc == 0) {
                if (reader_peek(r) == -2)
                    rc = -1;
                else
                    rc = top_field(s, json_object_get_string(key), reader_line(r));
            }
            json_object_put(key);
            if (rc < 0)
                return -1;
            c = reader_peek(r);
            if (c == ',') {
                r->pos++;
            } else if (c == '}') {
                r->pos++;
                break;
            } else if (c == -2) {
                return -1;
            } else if (c == -1) {
                return fail_at(r, reader_line(r), "unexpected end of file (truncated file?)");
            } else {
                return fail_at(r, reader_line(r), "expected ',' or '}' in the top-level object");
            }
        }
    }
    c = reader_peek(r);
    if (c == -2)
        return -1;
    if (c != -1)
        return fail_at(r, reader_line(r), "unexpected data after the top-level object");
    return 0;
}

/* What only the whole file can tell.  */
static int
check_whole(scan *s)
{
    reader *r = &s->r;
    const char *missing = !s->seen_version ? "dhatFileVersion"
                          : !s->seen_mode  ? "mode"
                          : !s->seen_bklt  ? "bklt"
                          : !s->seen_pps   ? "pps"
                          : !s->seen_ftbl  ? "ftbl"
                                           : NULL;
    if (missing != NULL)
        return fail_at(r, 0, "not a DHAT profile: no \"%s\" field", missing);
    if (s->info->bklt && s->missing_live)
        return fail_at(r, s->missing_line,
                       "program point %" PRIu64 " has no %s, but the file says it records "
                       "block lifetimes (bklt)",
                       s->missing_pp, s->missing_field);
    if (s->any_fs && s->max_fs >= s->info->nframes)
        return fail_at(r, s->max_fs_line,
                       "program point %" PRIu64 ": frame index %" PRIu64
                       " is outside ftbl (%" PRIu64 " entries)",
                       s->max_fs_pp, s->max_fs, s->info->nframes);
    return 0;
}

int
dhat_scan_fd(int fd, const char *name, const dhat_hooks *hooks, dhat_info *info)
{
    static const dhat_hooks no_hooks;
    scan s;

    memset(&s, 0, sizeof s);
    memset(info, 0, sizeof *info);
    s.hooks = hooks != NULL ? hooks : &no_hooks;
    s.info = info;
    s.json_c_only = s.hooks->json_c_only;
    s.r.fd = fd;
    s.r.name = name;
    s.r.buf = xmalloc(READ_CHUNK);
    s.r.tok = json_tokener_new();
    if (s.r.tok == NULL) {
        free(s.r.buf);
        cli_warn("memory exhausted");
        return -1;
    }
    /* Strict: plain RFC 8259 JSON only (no NaN, no single quotes); the
       reader, not the tokener, decides what may follow a value.  */
    json_tokener_set_flags(s.r.tok, JSON_TOKENER_STRICT | JSON_TOKENER_ALLOW_TRAILING_CHARS);

    int rc = top_object(&s);
    if (rc == 0)
        rc = check_whole(&s);
    if (rc == 0 && s.ftbl_again && s.nwanted > 0)
        rc = ftbl_again(&s);

    if (s.ftbl_spool != NULL)
        fclose(s.ftbl_spool);
    json_tokener_free(s.r.tok);
    free(s.r.buf);
    free(s.r.raw);
    free(s.fs);
    if (rc < 0) {
        dhat_info_free(info);
        return -1;
    }
    if (!info->bklt)
        info->total.gb = info->total.gbk = info->total.eb = info->total.ebk = 0;
    return 0;
}

void
dhat_info_free(dhat_info *info)
{
    free(info->mode);
    info->mode = NULL;
}

const char *
dhat_kind_name(enum dhat_kind kind)
{
    switch (kind) {
    case DHAT_HEAP:
        return "heap";
    case DHAT_ADHOC:
        return "ad-hoc";
    case DHAT_COPY:
        return "copy";
    }
    return "?";
}
