/* csv.c: the RFC 4180 reader and writer of csv.h.
   SPDX-License-Identifier: MIT */

#include <config.h>

#include "csv.h"
#include "cli.h"
#include "strmap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { READ_CHUNK = 256 * 1024 };

struct csv_reader {
    char *name;
    int fd;
    bool owns_fd;
    bool eof;       /* no more bytes to read into buf */
    bool failed;
    bool at_start;  /* nothing consumed yet: a BOM may follow */
    char *buf;      /* input bytes; buf == mem for memory readers */
    size_t buf_cap;
    size_t read_size; /* bytes asked of each read(2) */
    bool limited;     /* with csv_reader_set_limit: */
    unsigned long long remaining; /* bytes still allowed */
    size_t pos, end;
    bool buf_owned;

    /* The current record: fields unescaped into rec, each followed by a
       NUL; offsets[i] is where field i starts.  */
    char *rec;
    size_t rec_len, rec_cap;
    size_t *offsets;
    size_t nfields, offsets_cap;

    bool quoted;               /* the current record has a quoted field */
    unsigned long line;        /* line of the next byte */
    unsigned long record_line; /* line where the current record started */
    char error[160];
};

static csv_reader *
reader_new(const char *name)
{
    csv_reader *r = xcalloc(1, sizeof *r);
    r->name = xstrdup(name);
    r->fd = -1;
    r->line = 1;
    r->at_start = true;
    r->rec_cap = 1024;
    r->rec = xmalloc(r->rec_cap);
    r->offsets_cap = 32;
    r->offsets = xmalloc(r->offsets_cap * sizeof *r->offsets);
    return r;
}

csv_reader *
csv_reader_from_fd(int fd, const char *name, bool owns_fd)
{
    csv_reader *r = reader_new(name);
    r->fd = fd;
    r->owns_fd = owns_fd;
    r->buf_cap = READ_CHUNK;
    r->read_size = READ_CHUNK;
    r->buf = xmalloc(r->buf_cap);
    r->buf_owned = true;
    return r;
}

csv_reader *
csv_reader_open(const char *path, const char *name)
{
    if (path == NULL || strcmp(path, "-") == 0)
        return csv_reader_from_fd(STDIN_FILENO, name ? name : "-", false);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    return csv_reader_from_fd(fd, name ? name : path, true);
}

csv_reader *
csv_reader_from_memory(const char *data, size_t len, const char *name)
{
    csv_reader *r = reader_new(name);
    r->buf = (char *)data;
    r->end = len;
    r->eof = true;
    return r;
}

void
csv_reader_set_read_size(csv_reader *r, size_t size)
{
    if (r->buf_owned && size >= 1 && size <= READ_CHUNK)
        r->read_size = size;
}

void
csv_reader_set_limit(csv_reader *r, unsigned long long bytes)
{
    r->limited = true;
    r->remaining = bytes;
}

/* One read(2) of at most MAX bytes into DST, within the limit: the count,
   0 at the end, or -1 with errno.  */
static ssize_t
read_some(csv_reader *r, char *dst, size_t max)
{
    if (max > r->read_size)
        max = r->read_size;
    if (r->limited) {
        if (r->remaining == 0)
            return 0;
        if (max > r->remaining)
            max = (size_t)r->remaining;
    }
    ssize_t n;
    do
        n = read(r->fd, dst, max);
    while (n < 0 && errno == EINTR);
    if (n > 0 && r->limited)
        r->remaining -= (unsigned long long)n;
    return n;
}

void
csv_reader_close(csv_reader *r)
{
    if (r == NULL)
        return;
    if (r->owns_fd && r->fd >= 0)
        close(r->fd);
    if (r->buf_owned)
        free(r->buf);
    free(r->rec);
    free(r->offsets);
    free(r->name);
    free(r);
}

const char *
csv_reader_name(const csv_reader *r)
{
    return r->name;
}

const char *
csv_reader_error(const csv_reader *r)
{
    return r->error;
}

unsigned long
csv_record_line(const csv_reader *r)
{
    return r->record_line;
}

size_t
csv_nfields(const csv_reader *r)
{
    return r->nfields;
}

const char *
csv_field(const csv_reader *r, size_t i, size_t *len)
{
    const char *start = r->rec + r->offsets[i];
    if (len != NULL) {
        size_t next = i + 1 < r->nfields ? r->offsets[i + 1] : r->rec_len;
        *len = next - r->offsets[i] - 1;
    }
    return start;
}

size_t
csv_fields(const csv_reader *r, const char **data, size_t *len, size_t max)
{
    size_t n = r->nfields < max ? r->nfields : max;
    for (size_t i = 0; i < n; i++) {
        size_t start = r->offsets[i];
        size_t next = i + 1 < r->nfields ? r->offsets[i + 1] : r->rec_len;
        data[i] = r->rec + start;
        len[i] = next - start - 1;
    }
    return n;
}

/* Refills the buffer; returns false at the end of the input or on a read
   error (which sets r->failed).  */
static bool
refill(csv_reader *r)
{
    if (r->eof)
        return false;
    r->pos = 0;
    r->end = 0;
    ssize_t n = read_some(r, r->buf, r->buf_cap);
    if (n > 0) {
        r->end = (size_t)n;
        return true;
    }
    r->eof = true;
    if (n < 0) {
        snprintf(r->error, sizeof r->error, "read error: %s", strerror(errno));
        r->failed = true;
    }
    return false;
}

static void
rec_push(csv_reader *r, const char *data, size_t len)
{
    if (r->rec_len + len + 1 > r->rec_cap) {
        while (r->rec_len + len + 1 > r->rec_cap)
            r->rec_cap *= 2;
        r->rec = xrealloc(r->rec, r->rec_cap);
    }
    memcpy(r->rec + r->rec_len, data, len);
    r->rec_len += len;
}

static void
field_begin(csv_reader *r)
{
    if (r->nfields == r->offsets_cap) {
        r->offsets_cap *= 2;
        r->offsets = xreallocarray(r->offsets, r->offsets_cap, sizeof *r->offsets);
    }
    r->offsets[r->nfields++] = r->rec_len;
}

static void
field_end(csv_reader *r)
{
    rec_push(r, "", 1); /* the terminating NUL */
}

static int
fail(csv_reader *r, const char *message)
{
    snprintf(r->error, sizeof r->error, "%s", message);
    r->failed = true;
    return -1;
}

/* Bytes that end an unquoted run: the delimiter, line ends, a quote (kept
   as data, but scanned one at a time) and NUL (an error).  */
static const bool special[256] = {
    [','] = true, ['\n'] = true, ['\r'] = true, ['"'] = true, ['\0'] = true,
};

/* Returns the next byte without consuming it, or -1 at the end.  */
static int
peek_byte(csv_reader *r)
{
    if (r->pos == r->end && !refill(r))
        return -1;
    return (unsigned char)r->buf[r->pos];
}

/* A UTF-8 byte order mark is not part of the first field.  Its three
   bytes may arrive in separate reads from a pipe, so gather them first.  */
static void
skip_bom(csv_reader *r)
{
    static const char bom[3] = {'\xEF', '\xBB', '\xBF'};
    if (peek_byte(r) < 0)
        return;
    while (r->end - r->pos < 3 && !r->eof && r->buf_owned) {
        ssize_t n = read_some(r, r->buf + r->end, r->buf_cap - r->end);
        if (n <= 0)
            break;
        r->end += (size_t)n;
    }
    if (r->end - r->pos >= 3 && memcmp(r->buf + r->pos, bom, 3) == 0)
        r->pos += 3;
}

static int read_record(csv_reader *r);

static inline void
add_field(csv_reader *r, size_t offset)
{
    if (r->nfields == r->offsets_cap) {
        r->offsets_cap *= 2;
        r->offsets = xreallocarray(r->offsets, r->offsets_cap, sizeof *r->offsets);
    }
    r->offsets[r->nfields++] = offset;
}

/* The high bit of each byte of X that is zero (exactly: no borrow runs
   from one byte into the next).  */
static inline uint64_t
zero_bytes(uint64_t x)
{
    const uint64_t low7 = 0x7F7F7F7F7F7F7F7FULL;
    return ~(((x & low7) + low7) | x | low7);
}

/* Splits the data_len bytes in r->rec at commas: each comma becomes the
   NUL that ends a field, and r->offsets gets where each field starts.
   Returns false, having split nothing for certain, when the bytes hold a
   quote or a NUL: the general parser must read that record.  */
static bool
split_at_commas(csv_reader *r, size_t data_len)
{
    char *rec = r->rec;
    size_t start = 0, i = 0;
    r->nfields = 0;
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    /* Eight bytes at a time: fields are short, so a call or a test per
       field or per byte costs more than the rest of the reading.  One pass
       finds the commas and makes sure there is no quote or NUL.  */
    for (; i + 8 <= data_len; i += 8) {
        uint64_t word;
        memcpy(&word, rec + i, 8);
        if (zero_bytes(word ^ 0x2222222222222222ULL) | zero_bytes(word))
            return false;
        uint64_t commas = zero_bytes(word ^ 0x2C2C2C2C2C2C2C2CULL);
        while (commas != 0) {
            size_t comma = i + ((size_t)__builtin_ctzll(commas) >> 3);
            add_field(r, start);
            rec[comma] = '\0';
            start = comma + 1;
            commas &= commas - 1;
        }
    }
#endif
    for (; i < data_len; i++) {
        if (rec[i] == '"' || rec[i] == '\0')
            return false;
        if (rec[i] == ',') {
            add_field(r, start);
            rec[i] = '\0';
            start = i + 1;
        }
    }
    add_field(r, start);
    return true;
}

/* The fast path, for the common record: a whole line in the buffer with no
   quote, NUL or line break inside a field.  It copies the line once and
   splits it at the commas.  Returns 1 when it read the record, 0 when the
   general parser must (nothing consumed).  */
static int
read_plain_line(csv_reader *r)
{
    const char *start = r->buf + r->pos;
    size_t avail = r->end - r->pos;
    const char *nl = memchr(start, '\n', avail);
    if (nl == NULL)
        return 0;
    size_t len = (size_t)(nl - start);
    size_t data_len = len > 0 && start[len - 1] == '\r' ? len - 1 : len;
    if (data_len + 1 > r->rec_cap) {
        while (data_len + 1 > r->rec_cap)
            r->rec_cap *= 2;
        r->rec = xrealloc(r->rec, r->rec_cap);
    }
    memcpy(r->rec, start, data_len);
    r->rec[data_len] = '\0';
    r->rec_len = data_len + 1;
    if (!split_at_commas(r, data_len)) {
        r->nfields = 0;
        r->rec_len = 0;
        return 0;
    }
    r->pos += len + 1;
    r->line++;
    return 1;
}

int
csv_read(csv_reader *r)
{
    if (r->failed)
        return -1;

    if (r->at_start) {
        r->at_start = false;
        skip_bom(r);
    }

    for (;;) {
        r->nfields = 0;
        r->rec_len = 0;
        r->record_line = r->line;
        if (peek_byte(r) < 0)
            return r->failed ? -1 : 0;
        r->quoted = false;
        int status = read_plain_line(r);
        if (status == 0)
            status = read_record(r);
        /* A blank line is one empty unquoted field: skip it.  A line that
           holds only "" is a record with one empty field.  */
        if (status == 1 && r->nfields == 1 && r->rec_len == 1 && !r->quoted)
            continue;
        return status;
    }
}

/* Parses one record starting at a byte that exists.  */
static int
read_record(csv_reader *r)
{
    for (;;) {
        /* At the start of a field.  */
        field_begin(r);
        int c = peek_byte(r);
        if (c == '"') {
            unsigned long quote_line = r->line;
            r->quoted = true;
            r->pos++;
            for (;;) {
                if (r->pos == r->end && !refill(r)) {
                    if (r->failed)
                        return -1;
                    r->record_line = quote_line;
                    return fail(r, "unterminated quoted field");
                }
                const char *start = r->buf + r->pos;
                const char *q = memchr(start, '"', r->end - r->pos);
                size_t run = q ? (size_t)(q - start) : r->end - r->pos;
                const char *nul = memchr(start, '\0', run);
                if (nul != NULL)
                    return fail(r, "NUL byte in input");
                for (const char *p = start; (p = memchr(p, '\n', (size_t)(start + run - p)));
                     p++)
                    r->line++;
                rec_push(r, start, run);
                r->pos += run;
                if (q == NULL)
                    continue;
                r->pos++; /* the quote */
                int next = peek_byte(r);
                if (next == '"') {
                    rec_push(r, "\"", 1);
                    r->pos++;
                    continue;
                }
                break;
            }
            c = peek_byte(r);
            if (c != ',' && c != '\n' && c != '\r' && c >= 0)
                return fail(r, "text after a closing quote");
        } else {
            /* An unquoted field: copy runs of ordinary bytes.  */
            for (;;) {
                if (r->pos == r->end && !refill(r)) {
                    if (r->failed)
                        return -1;
                    c = -1;
                    break;
                }
                size_t i = r->pos;
                const unsigned char *b = (const unsigned char *)r->buf;
                while (i < r->end && !special[b[i]])
                    i++;
                rec_push(r, r->buf + r->pos, i - r->pos);
                r->pos = i;
                if (i == r->end)
                    continue;
                c = b[i];
                if (c == '"') {
                    /* A quote inside an unquoted field is taken as data, as
                       most readers do.  */
                    rec_push(r, "\"", 1);
                    r->pos++;
                    continue;
                }
                if (c == '\0')
                    return fail(r, "NUL byte in input");
                if (c == '\r') {
                    /* "\r\n" ends the record; a lone CR is data.  */
                    r->pos++;
                    int next = peek_byte(r);
                    if (next == '\n') {
                        c = '\n';
                        break;
                    }
                    rec_push(r, "\r", 1);
                    continue;
                }
                break;
            }
        }
        field_end(r);

        if (c == ',') {
            r->pos++;
            continue;
        }
        if (c == '\r') {
            r->pos++;
            if (peek_byte(r) != '\n')
                return fail(r, "carriage return not followed by a line feed");
            c = '\n';
        }
        if (c == '\n') {
            r->pos++;
            r->line++;
        }
        return 1; /* end of line or end of input */
    }
}

int
csv_header_read(csv_reader *r, csv_header *h)
{
    h->ncols = 0;
    h->names = NULL;
    int status = csv_read(r);
    if (status < 0) {
        cli_warn_at(r->name, r->record_line, "%s", r->error);
        return -1;
    }
    if (status == 0) {
        cli_warn_at(r->name, 1, "empty file: no header line");
        return -1;
    }
    h->ncols = r->nfields;
    h->names = xcalloc(h->ncols, sizeof *h->names);
    /* A map finds repeated names in linear time: headers can be wide.  */
    strmap seen;
    strmap_init(&seen);
    int result = 0;
    for (size_t i = 0; i < h->ncols && result == 0; i++) {
        size_t len;
        const char *name = csv_field(r, i, &len);
        h->names[i] = xstrndup(name, len);
        int created;
        if (len == 0) {
            cli_warn_at(r->name, r->record_line, "column %zu has an empty name", i + 1);
            result = -1;
        } else if (strmap_upsert(&seen, name, len, &created), !created) {
            cli_warn_at(r->name, r->record_line, "duplicate column name '%s'",
                        cli_quote_str(h->names[i]));
            result = -1;
        }
    }
    strmap_free(&seen);
    if (result != 0)
        csv_header_free(h);
    return result;
}

long
csv_header_find(const csv_header *h, const char *name)
{
    for (size_t i = 0; i < h->ncols; i++)
        if (strcmp(h->names[i], name) == 0)
            return (long)i;
    return -1;
}

void
csv_header_free(csv_header *h)
{
    for (size_t i = 0; i < h->ncols; i++)
        free(h->names[i]);
    free(h->names);
    h->names = NULL;
    h->ncols = 0;
}

void
csv_writer_init(csv_writer *w, FILE *fp)
{
    w->fp = fp;
    w->at_record_start = true;
}

bool
csv_needs_quotes(const char *data, size_t len)
{
    /* A field that starts with a byte order mark would lose it when it
       opens a file, where the reader drops the mark.  */
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        return true;
    for (size_t i = 0; i < len; i++) {
        char c = data[i];
        if (c == ',' || c == '"' || c == '\n' || c == '\r')
            return true;
    }
    return false;
}

void
csv_write_field(csv_writer *w, const char *data, size_t len)
{
    FILE *fp = w->fp;
    if (!w->at_record_start)
        putc_unlocked(',', fp);
    w->at_record_start = false;
    if (!csv_needs_quotes(data, len)) {
        fwrite_unlocked(data, 1, len, fp);
        return;
    }
    putc_unlocked('"', fp);
    const char *p = data, *end = data + len;
    while (p < end) {
        const char *q = memchr(p, '"', (size_t)(end - p));
        if (q == NULL) {
            fwrite_unlocked(p, 1, (size_t)(end - p), fp);
            break;
        }
        fwrite_unlocked(p, 1, (size_t)(q - p) + 1, fp);
        putc_unlocked('"', fp);
        p = q + 1;
    }
    putc_unlocked('"', fp);
}

void
csv_write_string(csv_writer *w, const char *s)
{
    csv_write_field(w, s, strlen(s));
}

void
csv_write_end(csv_writer *w)
{
    putc_unlocked('\n', w->fp);
    w->at_record_start = true;
}
