/* criterion-scan: Criterion.rs results as benchmark rows.

   Reads a target/criterion tree (directory operands) or, from files and
   standard input, the text "cargo bench" prints, bencher lines,
   cargo-criterion JSON messages or a single estimates.json, and writes CSV
   rows bench,metric,unit,value,ci_low,ci_high.  Time is always written in
   nanoseconds; numbers are the shortest text that reads back as exactly the
   value Criterion wrote (rescaled by powers of ten in decimal, never by
   floating-point multiplication).
   SPDX-License-Identifier: MIT */

#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json.h>

#include "cli.h"
#include "criterion-id.h"
#include "csv.h"
#include "decimal.h"
#include "numfmt.h"

#define PROGRAM_NAME "criterion-scan"

/* The metrics, in the order of metric_names.  */
enum metric { M_TYPICAL, M_MEAN, M_MEDIAN, M_SLOPE, M_MEDIAN_ABS_DEV, M_STD_DEV, M_COUNT };

static const char *const metric_names[M_COUNT] = {"typical", "mean",           "median",
                                                  "slope",   "median_abs_dev", "std_dev"};
/* estimates.json keys: 0.3.3 and later, then 0.2.x to 0.3.2.  typical is
   not stored; it is the slope when there is one, else the mean.  */
static const char *const new_keys[M_COUNT] = {NULL,    "mean",           "median",
                                              "slope", "median_abs_dev", "std_dev"};
static const char *const old_keys[M_COUNT] = {NULL,    "Mean",         "Median",
                                              "Slope", "MedianAbsDev", "StdDev"};

/* The command line, once parsed.  */
static enum metric wanted[M_COUNT];
static size_t nwanted;
static const char *baseline = "new";
static const char *bench_option;

/* The exit status so far: any bad input or I/O failure makes it 1.  */
static int status = EXIT_OK;
static unsigned long nerrors; /* messages about bad input so far */

struct estimate {
    double value, low, high;
};

/* One benchmark: its name and the estimates it has.  */
struct record {
    char *name;
    char *path; /* the benchmark's folder (directory scans), for ties */
    char *unit;
    bool has[M_COUNT];
    struct estimate est[M_COUNT];
    bool all_metrics; /* text and bencher input: emit what it has */
};

struct record_list {
    struct record *items;
    size_t count, cap;
};

static struct record *
record_add(struct record_list *list)
{
    if (list->count == list->cap) {
        list->cap = list->cap ? 2 * list->cap : 64;
        list->items = xreallocarray(list->items, list->cap, sizeof *list->items);
    }
    struct record *r = &list->items[list->count++];
    memset(r, 0, sizeof *r);
    return r;
}

static void
record_clear(struct record *r)
{
    free(r->name);
    free(r->path);
    free(r->unit);
    memset(r, 0, sizeof *r);
}

static void
record_list_free(struct record_list *list)
{
    for (size_t i = 0; i < list->count; i++)
        record_clear(&list->items[i]);
    free(list->items);
    list->items = NULL;
    list->count = list->cap = 0;
}

static void bad_input(const char *file, unsigned long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
bad_input(const char *file, unsigned long line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cli_vwarn_at(file, line, fmt, ap);
    va_end(ap);
    status = EXIT_BAD_INPUT;
    nerrors++;
}

/* ---- Numbers ----------------------------------------------------------- */

/* The power of ten that turns UNIT into nanoseconds, or false when UNIT is
   not a time unit (a custom measurement's, kept as it is).  */
static bool
time_unit_shift(const char *unit, size_t len, int *shift)
{
    static const struct {
        const char *name;
        int shift;
    } units[] = {
        {"ps", -3},       {"ns", 0}, {"us", 3}, {"\xc2\xb5s", 3}, /* µs, U+00B5 */
        {"\xce\xbcs", 3},                                         /* μs, U+03BC */
        {"ms", 6},        {"s", 9},
    };
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strlen(units[i].name) == len && memcmp(units[i].name, unit, len) == 0) {
            *shift = units[i].shift;
            return true;
        }
    return false;
}

/* ---- Reading files ----------------------------------------------------- */

/* The most bytes read from one input: far above any file Criterion or
   cargo bench writes (a tree's files are kilobytes, a log megabytes), and
   a bound on memory when an operand, or a link in a tree, leads to an
   endless stream (/dev/zero).  */
#define SLURP_MAX ((size_t)64 << 20)

/* slurp_at's own failures, beside errno values (which are positive).  */
enum { SLURP_NOT_REGULAR = -1, SLURP_TOO_LARGE = -2 };

/* The text of an error of slurp_at.  */
static const char *
slurp_error(int err)
{
    if (err == SLURP_NOT_REGULAR)
        return "not a regular file (a FIFO, a device or a folder): refused";
    if (err == SLURP_TOO_LARGE)
        return "larger than 64 MiB: refused";
    return strerror(err);
}

/* Reads all of PATH (relative to the folder AT; NULL: standard input),
   NUL-terminated, into a new buffer *BUF.  Returns 0, an errno value, or
   SLURP_NOT_REGULAR or SLURP_TOO_LARGE.  A file in a target/criterion tree
   (IN_TREE) must be a regular file: a FIFO there would stall the scan, so
   it is opened without blocking and checked before any read.  Operands and
   standard input may be pipes (criterion-scan <(cargo bench)).  A read
   from a regular file returns less than asked only at its end, which saves
   the final empty read: a quarter of the system calls of a tree scan.  */
static int
slurp_at(int at, const char *path, bool in_tree, char **buf, size_t *len)
{
    int fd =
        path ? openat(at, path, O_RDONLY | O_CLOEXEC | (in_tree ? O_NONBLOCK : 0)) : STDIN_FILENO;
    if (fd < 0)
        return errno;
    struct stat st;
    if (in_tree) {
        int err = fstat(fd, &st) != 0 ? errno : S_ISREG(st.st_mode) ? 0 : SLURP_NOT_REGULAR;
        if (err != 0) {
            close(fd);
            return err;
        }
    }
    size_t cap = 4096, n = 0;
    char *data = xmalloc(cap);
    for (;;) {
        if (n >= SLURP_MAX) {
            /* One byte more than the limit tells a file of exactly
               SLURP_MAX bytes from a longer one.  */
            char probe;
            ssize_t more;
            while ((more = read(fd, &probe, 1)) < 0 && errno == EINTR)
                continue;
            if (more != 0) {
                int err = more < 0 ? errno : SLURP_TOO_LARGE;
                free(data);
                if (path)
                    close(fd);
                return err;
            }
            break;
        }
        if (cap - n < 2) {
            cap *= 2;
            data = xrealloc(data, cap);
        }
        size_t want = cap - n - 1;
        if (want > SLURP_MAX - n)
            want = SLURP_MAX - n;
        ssize_t got = read(fd, data + n, want);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            int saved = errno;
            free(data);
            if (path)
                close(fd);
            return saved;
        }
        if (got == 0)
            break;
        n += (size_t)got;
        if (in_tree && (size_t)got < want)
            break;
    }
    if (path)
        close(fd);
    data[n] = '\0';
    *buf = data;
    *len = n;
    return 0;
}

/* The line (from 1) that byte OFFSET of TEXT is on.  */
static unsigned long
line_of(const char *text, size_t offset)
{
    unsigned long line = 1;
    for (size_t i = 0; i < offset; i++)
        if (text[i] == '\n')
            line++;
    return line;
}

/* The offset in the valid JSON TEXT[0..LEN) of an integer written -0, or
   LEN when there is none.  json-c reads it as the integer 0 and keeps no
   sign, so the text is the only place to see it; serde_json writes a float
   zero as 0.0 or -0.0, so no Criterion file holds one.  */
static size_t
find_negative_zero(const char *text, size_t len)
{
    bool in_string = false;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (in_string) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '-' && i + 1 < len && text[i + 1] == '0' &&
                   (i + 2 == len || !strchr("0123456789.eE", text[i + 2]) || text[i + 2] == '\0')) {
            return i;
        }
    }
    return len;
}

/* Parses the JSON value at the start of TEXT.  On a syntax error, says so
   (FILE:LINE, counting from FIRST_LINE) and returns NULL.  *END, when not
   NULL, gets the offset just past the value.  */
static json_object *
parse_json(const char *file, unsigned long first_line, const char *text, size_t len, size_t *end)
{
    /* One tokener for the whole run: thousands of small files.  */
    static json_tokener *tok;
    if (tok == NULL && (tok = json_tokener_new()) == NULL) {
        cli_warn("memory exhausted");
        exit(EXIT_BAD_INPUT);
    }
    json_tokener_reset(tok);
    int n = len > INT_MAX ? INT_MAX : (int)len;
    json_object *obj = json_tokener_parse_ex(tok, text, n);
    enum json_tokener_error err = json_tokener_get_error(tok);
    size_t offset = json_tokener_get_parse_end(tok);
    if (obj == NULL) {
        /* json_tokener_continue: the text ended inside the value.  */
        const char *why = err == json_tokener_continue || err == json_tokener_success
                              ? "truncated JSON"
                              : json_tokener_error_desc(err);
        if (offset > len)
            offset = len;
        bad_input(file, first_line - 1 + line_of(text, offset), "invalid JSON: %s", why);
    } else {
        size_t zero = find_negative_zero(text, offset);
        if (zero < offset) {
            bad_input(file, first_line - 1 + line_of(text, zero),
                      "negative zero (-0): not a number Criterion writes");
            json_object_put(obj);
            return NULL;
        }
        if (end)
            *end = offset;
    }
    return obj;
}

/* The number at KEY of OBJ, rescaled by 10^SHIFT.  Returns 0, or -1 after
   saying what is wrong (WHAT names the estimate in the message).  */
static int
json_number(const char *file, unsigned long line, json_object *obj, const char *key, int shift,
            const char *what, double *out)
{
    json_object *v;
    if (!json_object_object_get_ex(obj, key, &v)) {
        bad_input(file, line, "%s: no %s", what, key);
        return -1;
    }
    if (v == NULL) {
        /* serde_json writes NaN and the infinities as null.  */
        bad_input(file, line, "%s: %s is null (NaN or infinite)", what, key);
        return -1;
    }
    enum json_type type = json_object_get_type(v);
    if (type != json_type_double && type != json_type_int) {
        bad_input(file, line, "%s: %s is not a number", what, key);
        return -1;
    }
    if (shift == 0 && type == json_type_double) {
        /* json-c parsed it with strtod: already the nearest double.  */
        *out = json_object_get_double(v);
        if (isfinite(*out))
            return 0;
    }
    /* json-c keeps the text of a parsed number: rescale that, not the
       double, so the result is the decimal value exactly rounded.  */
    const char *text = json_object_get_string(v);
    if (!decimal_scaled(text, strlen(text), shift, false, out)) {
        bad_input(file, line, "%s: %s is not a finite number: %s", what, key, cli_quote_str(text));
        return -1;
    }
    return 0;
}

/* Checks the estimate E of a benchmark (WHAT names it in messages) read
   from FILE:LINE.  A time that is negative (-0 included), NaN or infinite,
   or a point estimate outside its own confidence interval, is no time
   Criterion measured: written to a history, it would stop the charts of
   that benchmark for good.  Zero passes: bencher lines truncate a
   sub-nanosecond time to 0 and text rounds it so.  Custom measurements
   (TIME false) may be negative.  Returns false after saying what is
   wrong.  */
static bool
estimate_ok(const char *file, unsigned long line, const char *what, const struct estimate *e,
            bool time)
{
    const double v[3] = {e->value, e->low, e->high};
    static const char *const names[3] = {"estimate", "lower bound", "upper bound"};
    char a[NUM_BUFSIZE], b[NUM_BUFSIZE], c[NUM_BUFSIZE];
    for (int i = 0; i < 3; i++) {
        if (!isfinite(v[i])) {
            bad_input(file, line, "%s: %s is not a finite number", what, names[i]);
            return false;
        }
        if (time && signbit(v[i])) {
            bad_input(file, line, "%s: %s is negative: %s ns", what, names[i],
                      num_format_double(v[i], a));
            return false;
        }
    }
    if (!(e->low <= e->value && e->value <= e->high)) {
        bad_input(file, line, "%s: estimate %s is outside its confidence interval [%s, %s]", what,
                  num_format_double(e->value, a), num_format_double(e->low, b),
                  num_format_double(e->high, c));
        return false;
    }
    return true;
}

/* ---- estimates.json and benchmark.json --------------------------------- */

/* Whether --metrics names M.  */
static bool
wants_metric(enum metric m)
{
    for (size_t i = 0; i < nwanted; i++)
        if (wanted[i] == m)
            return true;
    return false;
}

/* Whether the rows of an estimates.json need estimate M (typical is the
   slope or the mean).  */
static bool
needs_metric(enum metric m)
{
    for (size_t i = 0; i < nwanted; i++) {
        if (wanted[i] == m)
            return true;
        if (wanted[i] == M_TYPICAL && (m == M_SLOPE || m == M_MEAN))
            return true;
    }
    return false;
}

/* Whether the estimates.json object ROOT is a change/estimates.json: the
   relative change of the mean and the median against the baseline, as
   fractions, with neither std_dev nor median_abs_dev.  */
static bool
is_change_estimates(json_object *root)
{
    json_object *v;
    if (!json_object_is_type(root, json_type_object))
        return false;
    bool old = !json_object_object_get_ex(root, "mean", &v);
    const char *const *keys = old ? old_keys : new_keys;
    return json_object_object_get_ex(root, keys[M_MEAN], &v) &&
           json_object_object_get_ex(root, keys[M_MEDIAN], &v) &&
           !json_object_object_get_ex(root, keys[M_STD_DEV], &v) &&
           !json_object_object_get_ex(root, keys[M_MEDIAN_ABS_DEV], &v);
}

static const char change_message[] =
    "relative changes, not times: a change/estimates.json (only mean and median, "
    "as fractions of the baseline); read new/estimates.json or a baseline's";

/* Reads the estimates R's rows need from the estimates.json object ROOT,
   with values multiplied by 10^SHIFT.  Returns 0, or -1 after saying what
   is wrong.  */
static int
read_estimates(const char *file, json_object *root, int shift, struct record *r)
{
    /* Without raw.csv the unit is ns; with it, raw_csv_unit says.  */
    bool time = r->unit == NULL || strcmp(r->unit, "ns") == 0;
    if (!json_object_is_type(root, json_type_object)) {
        bad_input(file, 0, "not a Criterion estimates object");
        return -1;
    }
    if (is_change_estimates(root)) {
        bad_input(file, 0, "%s", change_message);
        return -1;
    }
    const char *const *keys = new_keys;
    json_object *probe;
    if (!json_object_object_get_ex(root, "mean", &probe) &&
        json_object_object_get_ex(root, "Mean", &probe))
        keys = old_keys; /* written by Criterion.rs 0.3.2 or older */

    int failed = 0;
    for (int m = M_MEAN; m < M_COUNT; m++) {
        if (!needs_metric((enum metric)m))
            continue;
        json_object *e;
        if (!json_object_object_get_ex(root, keys[m], &e)) {
            bad_input(file, 0, "no %s estimate", keys[m]);
            failed = -1;
            continue;
        }
        if (e == NULL) {
            /* Flat sampling has no slope; anything else null is bad.  */
            if (m != M_SLOPE) {
                bad_input(file, 0, "%s: null estimate", keys[m]);
                failed = -1;
            }
            continue;
        }
        if (!json_object_is_type(e, json_type_object)) {
            bad_input(file, 0, "%s: not an estimate object", keys[m]);
            failed = -1;
            continue;
        }
        json_object *ci;
        char what[64];
        snprintf(what, sizeof what, "%s", keys[m]);
        if (json_number(file, 0, e, "point_estimate", shift, what, &r->est[m].value) < 0) {
            failed = -1;
            continue;
        }
        if (!json_object_object_get_ex(e, "confidence_interval", &ci) ||
            !json_object_is_type(ci, json_type_object)) {
            bad_input(file, 0, "%s: no confidence_interval", keys[m]);
            failed = -1;
            continue;
        }
        snprintf(what, sizeof what, "%s.confidence_interval", keys[m]);
        if (json_number(file, 0, ci, "lower_bound", shift, what, &r->est[m].low) < 0 ||
            json_number(file, 0, ci, "upper_bound", shift, what, &r->est[m].high) < 0) {
            failed = -1;
            continue;
        }
        if (!estimate_ok(file, 0, keys[m], &r->est[m], time)) {
            failed = -1;
            continue;
        }
        r->has[m] = true;
    }
    if (failed == 0 && needs_metric(M_TYPICAL)) {
        r->has[M_TYPICAL] = true;
        r->est[M_TYPICAL] = r->has[M_SLOPE] ? r->est[M_SLOPE] : r->est[M_MEAN];
    }
    return failed;
}

/* A string member of OBJ, or NULL (missing or null).  -1 when present but
   not a string.  */
static int
json_string_member(json_object *obj, const char *key, const char **out)
{
    json_object *v;
    *out = NULL;
    if (!json_object_object_get_ex(obj, key, &v) || v == NULL)
        return 0;
    if (!json_object_is_type(v, json_type_string))
        return -1;
    *out = json_object_get_string(v);
    return 0;
}

/* Reads benchmark.json at REL (relative to the folder AT; PATH in
   messages) and names R from it (criterion_id_name).  Returns 0, ENOENT
   when there is no such file (nothing said), or -1 after saying what is
   wrong.  */
static int
read_benchmark_json(int at, const char *rel, const char *path, struct record *r)
{
    char *text;
    size_t len;
    int err = slurp_at(at, rel, true, &text, &len);
    if (err == ENOENT)
        return ENOENT;
    if (err != 0) {
        bad_input(path, 0, "%s", slurp_error(err));
        return -1;
    }
    int result = -1;
    json_object *root = parse_json(path, 1, text, len, NULL);
    if (root != NULL) {
        const char *why;
        r->name = criterion_id_from_json(root, &why);
        if (r->name != NULL)
            result = 0;
        else
            bad_input(path, 0, "%s", why);
        json_object_put(root);
    }
    free(text);
    return result;
}

/* The unit of a benchmark's values, from the unit column of raw.csv at
   REL (relative to the folder AT; PATH in messages): estimates.json has
   none, and only raw.csv tells a custom measurement from wall time.  NULL
   after an error; "ns" when there is no raw.csv.  *SHIFT is the power of
   ten to nanoseconds for a time unit, else 0.  */
static char *
raw_csv_unit(int at, const char *rel, const char *path, int *shift)
{
    *shift = 0;
    /* The file is small (one row per sample): read it whole, which spares
       a file reader's 256 KiB buffer for each of thousands of benchmarks. */
    char *text;
    size_t textlen;
    int err = slurp_at(at, rel, true, &text, &textlen);
    if (err == ENOENT)
        return xstrdup("ns");
    if (err != 0) {
        bad_input(path, 0, "%s", slurp_error(err));
        return NULL;
    }
    csv_reader *rd = csv_reader_from_memory(text, textlen, path);
    char *unit = NULL;
    csv_header h;
    if (csv_header_read(rd, &h) < 0) {
        status = EXIT_BAD_INPUT;
        nerrors++;
        csv_reader_close(rd);
        free(text);
        return NULL;
    }
    long col = csv_header_find(&h, "unit");
    int got = csv_read(rd);
    if (col < 0) {
        bad_input(path, 1, "no unit column");
    } else if (got < 0) {
        bad_input(path, csv_record_line(rd), "%s", csv_reader_error(rd));
    } else if (got == 0 || (size_t)col >= csv_nfields(rd)) {
        bad_input(path, got == 0 ? 0 : csv_record_line(rd), "no unit in the first sample");
    } else {
        size_t len;
        const char *field = csv_field(rd, (size_t)col, &len);
        if (len == 0) {
            bad_input(path, csv_record_line(rd), "empty unit");
        } else if (time_unit_shift(field, len, shift)) {
            unit = xstrdup("ns");
        } else {
            unit = xstrndup(field, len);
        }
    }
    csv_header_free(&h);
    csv_reader_close(rd);
    free(text);
    return unit;
}

/* ---- Directory scans --------------------------------------------------- */

/* A growable path.  */
struct path {
    char *buf;
    size_t len, cap;
};

static void
path_push(struct path *p, const char *name)
{
    size_t n = strlen(name);
    size_t need = p->len + 1 + n + 1;
    if (need > p->cap) {
        p->cap = need * 2;
        p->buf = xrealloc(p->buf, p->cap);
    }
    if (p->len > 0 && p->buf[p->len - 1] != '/')
        p->buf[p->len++] = '/';
    memcpy(p->buf + p->len, name, n + 1);
    p->len += n;
}

/* The name used when a benchmark has no benchmark.json: its folder relative
   to the operand, or the folder's own name when that is the operand.  */
static char *
fallback_name(const char *root, const char *bench_dir)
{
    size_t rootlen = strlen(root);
    if (strncmp(bench_dir, root, rootlen) == 0 && bench_dir[rootlen] == '/' &&
        bench_dir[rootlen + 1] != '\0')
        return xstrdup(bench_dir + rootlen + 1);
    char *real = realpath(bench_dir, NULL);
    if (real == NULL)
        return xstrdup(bench_dir);
    const char *slash = strrchr(real, '/');
    char *name = xstrdup(slash && slash[1] ? slash + 1 : real);
    free(real);
    return name;
}

/* Reads the benchmark whose folder is BENCH_DIR: its data folder DATA_DIR
   (REL_DATA relative to the folder AT: opening files relative to an open
   folder saves the kernel most of the path walks) holds ESTIMATES_TEXT
   (already read from ESTIMATES_PATH), benchmark.json and maybe raw.csv.
   Adds it to LIST unless something is wrong.  */
static void
scan_benchmark(const char *root, const char *bench_dir, const char *data_dir, int at,
               const char *rel_data, const char *estimates_path, const char *estimates_text,
               size_t estimates_len, struct record_list *list)
{
    struct record *r = record_add(list);
    struct path p = {0}, rel = {0};
    bool ok = true;

    path_push(&p, data_dir);
    path_push(&p, "raw.csv");
    path_push(&rel, rel_data);
    path_push(&rel, "raw.csv");
    int shift;
    r->unit = raw_csv_unit(at, rel.buf, p.buf, &shift);
    if (r->unit == NULL)
        ok = false;

    json_object *root_obj = parse_json(estimates_path, 1, estimates_text, estimates_len, NULL);
    if (root_obj == NULL || (ok && read_estimates(estimates_path, root_obj, shift, r) < 0))
        ok = false;
    json_object_put(root_obj);

    p.len = rel.len = 0;
    path_push(&p, data_dir);
    path_push(&p, "benchmark.json");
    path_push(&rel, rel_data);
    path_push(&rel, "benchmark.json");
    int got = read_benchmark_json(at, rel.buf, p.buf, r);
    if (got < 0) {
        ok = false;
    } else if (got == ENOENT && ok) {
        r->name = fallback_name(root, bench_dir);
        cli_warn_at(p.buf, 0, "no such file; naming the benchmark '%s' from its folder",
                    cli_quote_str(r->name));
    }
    free(p.buf);
    free(rel.buf);
    if (!ok) {
        record_clear(r);
        list->count--;
        return;
    }
    r->path = xstrdup(bench_dir);
}

/* Tries DIR/BASELINE/estimates.json (DIR is open as DIR_FD): returns true
   when DIR is a benchmark folder (whatever its data is worth), false when
   there is no such file.  */
static bool
try_benchmark(const char *root, struct path *dir, int dir_fd, struct record_list *list,
              size_t *found)
{
    size_t keep = dir->len;
    path_push(dir, baseline);
    size_t data_len = dir->len;
    path_push(dir, "estimates.json");
    char *text;
    size_t len;
    int err = slurp_at(dir_fd, dir->buf + keep + (dir->buf[keep] == '/'), true, &text, &len);
    bool is_bench = err != ENOENT && err != ENOTDIR;
    if (err == 0) {
        char *estimates_path = xstrdup(dir->buf);
        dir->buf[data_len] = '\0';
        char *data_dir = xstrdup(dir->buf);
        dir->buf[keep] = '\0';
        scan_benchmark(root, dir->buf, data_dir, dir_fd, baseline, estimates_path, text, len, list);
        free(text);
        free(estimates_path);
        free(data_dir);
    } else if (is_bench) {
        bad_input(dir->buf, 0, "%s", slurp_error(err));
    }
    if (is_bench)
        (*found)++;
    dir->len = keep;
    dir->buf[keep] = '\0';
    return is_bench;
}

static int
compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool
is_directory(const char *parent_path, const struct dirent *de)
{
#ifdef _DIRENT_HAVE_D_TYPE
    if (de->d_type == DT_DIR)
        return true;
    if (de->d_type != DT_UNKNOWN)
        return false; /* symbolic links are not followed */
#endif
    (void)parent_path;
    struct stat st;
    return fstatat(AT_FDCWD, parent_path, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
}

/* Walks the folder DIR: DIR, or any folder under it, that holds
   BASELINE/estimates.json is a benchmark.  Folders are read in full before
   descending, so the walk holds one open directory at a time.  */
static void
walk(const char *root, struct path *dir, int depth, struct record_list *list, size_t *found)
{
    enum { MAX_DEPTH = 64 };
    DIR *d = opendir(dir->buf);
    if (d == NULL) {
        bad_input(dir->buf, 0, "%s", strerror(errno));
        return;
    }
    char **subdirs = NULL;
    size_t nsub = 0, cap = 0;
    struct dirent *de;
    size_t keep = dir->len;
    while ((de = readdir(d)) != NULL) {
        const char *name = de->d_name;
        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
            continue;
        path_push(dir, name);
        bool isdir = is_directory(dir->buf, de);
        dir->len = keep;
        dir->buf[keep] = '\0';
        if (!isdir)
            continue;
        if (nsub == cap) {
            cap = cap ? 2 * cap : 16;
            subdirs = xreallocarray(subdirs, cap, sizeof *subdirs);
        }
        subdirs[nsub++] = xstrdup(name);
    }
    /* In name order, so that the messages come in the same order on every
       file system (the rows are sorted anyway).  */
    if (nsub > 1)
        qsort(subdirs, nsub, sizeof *subdirs, compare_strings);

    bool is_bench = false;
    for (size_t i = 0; i < nsub; i++)
        if (strcmp(subdirs[i], baseline) == 0)
            is_bench = try_benchmark(root, dir, dirfd(d), list, found);
    for (size_t i = 0; i < nsub && is_bench; i++) {
        /* A benchmark's baseline, new, base, change and report folders
           are Criterion's own and hold files only: not walking them saves
           three quarters of the folders of a tree.  But a benchmark named
           new (group/new...) has its folder there too, with subfolders:
           a folder's link count is 2 plus its subfolders on the usual
           file systems (1 on some that do not count them).  */
        const char *sub = subdirs[i];
        struct stat st;
        if ((strcmp(sub, baseline) == 0 || strcmp(sub, "new") == 0 || strcmp(sub, "base") == 0 ||
             strcmp(sub, "change") == 0 || strcmp(sub, "report") == 0) &&
            fstatat(dirfd(d), sub, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode) &&
            st.st_nlink == 2) {
            free(subdirs[i]);
            subdirs[i] = NULL;
        }
    }
    closedir(d);
    for (size_t i = 0; i < nsub; i++) {
        if (subdirs[i] != NULL && depth < MAX_DEPTH) {
            path_push(dir, subdirs[i]);
            walk(root, dir, depth + 1, list, found);
            dir->len = keep;
            dir->buf[keep] = '\0';
        }
        free(subdirs[i]);
    }
    free(subdirs);
}

static int
compare_records(const void *a, const void *b)
{
    const struct record *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c != 0 ? c : strcmp(x->path, y->path);
}

/* Sorts the benchmarks of a scan by name, ties by folder.  */
static void
sort_records(struct record_list *list)
{
    if (list->count > 1)
        qsort(list->items, list->count, sizeof *list->items, compare_records);
}

static void
scan_directory(const char *given, struct record_list *list)
{
    struct path dir = {0};
    size_t found = 0;
    /* "target/criterion/" names the same folder as "target/criterion".  */
    char *operand = xstrdup(given);
    for (size_t n = strlen(operand); n > 1 && operand[n - 1] == '/'; n--)
        operand[n - 1] = '\0';
    path_push(&dir, operand);
    /* The operand may be a benchmark's baseline folder itself.  */
    const char *base = strrchr(operand, '/');
    base = base ? base + 1 : operand;
    char *estimates = NULL;
    if (strcmp(base, baseline) == 0) {
        path_push(&dir, "estimates.json");
        char *text;
        size_t len;
        int err = slurp_at(AT_FDCWD, dir.buf, true, &text, &len);
        if (err != 0 && err != ENOENT) {
            bad_input(dir.buf, 0, "%s", slurp_error(err));
            found++;
        } else if (err == 0) {
            estimates = xstrdup(dir.buf);
            struct path parent = {0};
            path_push(&parent, operand);
            path_push(&parent, "..");
            scan_benchmark(parent.buf, parent.buf, operand, AT_FDCWD, operand, estimates, text, len,
                           list);
            free(parent.buf);
            free(text);
            found++;
        }
        dir.len = strlen(operand);
        dir.buf[dir.len] = '\0';
    }
    /* Benchmarks named like the baseline (group/new...) have their
       folders in it.  */
    walk(operand, &dir, 0, list, &found);
    free(estimates);
    free(dir.buf);
    if (found == 0)
        bad_input(operand, 0, "no benchmark found (looked for */%s/estimates.json in this folder)",
                  baseline);
    free(operand);
    sort_records(list);
}

/* ---- Text, bencher and JSON message streams ---------------------------- */

/* A line with colour sequences removed and only what follows the last
   carriage return kept (what a terminal would show).  */
static size_t
clean_line(const char *line, size_t len, char *out)
{
    size_t n = 0;
    if (len > 0 && line[len - 1] == '\r')
        len--; /* CRLF */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)line[i];
        if (c == 0x1b) {
            if (i + 1 < len && line[i + 1] == '[') {
                /* CSI: parameters and intermediates, then a final byte.  */
                i += 2;
                while (i < len && ((unsigned char)line[i] < 0x40 || (unsigned char)line[i] > 0x7e))
                    i++;
            } else if (i + 1 < len) {
                i++; /* a two-byte escape */
            }
            continue;
        }
        if (c == '\r') {
            n = 0;
            continue;
        }
        out[n++] = (char)c;
    }
    while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '\t'))
        n--;
    out[n] = '\0';
    return n;
}

static bool
is_space(char c)
{
    return c == ' ' || c == '\t';
}

/* Splits TEXT[0..LEN) into whitespace-separated tokens; returns how many
   (at most MAX).  */
static size_t
tokens(const char *text, size_t len, const char **tok, size_t *toklen, size_t max)
{
    size_t n = 0, i = 0;
    while (i < len) {
        while (i < len && is_space(text[i]))
            i++;
        if (i == len)
            break;
        size_t start = i;
        while (i < len && !is_space(text[i]))
            i++;
        if (n == max)
            return max + 1;
        tok[n] = text + start;
        toklen[n] = i - start;
        n++;
    }
    return n;
}

/* What a stream holds, for the "no benchmark found" message.  */
struct stream {
    const char *file;
    struct record_list *list;
    size_t found;
    char *pending_bencher; /* "test NAME ... " waiting for its bench: */
    bool json_only;        /* the input started with a JSON message */
};

static struct record *
stream_record(struct stream *s, const char *name, size_t len)
{
    struct record *r = record_add(s->list);
    r->name = xstrndup(name, len);
    r->path = xstrdup("");
    r->all_metrics = true;
    s->found++;
    return r;
}

/* A "time:   [LO U EST U HI U]" line of cargo bench text.  Returns false
   when LINE is not one (the change block's percent line is not).  */
static bool
text_time_line(struct stream *s, unsigned long lineno, const char *line, size_t len,
               const char *prev, size_t prevlen)
{
    if (len == 0 || line[len - 1] != ']')
        return false;
    /* The last "time:" followed by spaces and "[": the name may hold one.  */
    const char *at = NULL;
    for (const char *p = line; (p = strstr(p, "time:")) != NULL; p++) {
        const char *q = p + 5;
        while (is_space(*q))
            q++;
        if (*q == '[')
            at = p;
    }
    if (at == NULL)
        return false;
    const char *open = strchr(at, '[');
    const char *tok[7];
    size_t toklen[7];
    size_t ntok = tokens(open + 1, (size_t)(line + len - 1 - (open + 1)), tok, toklen, 6);
    if (ntok != 6)
        return false;
    for (int i = 0; i < 6; i += 2)
        if (toklen[i] > 0 && tok[i][toklen[i] - 1] == '%')
            return false; /* a change: the relative change of the mean */

    size_t namelen = (size_t)(at - line);
    while (namelen > 0 && is_space(line[namelen - 1]))
        namelen--;
    const char *name = line;
    if (namelen == 0) {
        /* A title over 23 bytes is on a line of its own just before.  */
        if (prev == NULL || prevlen == 0 || is_space(prev[0])) {
            bad_input(s->file, lineno, "time: line without a benchmark name");
            return true;
        }
        name = prev;
        namelen = prevlen;
    }

    /* Each value is scaled on its own ("998.12 ns 1.0012 µs"); a custom
       measurement's unit is the same for all three.  */
    int shift[3], ntimed = 0;
    for (int i = 0; i < 3; i++)
        ntimed += time_unit_shift(tok[2 * i + 1], toklen[2 * i + 1], &shift[i]);
    if (ntimed != 3) {
        for (int i = 1; i < 3; i++)
            if (ntimed != 0 || toklen[2 * i + 1] != toklen[1] ||
                memcmp(tok[2 * i + 1], tok[1], toklen[1]) != 0) {
                bad_input(s->file, lineno, "time: values in different units");
                return true;
            }
        shift[0] = shift[1] = shift[2] = 0;
    }
    double v[3];
    for (int i = 0; i < 3; i++)
        if (!decimal_scaled(tok[2 * i], toklen[2 * i], shift[i], false, &v[i])) {
            bad_input(s->file, lineno, "time: estimate is not a number: %s",
                      cli_quote(tok[2 * i], toklen[2 * i]));
            return true;
        }
    struct estimate e = {v[1], v[0], v[2]};
    if (!estimate_ok(s->file, lineno, "time", &e, ntimed == 3))
        return true;
    char *unit = ntimed == 3 ? xstrdup("ns") : xstrndup(tok[1], toklen[1]);
    struct record *r = stream_record(s, name, namelen);
    r->unit = unit;
    r->has[M_TYPICAL] = true;
    r->est[M_TYPICAL] = e;
    return true;
}

/* Whether the TOKENS after "bench:" are a bencher result: N UNIT/iter
   (+/- D), and libtest's " = M MB/s" when the benchmark set bytes.  */
static bool
bencher_tail(size_t ntok, const char *const *tok, const size_t *toklen)
{
    if (ntok != 4 && ntok != 7)
        return false;
    if (!(toklen[1] > 5 && memcmp(tok[1] + toklen[1] - 5, "/iter", 5) == 0 && toklen[2] == 4 &&
          memcmp(tok[2], "(+/-", 4) == 0 && toklen[3] >= 2 && tok[3][toklen[3] - 1] == ')'))
        return false;
    return ntok == 4 ||
           (toklen[4] == 1 && tok[4][0] == '=' && decimal_is_plain(tok[5], toklen[5]) &&
            toklen[6] > 2 && memcmp(tok[6] + toklen[6] - 2, "/s", 2) == 0);
}

/* NAME[0..*LEN) without the spaces libtest pads names with.  */
static void
trim_name(const char *name, size_t *len)
{
    while (*len > 0 && is_space(name[*len - 1]))
        (*len)--;
}

/* The benchmark name of a line "test NAME ... REST" that is not a result:
   Criterion prints "test NAME ... " when measuring starts, so REST is what
   the benchmark printed.  Sets *NAME, *NAMELEN and returns true when LINE
   is one; NAME ends at the first " ... ", or at the final " ..." when
   nothing follows it.  REST, when not NULL, gets what follows.  */
static bool
test_line_name(const char *line, size_t len, const char **name, size_t *namelen, const char **rest)
{
    if (len < 9 || memcmp(line, "test ", 5) != 0)
        return false;
    const char *sep;
    if (memcmp(line + len - 4, " ...", 4) == 0) {
        sep = line + len - 4;
        if (rest)
            *rest = line + len;
    } else {
        sep = memmem(line + 5, len - 5, " ... ", 5);
        if (sep == NULL)
            return false;
        if (rest)
            *rest = sep + 5;
    }
    *name = line + 5;
    *namelen = (size_t)(sep - (line + 5));
    trim_name(*name, namelen);
    return *namelen > 0;
}

/* A bencher line, "test NAME ... bench: N UNIT/iter (+/- D)", possibly
   followed by libtest's " = M MB/s".  Returns false when LINE is not one.  */
static bool
bencher_line(struct stream *s, unsigned long lineno, const char *line, size_t len)
{
    /* The last "bench:" whose tail parses: names may hold anything.  */
    const char *at = NULL;
    const char *tok[8];
    size_t toklen[8];
    for (const char *p = line; (p = strstr(p, "bench:")) != NULL; p++) {
        size_t ntok = tokens(p + 6, (size_t)(line + len - (p + 6)), tok, toklen, 7);
        if (bencher_tail(ntok, tok, toklen))
            at = p;
    }
    if (at == NULL)
        return false;
    tokens(at + 6, (size_t)(line + len - (at + 6)), tok, toklen, 7);

    const char *name = NULL;
    size_t namelen = 0;
    static const char sep[] = " ... ";
    size_t before = (size_t)(at - line);
    if (before >= 5 + 5 && memcmp(line, "test ", 5) == 0 && memcmp(at - 5, sep, 5) == 0) {
        /* libtest pads names on the right to line the results up.  */
        name = line + 5;
        namelen = before - 10;
        trim_name(name, &namelen);
    }
    if (namelen == 0 && test_line_name(line, before, &name, &namelen, NULL)) {
        /* "test NAME ... " then what the benchmark printed, then the
           result, on one line.  */
    } else if (namelen == 0 && s->pending_bencher) {
        /* The benchmark printed lines between "test NAME ... " and its
           result.  */
        name = s->pending_bencher;
        namelen = strlen(name);
    } else if (namelen == 0) {
        size_t lead = 0;
        while (lead < before && is_space(line[lead]))
            lead++;
        if (lead == before)
            bad_input(s->file, lineno,
                      "bench: line has no benchmark name: it looks like --quick output "
                      "(Criterion.rs 0.4 to 0.8.2 print no names with --quick)");
        else
            bad_input(s->file, lineno, "bench: line without a benchmark name");
        free(s->pending_bencher);
        s->pending_bencher = NULL;
        return true;
    }

    /* Criterion and libtest print plain digits, with ',' separators and
       libtest's decimals; nothing else is a bencher number.  */
    size_t devlen = toklen[3] - 1;
    if (!decimal_is_plain(tok[0], toklen[0]) || !decimal_is_plain(tok[3], devlen)) {
        /* Plain digits: a negative time fails here, and so does a
           negative +/- (a standard deviation, not an interval).  */
        bool value_bad = !decimal_is_plain(tok[0], toklen[0]);
        const char *bad = value_bad ? tok[0] : tok[3];
        if (bad[0] == '-')
            bad_input(s->file, lineno, "bench: %s is negative: %s", value_bad ? "value" : "+/-",
                      cli_quote(bad, value_bad ? toklen[0] : devlen));
        else
            bad_input(s->file, lineno, "bench: value is not a number");
        free(s->pending_bencher);
        s->pending_bencher = NULL;
        return true;
    }
    const char *unit = tok[1];
    size_t ulen = toklen[1] - 5;
    int shift = 0;
    bool timed = time_unit_shift(unit, ulen, &shift);
    double v, dev;
    if (!decimal_scaled(tok[0], toklen[0], shift, true, &v) ||
        !decimal_scaled(tok[3], devlen, shift, true, &dev) || v < 0 || dev < 0) {
        bad_input(s->file, lineno, "bench: value is not a number");
        free(s->pending_bencher);
        s->pending_bencher = NULL;
        return true;
    }
    struct record *r = stream_record(s, name, namelen);
    free(s->pending_bencher);
    s->pending_bencher = NULL;
    r->unit = timed ? xstrdup("ns") : xstrndup(unit, ulen);
    r->has[M_MEDIAN] = true;
    double low, high;
    if (shift != 0 || !decimal_add(tok[0], toklen[0], tok[3], devlen, -1, &low) ||
        !decimal_add(tok[0], toklen[0], tok[3], devlen, 1, &high)) {
        low = v - dev;
        high = v + dev;
    }
    r->est[M_MEDIAN] = (struct estimate){v, low < 0 ? 0 : low, high};
    return true;
}

/* A cargo-criterion message line.  */
static void
json_message_line(struct stream *s, unsigned long lineno, const char *line, size_t len)
{
    size_t end;
    json_object *msg = parse_json(s->file, lineno, line, len, &end);
    if (msg == NULL)
        return;
    while (end < len && (is_space(line[end]) || line[end] == '\r'))
        end++;
    const char *reason = NULL;
    if (end != len) {
        bad_input(s->file, lineno, "text after the JSON message");
    } else if (!json_object_is_type(msg, json_type_object) ||
               json_string_member(msg, "reason", &reason) < 0 || reason == NULL) {
        bad_input(s->file, lineno, "not a cargo-criterion message (no reason)");
    } else if (strcmp(reason, "benchmark-complete") == 0) {
        const char *id, *unit;
        if (json_string_member(msg, "id", &id) < 0 || id == NULL) {
            bad_input(s->file, lineno, "benchmark-complete: no id");
            goto out;
        }
        if (json_string_member(msg, "unit", &unit) < 0) {
            bad_input(s->file, lineno, "%s: unit is not a string", cli_quote_str(id));
            goto out;
        }
        struct record r = {0};
        bool ok = true;
        const char *row_unit = NULL;
        for (int m = 0; m < M_COUNT && ok; m++) {
            /* cargo-criterion has no std_dev; typical is its own entry.  */
            if (m == M_STD_DEV || !wants_metric((enum metric)m))
                continue;
            json_object *e;
            if (!json_object_object_get_ex(msg, metric_names[m], &e) && m == M_SLOPE)
                continue; /* documented as "may be missing" (flat sampling) */
            if (!json_object_object_get_ex(msg, metric_names[m], &e)) {
                bad_input(s->file, lineno, "%s: no %s estimate", cli_quote_str(id),
                          metric_names[m]);
                ok = false;
                break;
            }
            if (e == NULL) {
                if (m != M_SLOPE) {
                    bad_input(s->file, lineno, "%s: %s: null estimate", cli_quote_str(id),
                              metric_names[m]);
                    ok = false;
                }
                continue;
            }
            if (!json_object_is_type(e, json_type_object)) {
                bad_input(s->file, lineno, "%s: %s: not an estimate object", cli_quote_str(id),
                          metric_names[m]);
                ok = false;
                break;
            }
            const char *eunit;
            if (json_string_member(e, "unit", &eunit) < 0 || (eunit == NULL && unit == NULL) ||
                (eunit != NULL && *eunit == '\0')) {
                bad_input(s->file, lineno, "%s: %s: no unit string", cli_quote_str(id),
                          metric_names[m]);
                ok = false;
                break;
            }
            if (eunit == NULL)
                eunit = unit; /* the documented place is the estimate */
            int shift = 0;
            const char *norm = time_unit_shift(eunit, strlen(eunit), &shift) ? "ns" : eunit;
            if (row_unit != NULL && strcmp(row_unit, norm) != 0) {
                bad_input(s->file, lineno, "%s: estimates in different units", cli_quote_str(id));
                ok = false;
                break;
            }
            row_unit = norm;
            char what[CLI_QUOTE_MAX + 64];
            snprintf(what, sizeof what, "%s: %s", cli_quote_str(id), metric_names[m]);
            ok = json_number(s->file, lineno, e, "estimate", shift, what, &r.est[m].value) == 0 &&
                 json_number(s->file, lineno, e, "lower_bound", shift, what, &r.est[m].low) == 0 &&
                 json_number(s->file, lineno, e, "upper_bound", shift, what, &r.est[m].high) == 0 &&
                 estimate_ok(s->file, lineno, what, &r.est[m], strcmp(norm, "ns") == 0);
            r.has[m] = ok;
        }
        s->found++;
        if (ok) {
            struct record *out = record_add(s->list);
            memcpy(out->has, r.has, sizeof r.has);
            memcpy(out->est, r.est, sizeof r.est);
            out->name = xstrdup(id);
            out->path = xstrdup("");
            out->unit = xstrdup(row_unit ? row_unit : "ns");
        }
    }
out:
    json_object_put(msg);
}

static void
scan_lines(struct stream *s, const char *text, size_t len)
{
    char *line = xmalloc(len + 1), *prev = xmalloc(len + 1);
    size_t prevlen = 0;
    bool have_prev = false;
    unsigned long lineno = 0;
    for (size_t pos = 0; pos < len;) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t rawlen = nl ? (size_t)(nl - (text + pos)) : len - pos;
        lineno++;
        size_t n = clean_line(text + pos, rawlen, line);
        pos += rawlen + (nl != NULL);
        if (n == 0)
            continue;
        size_t lead = 0;
        while (lead < n && is_space(line[lead]))
            lead++;
        /* Only a line that is nothing else can be the name of a wrapped
           "time:" line.  */
        bool result = true;
        if (line[lead] == '{' && (s->json_only || strncmp(line + lead, "{\"reason\":", 10) == 0)) {
            json_message_line(s, lineno, line + lead, n - lead);
        } else if (bencher_line(s, lineno, line, n)) {
            /* done */
        } else if (!text_time_line(s, lineno, line, n, have_prev ? prev : NULL, prevlen)) {
            result = false;
            /* Remember "test NAME ... " (and what the benchmark printed
               after it) waiting for its result; libtest's "test NAME ...
               ok" and the like are results of tests, not benchmarks.  */
            const char *name, *rest;
            size_t namelen;
            if (test_line_name(line, n, &name, &namelen, &rest)) {
                free(s->pending_bencher);
                s->pending_bencher = NULL;
                size_t restlen = (size_t)(line + n - rest);
                if (!((restlen == 2 && memcmp(rest, "ok", 2) == 0) ||
                      (restlen == 6 && memcmp(rest, "FAILED", 6) == 0) ||
                      (restlen >= 7 && memcmp(rest, "ignored", 7) == 0 &&
                       (restlen == 7 || rest[7] == ','))))
                    s->pending_bencher = xstrndup(name, namelen);
            }
        }
        memcpy(prev, line, n + 1);
        prevlen = n;
        have_prev = !result;
    }
    free(line);
    free(prev);
    free(s->pending_bencher);
    s->pending_bencher = NULL;
}

/* Reads FILE's text (a file operand or standard input) and detects what it
   is by its content.  PATH is NULL for standard input.  */
static void
scan_stream(const char *file, const char *path, struct record_list *list)
{
    char *text;
    size_t len;
    int err = slurp_at(AT_FDCWD, path, false, &text, &len);
    if (err != 0) {
        bad_input(file, 0, "%s", slurp_error(err));
        return;
    }
    struct stream s = {.file = file, .list = list};
    unsigned long errors_before = nerrors;
    size_t start = 0, bom = 0;
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
        start = bom = 3;
    while (start < len && (is_space(text[start]) || text[start] == '\n' || text[start] == '\r'))
        start++;

    if (start < len && strncmp(text + start, "{\"reason\":", 10) == 0) {
        /* cargo-criterion messages, one per line, "reason" always first:
           each line is parsed on its own, so one bad line loses only its
           benchmark.  */
        s.json_only = true;
        scan_lines(&s, text + bom, len - bom);
    } else if (start < len && text[start] == '{') {
        /* JSON: a cargo-criterion message stream, or one estimates.json.  */
        size_t end;
        unsigned long first_line = line_of(text, start);
        json_object *first = parse_json(file, first_line, text + start, len - start, &end);
        json_object *probe;
        if (first == NULL) {
            /* said */
        } else if (json_object_is_type(first, json_type_object) &&
                   json_object_object_get_ex(first, "reason", &probe)) {
            s.json_only = true;
            scan_lines(&s, text + bom, len - bom);
        } else {
            size_t rest = start + end;
            while (rest < len && (is_space(text[rest]) || text[rest] == '\n' || text[rest] == '\r'))
                rest++;
            s.found = 1;
            struct record r = {0};
            int shift = 0;
            /* A file in a target/criterion tree: its neighbours name it and
               give its unit.  */
            char *dir = NULL;
            if (path != NULL) {
                const char *slash = strrchr(path, '/');
                dir = slash == NULL   ? xstrdup(".")
                      : slash == path ? xstrdup("/")
                                      : xstrndup(path, (size_t)(slash - path));
            }
            struct path p = {0};
            if (rest != len) {
                bad_input(file, line_of(text, rest), "text after the estimates object");
            } else if (is_change_estimates(first)) {
                bad_input(file, 0, "%s", change_message);
            } else if (bench_option) {
                r.name = xstrdup(bench_option);
            } else if (dir != NULL) {
                path_push(&p, dir);
                path_push(&p, "benchmark.json");
                int got = read_benchmark_json(AT_FDCWD, p.buf, p.buf, &r);
                if (got == ENOENT)
                    bad_input(file, 0,
                              "an estimates.json on its own needs --bench NAME "
                              "(no benchmark.json beside it)");
            } else {
                bad_input(file, 0, "an estimates.json on its own needs --bench NAME");
            }
            if (r.name != NULL && dir != NULL) {
                p.len = 0;
                path_push(&p, dir);
                path_push(&p, "raw.csv");
                r.unit = raw_csv_unit(AT_FDCWD, p.buf, p.buf, &shift);
                if (r.unit == NULL) {
                    free(r.name);
                    r.name = NULL;
                }
            } else if (r.name != NULL) {
                r.unit = xstrdup("ns");
            }
            free(p.buf);
            free(dir);
            if (r.name != NULL && read_estimates(file, first, shift, &r) == 0) {
                struct record *out = record_add(list);
                *out = r;
                out->path = xstrdup("");
                memset(&r, 0, sizeof r);
            }
            record_clear(&r);
        }
        json_object_put(first);
    } else {
        scan_lines(&s, text + bom, len - bom);
    }
    free(text);
    /* After a message about bad data, "no benchmark" would say it twice.  */
    if (s.found == 0 && nerrors == errors_before)
        bad_input(file, 0,
                  "no benchmark found (looked for cargo bench 'time:' lines, bencher "
                  "'test ... bench:' lines and cargo-criterion JSON messages)");
}

/* ---- Output ------------------------------------------------------------ */

static void
write_number(csv_writer *w, double v)
{
    char buf[NUM_BUFSIZE];
    csv_write_string(w, num_format_double(v, buf));
}

static void
write_rows(csv_writer *w, const struct record_list *list)
{
    for (size_t i = 0; i < list->count; i++) {
        const struct record *r = &list->items[i];
        for (size_t k = 0; k < (r->all_metrics ? (size_t)M_COUNT : nwanted); k++) {
            enum metric m = r->all_metrics ? (enum metric)k : wanted[k];
            if (!r->has[m])
                continue;
            csv_write_string(w, r->name);
            csv_write_string(w, metric_names[m]);
            csv_write_string(w, r->unit);
            write_number(w, r->est[m].value);
            write_number(w, r->est[m].low);
            write_number(w, r->est[m].high);
            csv_write_end(w);
        }
    }
}

/* ---- Command line ------------------------------------------------------ */

static void
usage(void)
{
    printf("Usage: %s [OPTION]... [FILE|DIR]...\n", PROGRAM_NAME);
    fputs("Write Criterion.rs results as CSV rows: bench,metric,unit,value,ci_low,ci_high.\n"
          "\n"
          "A DIR is a target/criterion tree (or any folder in it): every benchmark's\n"
          "new/estimates.json is read and named from its benchmark.json.  A FILE (or\n"
          "standard input, with none or -) is detected by its content: the text that\n"
          "cargo bench prints, bencher lines, cargo-criterion JSON messages, or one\n"
          "estimates.json.\n"
          "\n"
          "  -m, --metrics=LIST    metrics to write, comma-separated, among typical,\n"
          "                        mean, median, slope, median_abs_dev and std_dev\n"
          "                        (default mean,median)\n"
          "      --baseline=NAME   read the saved baseline NAME instead of new\n"
          "      --bench=NAME      name the benchmark of an estimates.json read on its own\n"
          "  -h, --help            display this help and exit\n"
          "  -V, --version         output version information and exit\n"
          "\n"
          "Time is written in nanoseconds; custom measurements keep their unit.\n"
          "Exit status: 0 success, 1 bad input or I/O failure, 2 usage error.\n"
          "See criterion-scan(1) for the formats and the order of the rows.\n",
          stdout);
}

static void
parse_metrics(const char *list)
{
    nwanted = 0;
    const char *p = list;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        int found = -1;
        for (int m = 0; m < M_COUNT; m++)
            if (strlen(metric_names[m]) == len && memcmp(metric_names[m], p, len) == 0)
                found = m;
        if (found < 0)
            cli_usage_error("unknown metric '%.*s' in --metrics", (int)len, p);
        bool dup = false;
        for (size_t i = 0; i < nwanted; i++)
            dup |= wanted[i] == (enum metric)found;
        if (!dup)
            wanted[nwanted++] = (enum metric)found;
        if (comma == NULL)
            break;
        p = comma + 1;
    }
}

int
main(int argc, char **argv)
{
    enum { OPT_BASELINE = CHAR_MAX + 1, OPT_BENCH };
    static const struct option long_options[] = {
        {"metrics", required_argument, NULL, 'm'},
        {"baseline", required_argument, NULL, OPT_BASELINE},
        {"bench", required_argument, NULL, OPT_BENCH},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    cli_init(PROGRAM_NAME);
    parse_metrics("mean,median");
    int c;
    while ((c = cli_getopt(argc, argv, "m:hV", long_options)) != -1) {
        switch (c) {
        case 'm':
            parse_metrics(optarg);
            break;
        case OPT_BASELINE:
            if (*optarg == '\0' || strchr(optarg, '/') || strcmp(optarg, ".") == 0 ||
                strcmp(optarg, "..") == 0)
                cli_usage_error("invalid baseline name '%s'", optarg);
            if (strcmp(optarg, "change") == 0)
                cli_usage_error("invalid baseline name 'change': Criterion's change/ folders "
                                "hold relative changes, not times");
            baseline = optarg;
            break;
        case OPT_BENCH:
            bench_option = optarg;
            break;
        case 'h':
            usage();
            return cli_finish(EXIT_OK);
        case 'V':
            cli_print_version();
            return cli_finish(EXIT_OK);
        }
    }

    csv_writer w;
    csv_writer_init(&w, stdout);
    static const char *const header[] = {"bench", "metric", "unit", "value", "ci_low", "ci_high"};
    for (size_t i = 0; i < sizeof header / sizeof header[0]; i++)
        csv_write_string(&w, header[i]);
    csv_write_end(&w);

    static char *const stdin_operand[] = {"-"};
    char *const *operands = optind < argc ? argv + optind : stdin_operand;
    int noperands = optind < argc ? argc - optind : 1;
    for (int i = 0; i < noperands; i++) {
        const char *op = operands[i];
        struct record_list list = {0};
        struct stat st;
        if (strcmp(op, "-") == 0)
            scan_stream("-", NULL, &list);
        else if (stat(op, &st) != 0)
            bad_input(op, 0, "%s", strerror(errno));
        else if (S_ISDIR(st.st_mode))
            scan_directory(op, &list);
        else
            scan_stream(op, op, &list);
        write_rows(&w, &list);
        record_list_free(&list);
    }
    return cli_finish(status);
}
