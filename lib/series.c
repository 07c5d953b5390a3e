/* series.c: history CSV files read into series, value formats, the text
   sparkline and -d file names (see series.h).
   SPDX-License-Identifier: MIT */

#include <config.h>

#include "series.h"
#include "cli.h"
#include "csv.h"
#include "numfmt.h"
#include "strmap.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

typedef struct series_priv {
    strmap benches; /* bench -> series * */
    strmap strings; /* interned machines, units and tags */
} series_priv;

static const char *
intern(series_priv *p, const char *s, size_t len)
{
    /* Keys are copied once and never move, so the key is the string.  */
    return strmap_upsert(&p->strings, s, len, NULL)->key;
}

static bool
is_exact_tag(const char *version, size_t len)
{
    if (len < 2 || version[0] != 'v' || !(version[1] >= '0' && version[1] <= '9'))
        return false;
    for (size_t i = 1; i < len; i++) {
        char c = version[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              c == '.' || c == '-' || c == '+' || c == '_'))
            return false;
    }
    /* "v0.4.1-3-g12d8211" names a commit after the tag, not the tag.  */
    size_t g = len;
    while (g > 0 && version[g - 1] != '-')
        g--;
    if (g > 0 && g + 1 < len && version[g] == 'g') {
        size_t h = g + 1;
        while (h < len && ((version[h] >= '0' && version[h] <= '9') ||
                           (version[h] >= 'a' && version[h] <= 'f')))
            h++;
        size_t n = g - 1; /* the '-' before "gHEX" */
        size_t d = n;
        while (d > 0 && version[d - 1] >= '0' && version[d - 1] <= '9')
            d--;
        if (h == len && d < n && d > 0 && version[d - 1] == '-')
            return false;
    }
    return true;
}

bool
series_is_exact_tag(const char *version)
{
    return is_exact_tag(version, strlen(version));
}

static series_kind
kind_of(const char *field, const char *unit)
{
    if (strncmp(field, "allocs", 6) == 0)
        return SERIES_COUNT;
    if ((strcmp(field, "value") == 0 || strcmp(field, "ci_low") == 0 ||
         strcmp(field, "ci_high") == 0) &&
        unit != NULL && strcmp(unit, "ns") == 0)
        return SERIES_TIME;
    return SERIES_OTHER;
}

/* Whether FIELD is measured in the row's "unit".  */
static bool
has_unit(const char *field)
{
    return strcmp(field, "value") == 0 || strcmp(field, "ci_low") == 0 ||
           strcmp(field, "ci_high") == 0;
}

static void
push_point(series_field *f, double v, const char *tag)
{
    if (f->n == f->cap) {
        f->cap = f->cap ? 2 * f->cap : 16;
        f->v = xreallocarray(f->v, f->cap, sizeof *f->v);
        f->tag = xreallocarray(f->tag, f->cap, sizeof *f->tag);
    }
    f->v[f->n] = v;
    f->tag[f->n] = tag;
    f->n++;
}

/* Parses a decimal the way num_parse_double does, quickly when it can:
   up to 15 significant digits and a power of ten within 10^22 make both
   the digits and the scale exact doubles, so one multiplication or
   division rounds correctly (Clinger's fast path); anything else goes to
   num_parse_double.  */
static bool
parse_slow(const char *text, size_t len, double *out)
{
    char small[64];
    char *copy = len < sizeof small ? small : xmalloc(len + 1);
    memcpy(copy, text, len);
    copy[len] = '\0';
    bool ok = num_parse_double(copy, out);
    if (copy != small)
        free(copy);
    return ok;
}

static bool
parse_number(const char *text, size_t len, double *out)
{
    static const double pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                   1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    const char *p = text, *end = text + len;
    bool negative = p < end && *p == '-';
    if (p < end && (*p == '-' || *p == '+'))
        p++;
    uint64_t mantissa = 0;
    int digits = 0, scale = 0;
    bool any = false;
    while (p < end && *p >= '0' && *p <= '9') {
        if (mantissa != 0 || *p != '0')
            digits++;
        mantissa = mantissa * 10 + (uint64_t)(*p - '0');
        any = true;
        p++;
        if (digits > 15)
            return parse_slow(text, len, out);
    }
    if (p < end && *p == '.') {
        p++;
        while (p < end && *p >= '0' && *p <= '9') {
            if (mantissa != 0 || *p != '0')
                digits++;
            mantissa = mantissa * 10 + (uint64_t)(*p - '0');
            scale++;
            any = true;
            p++;
            if (digits > 15 || scale > 22)
                return parse_slow(text, len, out);
        }
    }
    if (p != end || !any)
        return parse_slow(text, len, out);
    double v = (double)mantissa / pow10[scale];
    *out = negative ? -v : v;
    return true;
}

/* What read_one needs to take a row.  */
typedef struct reading {
    series_set *set;
    const series_query *q;
    const char *name;
    size_t ncols;
    long c_bench, c_metric, c_machine, c_unit, c_version;
    long c_field[2];
} reading;

/* A copy of the LEN bytes at S fit for a terminal: control bytes (which
   could move the cursor or recolour the screen) become '?'.  */
static char *
printable(const char *s, size_t len)
{
    char *p = xstrndup(s, len);
    for (char *c = p; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7F)
            *c = '?';
    return p;
}

static bool
same(const char *field, size_t len, const char *s)
{
    return strncmp(field, s, len) == 0 && s[len] == '\0';
}

/* Takes one record of the file: FIELDS[i] is LENS[i] bytes, not
   necessarily NUL-terminated.  Returns 0, or -1 after a message.  */
static int
take_row(const reading *rd, char *const *fields, const size_t *lens, size_t nfields,
         unsigned long line)
{
    const series_query *q = rd->q;
    series_set *set = rd->set;
    series_priv *p = set->priv;
    const char *name = rd->name;

    if (nfields != rd->ncols) {
        cli_warn_at(name, line, "%zu fields where the header has %zu", nfields, rd->ncols);
        return -1;
    }
    if (rd->c_metric >= 0 && !same(fields[rd->c_metric], lens[rd->c_metric], q->metric))
        return 0;
    const char *machine = rd->c_machine >= 0 ? fields[rd->c_machine] : "";
    int machine_len = rd->c_machine >= 0 ? (int)lens[rd->c_machine] : 0;
    /* A row that names no machine belongs to whichever is asked for.  */
    if (q->machine != NULL && machine_len > 0 && !same(machine, (size_t)machine_len, q->machine))
        return 0;
    const char *bench = fields[rd->c_bench];
    size_t bench_len = lens[rd->c_bench];
    if (q->bench != NULL && !same(bench, bench_len, q->bench))
        return 0;

    int created;
    strmap_entry *e = strmap_upsert(&p->benches, bench, bench_len, &created);
    series *s = e->value;
    if (created) {
        s = xcalloc(1, sizeof *s);
        s->bench = xstrndup(bench, bench_len);
        s->shown = printable(bench, bench_len);
        s->machine = intern(p, machine, (size_t)machine_len);
        e->value = s;
        if (set->count == set->cap) {
            set->cap = set->cap ? 2 * set->cap : 64;
            set->items = xreallocarray(set->items, set->cap, sizeof *set->items);
        }
        set->items[set->count++] = s;
    } else if (machine_len > 0 && s->machine[0] == '\0') {
        s->machine = intern(p, machine, (size_t)machine_len);
    } else if (machine_len > 0 && !same(machine, (size_t)machine_len, s->machine)) {
        cli_warn_at(name, line,
                    "bench '%s' has rows from machines '%s' and '%s': choose one with "
                    "--machine",
                    cli_quote_str(s->shown), cli_quote_str(s->machine),
                    cli_quote(machine, (size_t)machine_len));
        return -1;
    }

    const char *unit = rd->c_unit >= 0 ? fields[rd->c_unit] : NULL;
    int unit_len = rd->c_unit >= 0 ? (int)lens[rd->c_unit] : 0;
    const char *tag = NULL;
    if (rd->c_version >= 0 && is_exact_tag(fields[rd->c_version], lens[rd->c_version]))
        tag = intern(p, fields[rd->c_version], lens[rd->c_version]);
    for (size_t k = 0; k < q->nfields; k++) {
        if (rd->c_field[k] < 0)
            continue;
        const char *text = fields[rd->c_field[k]];
        int len = (int)lens[rd->c_field[k]];
        if (len == 0)
            continue; /* not measured */
        double v;
        if (!parse_number(text, (size_t)len, &v)) {
            cli_warn_at(name, line, "bench '%s': %s '%s' is not a number", cli_quote_str(s->shown),
                        q->fields[k], cli_quote(text, (size_t)len));
            return -1;
        }
        series_field *f = &s->f[k];
        bool unit_applies = has_unit(q->fields[k]) && unit != NULL;
        if (f->n == 0) {
            f->unit = unit_applies ? intern(p, unit, (size_t)unit_len) : NULL;
            f->kind = kind_of(q->fields[k], f->unit);
        } else if (unit_applies ? f->unit == NULL || !same(unit, (size_t)unit_len, f->unit)
                                : f->unit != NULL) {
            cli_warn_at(name, line, "bench '%s': unit '%s' where earlier rows have '%s'",
                        cli_quote_str(s->shown),
                        cli_quote(unit_applies ? unit : "", unit_applies ? (size_t)unit_len : 0),
                        cli_quote_str(f->unit ? f->unit : ""));
            return -1;
        }
        if (f->kind == SERIES_TIME && !(v > 0)) {
            cli_warn_at(name, line, "bench '%s': time %s is not positive", cli_quote_str(s->shown),
                        cli_quote(text, (size_t)len));
            return -1;
        }
        if (f->kind == SERIES_COUNT && v < 0) {
            cli_warn_at(name, line, "bench '%s': %s %s is negative", cli_quote_str(s->shown),
                        q->fields[k], cli_quote(text, (size_t)len));
            return -1;
        }
        push_point(f, v, tag);
    }
    return 0;
}

/* Finds the columns in header H; returns 0, or -1 after a message.  */
static int
find_columns(reading *rd, const csv_header *h)
{
    rd->ncols = h->ncols;
    rd->c_bench = csv_header_find(h, "bench");
    rd->c_metric = csv_header_find(h, "metric");
    rd->c_machine = csv_header_find(h, "machine");
    rd->c_unit = csv_header_find(h, "unit");
    rd->c_version = csv_header_find(h, "version");
    if (rd->c_bench < 0) {
        cli_warn_at(rd->name, 1, "no 'bench' column");
        return -1;
    }
    for (size_t k = 0; k < rd->q->nfields; k++) {
        rd->c_field[k] = csv_header_find(h, rd->q->fields[k]);
        if (rd->c_field[k] < 0 && rd->q->field_required[k]) {
            cli_warn_at(rd->name, 1, "no '%s' column", rd->q->fields[k]);
            return -1;
        }
    }
    return 0;
}

/* Reads the history through the library's RFC 4180 reader.  */
static int
read_csv(reading *rd, const char *data, size_t len)
{
    csv_reader *r = csv_reader_from_memory(data, len, rd->name);
    csv_header h;
    if (csv_header_read(r, &h) != 0) {
        csv_reader_close(r);
        return -1;
    }
    int status = find_columns(rd, &h);
    char **fields = xcalloc(h.ncols + 1, sizeof *fields);
    size_t *lens = xcalloc(h.ncols + 1, sizeof *lens);
    int rc;
    while (status == 0 && (rc = csv_read(r)) != 0) {
        if (rc < 0) {
            cli_warn_at(rd->name, csv_record_line(r), "%s", csv_reader_error(r));
            status = -1;
            break;
        }
        /* One more field than the header is enough to report a mismatch.  */
        csv_fields(r, (const char **)fields, lens, h.ncols + 1);
        status = take_row(rd, fields, lens, csv_nfields(r), csv_record_line(r));
    }
    free(fields);
    free(lens);
    csv_header_free(&h);
    csv_reader_close(r);
    return status;
}

/* Reads all of FD; returns the bytes (NUL-terminated) or NULL with errno.  */
static char *
slurp(int fd, size_t *len)
{
    size_t cap = 1 << 16, n = 0;
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
        cap = (size_t)st.st_size + 1;
    char *buf = xmalloc(cap);
    for (;;) {
        if (n + 1 >= cap) {
            cap *= 2;
            buf = xrealloc(buf, cap);
        }
        ssize_t got = read(fd, buf + n, cap - n - 1);
        if (got == 0)
            break;
        if (got < 0) {
            if (errno == EINTR)
                continue;
            int saved = errno;
            free(buf);
            errno = saved;
            return NULL;
        }
        n += (size_t)got;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

static int
read_one(series_set *set, const series_query *q, const char *path)
{
    bool is_stdin = strcmp(path, "-") == 0;
    int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        cli_warn("%s: %s", path, strerror(errno));
        return -1;
    }
    /* A regular file is mapped: the fast path reads it where it lies.  */
    size_t len = 0;
    char *data = NULL;
    bool mapped = false;
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
        len = (size_t)st.st_size;
#ifdef MAP_POPULATE
        /* Mapping every page up front costs less than a fault per page.  */
        int flags = MAP_PRIVATE | MAP_POPULATE;
#else
        int flags = MAP_PRIVATE;
#endif
        data = mmap(NULL, len, PROT_READ, flags, fd, 0);
        if (data == MAP_FAILED)
            data = NULL;
        else
            mapped = true;
    }
    if (data == NULL)
        data = slurp(fd, &len);
    int saved = errno;
    if (!is_stdin)
        close(fd);
    if (data == NULL) {
        cli_warn("%s: read error: %s", path, strerror(saved));
        return -1;
    }
    reading rd = {.set = set, .q = q, .name = path, .c_field = {-1, -1}};
    int status = read_csv(&rd, data, len);
    if (mapped)
        munmap(data, len);
    else
        free(data);
    return status;
}

int
series_read(series_set *set, const series_query *q, char *const *files, size_t nfiles)
{
    memset(set, 0, sizeof *set);
    series_priv *p = xcalloc(1, sizeof *p);
    strmap_init(&p->benches);
    strmap_init(&p->strings);
    set->priv = p;
    if (nfiles == 0)
        return read_one(set, q, "-");
    for (size_t i = 0; i < nfiles; i++)
        if (read_one(set, q, files[i]) != 0)
            return -1;
    return 0;
}

void
series_set_free(series_set *set)
{
    for (size_t i = 0; i < set->count; i++) {
        series *s = set->items[i];
        for (int k = 0; k < 2; k++) {
            free(s->f[k].v);
            free(s->f[k].tag);
        }
        free(s->bench);
        free(s->shown);
        free(s);
    }
    free(set->items);
    series_priv *p = set->priv;
    if (p != NULL) {
        strmap_free(&p->benches);
        strmap_free(&p->strings);
        free(p);
    }
    memset(set, 0, sizeof *set);
}

char *
series_format_time(double ns, char buf[SERIES_FMT_SIZE])
{
    if (ns < 1e3)
        snprintf(buf, SERIES_FMT_SIZE, "%.1f ns", ns);
    else if (ns < 1e6)
        snprintf(buf, SERIES_FMT_SIZE, "%.2f \xCE\xBCs", ns / 1e3);
    else if (ns < 1e9)
        snprintf(buf, SERIES_FMT_SIZE, "%.2f ms", ns / 1e6);
    else
        snprintf(buf, SERIES_FMT_SIZE, "%.2f s", ns / 1e9);
    return buf;
}

char *
series_format_count(double n, char buf[SERIES_FMT_SIZE])
{
    if (n < 1e3)
        snprintf(buf, SERIES_FMT_SIZE, "%.0f", n);
    else if (n < 1e6)
        snprintf(buf, SERIES_FMT_SIZE, "%.1fK", n / 1e3);
    else if (n < 1e9)
        snprintf(buf, SERIES_FMT_SIZE, "%.1fM", n / 1e6);
    else
        snprintf(buf, SERIES_FMT_SIZE, "%.1fB", n / 1e9);
    return buf;
}

char *
series_format_rate(double n, char buf[SERIES_FMT_SIZE])
{
    if (n >= 1e9)
        snprintf(buf, SERIES_FMT_SIZE, "%.2fB", n / 1e9);
    else if (n >= 1e6)
        snprintf(buf, SERIES_FMT_SIZE, "%.2fM", n / 1e6);
    else if (n >= 1e3)
        snprintf(buf, SERIES_FMT_SIZE, "%.2fK", n / 1e3);
    else
        snprintf(buf, SERIES_FMT_SIZE, "%.1f", n);
    return buf;
}

char *
series_format_other(double n, char buf[SERIES_FMT_SIZE])
{
    if (fabs(n) < 1e3) {
        snprintf(buf, SERIES_FMT_SIZE, "%.3g", n);
        return buf;
    }
    char magnitude[SERIES_FMT_SIZE];
    series_format_rate(fabs(n), magnitude);
    snprintf(buf, SERIES_FMT_SIZE, "%s%.40s", n < 0 ? "-" : "", magnitude);
    return buf;
}

static bool
is_small_integer(double v)
{
    return v == floor(v) && fabs(v) < 1099511627776.0; /* 2^40: << 8 stays exact */
}

void
series_spark_text(const double *v, size_t n, bool have_lo, double lo, bool have_hi, double hi,
                  char *out)
{
    static const char bars[8][4] = {"\xE2\x96\x81", "\xE2\x96\x82", "\xE2\x96\x83", "\xE2\x96\x84",
                                    "\xE2\x96\x85", "\xE2\x96\x86", "\xE2\x96\x87", "\xE2\x96\x88"};
    double min = INFINITY, max = -INFINITY;
    bool integers = true;
    for (size_t i = 0; i < n; i++) {
        if (v[i] < min)
            min = v[i];
        if (v[i] > max)
            max = v[i];
        if (!is_small_integer(v[i]))
            integers = false;
    }
    if (have_lo)
        min = lo;
    if (have_hi)
        max = hi;
    if (!is_small_integer(min) || !is_small_integer(max))
        integers = false;

    char *o = out;
    for (size_t i = 0; i < n; i++) {
        int index;
        if (!(max > min)) {
            index = 4; /* spark draws constant data as ▅ */
        } else if (integers) {
            /* spark's 8-bit fixed point: f = ((max-min) << 8) / 7, at least
               1, and the bar is ((n-min) << 8) / f.  */
            int64_t f = (((int64_t)max - (int64_t)min) * 256) / 7;
            if (f < 1)
                f = 1;
            int64_t d = (int64_t)v[i] - (int64_t)min;
            int64_t idx = d < 0 ? -1 : (d * 256) / f;
            index = idx < 0 ? 0 : idx > 7 ? 7 : (int)idx;
        } else {
            double x = 7.0 * (v[i] - min) / (max - min);
            double fl = floor(x + 1e-9);
            index = fl < 0 ? 0 : fl > 7 ? 7 : (int)fl;
        }
        memcpy(o, bars[index], 3);
        o += 3;
    }
    *o = '\0';
}

static bool
portable_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
}

/* NAME_MAX is 255; the longest suffix "_allocs_badge.svg" is 17 bytes, the
   atomic writer's temporary adds 11 and a clash suffix up to 8.  */
enum { NAME_LIMIT = 200 };

static char *
lower_copy(const char *s)
{
    char *l = xstrdup(s);
    for (char *c = l; *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c - 'A' + 'a');
    return l;
}

char **
series_file_names(char *const *benches, size_t count)
{
    char **names = xcalloc(count ? count : 1, sizeof *names);
    strmap natural; /* lower-cased plain name -> index + 1 of its first bench */
    strmap taken;   /* lower-cased names given out */
    strmap_init(&natural);
    strmap_init(&taken);

    for (size_t i = 0; i < count; i++) {
        size_t len = strlen(benches[i]);
        if (len > NAME_LIMIT)
            len = NAME_LIMIT;
        char *name = xmalloc(len + 2);
        for (size_t j = 0; j < len; j++) {
            unsigned char c = (unsigned char)benches[i][j];
            name[j] = portable_byte(c) ? (char)c : '_';
        }
        if (len == 0)
            name[len++] = '_';
        if (name[0] == '.')
            name[0] = '_';
        name[len] = '\0';
        names[i] = name;
        char *l = lower_copy(name);
        strmap_entry *e = strmap_upsert(&natural, l, strlen(l), NULL);
        if (e->value == NULL)
            e->value = (void *)(uintptr_t)(i + 1);
        free(l);
    }
    for (size_t i = 0; i < count; i++) {
        char *l = lower_copy(names[i]);
        size_t first = (uintptr_t)strmap_find(&natural, l, strlen(l))->value - 1;
        if (first == i) {
            strmap_upsert(&taken, l, strlen(l), NULL);
            free(l);
            continue;
        }
        size_t len = strlen(names[i]);
        char *candidate = xmalloc(len + 24);
        for (unsigned long k = 2;; k++) {
            snprintf(candidate, len + 24, "%s-%lu", names[i], k);
            char *cl = lower_copy(candidate);
            bool free_name = strmap_find(&natural, cl, strlen(cl)) == NULL &&
                             strmap_find(&taken, cl, strlen(cl)) == NULL;
            if (free_name)
                strmap_upsert(&taken, cl, strlen(cl), NULL);
            free(cl);
            if (free_name)
                break;
        }
        char *a = printable(benches[first], strlen(benches[first]));
        char *b = printable(benches[i], strlen(benches[i]));
        cli_warn("benches '%s' and '%s' both give file name '%s': using '%s' for '%s'",
                 cli_quote_str(a), cli_quote_str(b), cli_quote_str(names[first]),
                 cli_quote_str(candidate), cli_quote_str(b));
        free(a);
        free(b);
        free(names[i]);
        names[i] = candidate;
        free(l);
    }
    strmap_free(&natural);
    strmap_free(&taken);
    return names;
}

int
series_make_dir(const char *dir)
{
    char *path = xstrdup(dir);
    size_t len = strlen(path);
    int status = 0;
    /* Each prefix that ends before a '/', then the whole path.  */
    for (size_t i = 1; i <= len; i++) {
        if (i < len && path[i] != '/')
            continue;
        char saved = path[i];
        path[i] = '\0';
        struct stat st;
        if (mkdir(path, 0777) != 0 && errno != EEXIST) {
            cli_warn("%s: cannot create directory: %s", path, strerror(errno));
            status = -1;
        } else if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
            cli_warn("%s: not a directory", path);
            status = -1;
        }
        path[i] = saved;
        if (status != 0)
            break;
    }
    free(path);
    return status;
}

int
series_write_file(atomic_batch *batch, const char *dir, const char *name, const char *suffix,
                  void (*draw)(FILE *fp, const void *arg), const void *arg)
{
    size_t size = strlen(dir) + strlen(name) + strlen(suffix) + 2;
    char *path = xmalloc(size);
    snprintf(path, size, "%s/%s%s", dir, name, suffix);
    int status = -1;
    FILE *fp = atomic_batch_open(batch, path);
    if (fp != NULL) {
        draw(fp, arg);
        status = atomic_batch_close(batch);
    }
    free(path);
    return status;
}

int
series_draw_directory(const char *metric, const char *machine, const char *bench,
                      const char *dir, char *const *files, size_t nfiles, series_chart_fn chart,
                      void *ctx)
{
    static const char *const columns[2] = {"value", "allocs"};
    series_query q = {.metric = metric,
                      .machine = machine,
                      .bench = bench,
                      .fields = {columns[0], columns[1]},
                      .nfields = 2,
                      .field_required = {true, false}};
    series_set set;
    if (series_read(&set, &q, files, nfiles) != 0) {
        series_set_free(&set);
        return EXIT_BAD_INPUT;
    }
    if (bench != NULL && set.count == 0) {
        cli_warn("no rows for bench '%s' with metric '%s'", cli_quote_str(bench),
                 cli_quote_str(metric));
        series_set_free(&set);
        return EXIT_BAD_INPUT;
    }
    int status = EXIT_OK;
    char **benches = xcalloc(set.count ? set.count : 1, sizeof *benches);
    for (size_t i = 0; i < set.count; i++)
        benches[i] = set.items[i]->bench;
    char **names = series_file_names(benches, set.count);
    if (series_make_dir(dir) != 0)
        status = EXIT_BAD_INPUT;
    atomic_batch batch;
    atomic_batch_init(&batch);
    for (size_t i = 0; i < set.count && status == EXIT_OK; i++)
        for (int k = SERIES_CHART_TIME; k <= SERIES_CHART_ALLOCS && status == EXIT_OK; k++)
            if (set.items[i]->f[k].n > 0 &&
                chart(&batch, dir, names[i], set.items[i], k, columns[k], ctx) != 0)
                status = EXIT_BAD_INPUT;
    if (status == EXIT_OK) {
        if (atomic_batch_commit(&batch) != 0)
            status = EXIT_BAD_INPUT;
    } else {
        atomic_batch_abort(&batch);
    }
    for (size_t i = 0; i < set.count; i++)
        free(names[i]);
    free(names);
    free(benches);
    series_set_free(&set);
    return status;
}

const series *
series_read_single(series_set *set, const char *metric, const char *machine, const char *bench,
                   const char *field, char *const *files, size_t nfiles)
{
    series_query q = {.metric = metric,
                      .machine = machine,
                      .bench = bench,
                      .fields = {field},
                      .nfields = 1,
                      .field_required = {true}};
    if (series_read(set, &q, files, nfiles) != 0)
        return NULL;
    if (set->count == 0) {
        if (bench != NULL)
            cli_warn("no rows for bench '%s' with metric '%s'%s%s%s", cli_quote_str(bench),
                     cli_quote_str(metric), machine ? " on machine '" : "",
                     machine ? cli_quote_str(machine) : "", machine ? "'" : "");
        else
            cli_warn("no rows with metric '%s'", cli_quote_str(metric));
    } else if (set->count > 1) {
        cli_warn("%zu benches (first '%s', '%s'): choose one with --bench, or use -d", set->count,
                 cli_quote_str(set->items[0]->shown), cli_quote_str(set->items[1]->shown));
    } else if (set->items[0]->f[0].n == 0) {
        cli_warn("bench '%s' has no '%s' values", cli_quote_str(set->items[0]->shown),
                 cli_quote_str(field));
    } else {
        return set->items[0];
    }
    return NULL;
}
