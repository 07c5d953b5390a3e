/* csv-merge: join, de-duplicate, stamp and append CSV files into one
   benchmark history, written atomically.

   How it stays fast with a long history: the inputs are read twice, and
   what is held in memory between the passes is what de-duplication needs,
   not the history itself.  The first pass stores one 8-byte fingerprint
   (a hash of the key's fields) per distinct key, in a table kept at most
   half full, and a full copy of only those rows whose fingerprint was
   already seen (the re-collected rows that will be merged).
   The second pass writes every row whose key occurs once as it streams
   past, and writes each repeated key once, at its first position, merged
   with its later rows.  Fingerprints only find candidates: repeated keys are
   merged by comparing the full key text, so two keys that share a
   fingerprint are never merged.  Standard input is spooled to a temporary
   file so that it can be read twice.
   SPDX-License-Identifier: MIT */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomicfile.h"
#include "cli.h"
#include "csv.h"
#include "history.h"
#include "numfmt.h"
#include "strmap.h"

static const char default_key[] = "commit,machine,bench,metric";
static const char *const series_columns[] = {"machine", "bench", "metric"};

/* A list of column names given on the command line.  */
typedef struct name_list {
    char **names;
    size_t count;
} name_list;

/* One input operand.  */
typedef struct input {
    const char *operand; /* as given; "-" for stdin */
    const char *name;    /* for messages */
    int fd;              /* kept open and read from the start in each pass;
                            a copy for stdin, pipes and devices; -1 when
                            absent */
    unsigned long long size; /* the bytes every pass reads */
    unsigned long long nrows; /* rows seen by the first pass */
    bool absent;         /* the -o target, not created yet: no rows */
    size_t *to_output;   /* input column -> output column */
    const char **fields; /* the current record's fields (scratch) */
    size_t *lens;
    size_t ncols;
} input;

/* A row in the output's column order.  Fields point into a reader's
   record or into an owned copy.  */
typedef struct row {
    const char **data;
    size_t *len;
} row;

/* A row kept in memory: for --join lookup tables and for rows whose key
   repeats.  One allocation holds the text of all fields.  */
typedef struct kept_row {
    uint64_t seq;
    char **data;
    size_t *len;
    struct kept_row *next;
} kept_row;

/* Rows that share one full key, for merging.  */
typedef struct repeat_group {
    kept_row *first, *last;
    bool written;
} repeat_group;

/* Join table entry: one merged lookup row per join key.  */
typedef struct join_entry {
    kept_row *row;
    bool used;
    const char *file;   /* where the row was first seen, for the message */
    unsigned long line; /* about a row that matches nothing */
} join_entry;

/* Fingerprint table: one slot per distinct key.  */
/* Fingerprint table: one word per distinct key, the key's hash with its
   lowest bit taken for "seen again"; 0 is an empty slot.  */
typedef uint64_t fp_slot;
enum { FP_REPEATED = 1 };

typedef struct merger {
    /* options */
    const char *output_path;
    atomic_file out; /* open from before the target is read */
    name_list key_names, join_names;
    const char *join_spec; /* --join as given, for messages */
    bool key_given;
    char **set_columns, **set_values;
    size_t nset;
    long keep;

    /* inputs and the output header */
    input *inputs;
    size_t ninputs;
    char **out_names;
    size_t nout;
    strmap out_index; /* name -> output column + 1 */

    size_t *key_cols, nkey;
    size_t *join_cols, njoin;
    size_t series_cols[3], nseries;
    size_t time_cols[4]; /* unit, value, ci_low, ci_high */
    long *set_out_cols;

    /* --join lookup tables */
    strmap join_table; /* join key text -> join_entry */

    /* de-duplication */
    fp_slot *slots;
    size_t nslots, nused;
    strmap repeats; /* full key text -> repeat_group */

    /* --keep */
    strmap series_total;   /* series key -> count of distinct keys */
    strmap series_written; /* series key -> count written so far */

    /* where the row being handled comes from, for messages */
    const char *row_file;
    unsigned long row_line;

    /* scratch */
    row scratch, merged;
    char *keybuf;
    size_t keybuf_cap, keybuf_len;
    csv_writer writer;
    int status;
} merger;

enum { OPT_HELP = CHAR_MAX + 1 };

static const struct option long_options[] = {
    {"output", required_argument, NULL, 'o'},
    {"key", required_argument, NULL, 'k'},
    {"join", required_argument, NULL, 'j'},
    {"set", required_argument, NULL, 's'},
    {"keep", required_argument, NULL, 'n'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

static void
print_help(void)
{
    printf("Usage: %s [OPTION]... [FILE]...\n", cli_program);
    fputs("Merge benchmark CSV files into one history: columns are matched by name,\n"
          "rows with equal keys become one row, constant columns can be stamped,\n"
          "and the result goes to standard output or, atomically, to a file.\n"
          "With no FILE, or when FILE is -, read standard input.\n"
          "\n"
          "  -o, --output=FILE      write to FILE through a temporary file that is\n"
          "                         fsynced and renamed over it; FILE may also be\n"
          "                         an input; a regular file (or a link to one)\n"
          "                         or none; runs writing one FILE take turns\n"
          "  -k, --key=COLS         rows whose COLS (comma-separated) are equal are\n"
          "                         one row; later non-empty fields win (default:\n"
          "                         commit,machine,bench,metric, those present;\n"
          "                         an empty list keeps every row)\n"
          "  -j, --join=COLS        the first FILE is the primary input; rows of the\n"
          "                         other inputs fill the empty fields of primary\n"
          "                         rows that match them on COLS\n"
          "  -s, --set=COL=VALUE    fill COL with VALUE where it is empty\n"
          "                         (repeatable)\n"
          "  -n, --keep=N           keep only the newest N points of each series\n"
          "                         (machine, bench, metric)\n"
          "  -h, --help             display this help and exit\n"
          "  -V, --version          output version information and exit\n"
          "\n"
          "The output header is the history's seed columns in their order, then\n"
          "every other column in first-seen order.\n"
          "\n"
          "Exit status: 0 on success, 1 on bad input or an I/O error (with -o, FILE\n"
          "is then left as it was), 2 on a usage error.\n"
          "\n"
          "Example:\n"
          "  criterion-scan target/criterion | csv-merge --set commit=$(git rev-parse\n"
          "    --short=12 HEAD) --set machine=local | csv-merge -o history.csv \\\n"
          "    history.csv -\n",
          stdout);
}

static void
split_names(const char *text, name_list *list, const char *option)
{
    list->names = NULL;
    list->count = 0;
    if (*text == '\0')
        return;
    const char *p = text;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (len == 0)
            cli_usage_error("empty column name in --%s '%s'", option, text);
        list->names = xreallocarray(list->names, list->count + 1, sizeof *list->names);
        list->names[list->count++] = xstrndup(p, len);
        if (comma == NULL)
            break;
        p = comma + 1;
    }
}

static void
free_names(name_list *list)
{
    for (size_t i = 0; i < list->count; i++)
        free(list->names[i]);
    free(list->names);
}

/* Output column of NAME, or -1.  */
static long
output_column(const merger *m, const char *name)
{
    strmap_entry *e = strmap_find(&m->out_index, name, strlen(name));
    return e ? (long)(uintptr_t)e->value - 1 : -1;
}

static size_t
add_output_column(merger *m, const char *name)
{
    int created;
    strmap_entry *e = strmap_upsert(&m->out_index, name, strlen(name), &created);
    if (created) {
        m->out_names = xreallocarray(m->out_names, m->nout + 1, sizeof *m->out_names);
        m->out_names[m->nout] = xstrdup(name);
        e->value = (void *)(uintptr_t)(m->nout + 1);
        m->nout++;
    }
    return (size_t)(uintptr_t)e->value - 1;
}

/* True when A and B name the same directory entry, whether or not it
   exists: "./h.csv" and "h.csv" do.  */
static bool
same_path(const char *a, const char *b)
{
    if (strcmp(a, b) == 0)
        return true;
    char *paths[2] = {NULL, NULL};
    const char *names[2] = {a, b};
    for (int i = 0; i < 2; i++) {
        const char *slash = strrchr(names[i], '/');
        char *dir = slash ? xstrndup(names[i], (size_t)(slash - names[i]) + 1) : xstrdup(".");
        char *real = realpath(dir, NULL);
        free(dir);
        if (real == NULL)
            break;
        const char *base = slash ? slash + 1 : names[i];
        paths[i] = xmalloc(strlen(real) + strlen(base) + 2);
        sprintf(paths[i], "%s/%s", real, base);
        free(real);
    }
    bool same = paths[0] && paths[1] && strcmp(paths[0], paths[1]) == 0;
    free(paths[0]);
    free(paths[1]);
    return same;
}

/* Copies what SRC gives (standard input, a pipe, a FIFO, a device) to an
   unlinked temporary file, which every pass can read from the start.
   Returns its descriptor, or -1 after a message.  */
static int
spool(int src, const char *name)
{
    const char *dir = getenv("TMPDIR");
    if (dir == NULL || *dir == '\0')
        dir = "/tmp";
    size_t size = strlen(dir) + sizeof "/csv-merge.XXXXXX";
    char *path = xmalloc(size);
    snprintf(path, size, "%s/csv-merge.XXXXXX", dir);
    int fd = mkostemp(path, O_CLOEXEC);
    if (fd < 0) {
        cli_warn("%s: cannot create a temporary copy: %s", name, strerror(errno));
        free(path);
        return -1;
    }
    unlink(path);
    free(path);
    char buf[65536];
    for (;;) {
        ssize_t n = read(src, buf, sizeof buf);
        if (n == 0)
            break;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            cli_warn("%s: read error: %s", name, strerror(errno));
            close(fd);
            return -1;
        }
        for (ssize_t done = 0; done < n;) {
            ssize_t w = write(fd, buf + done, (size_t)(n - done));
            if (w < 0) {
                if (errno == EINTR)
                    continue;
                cli_warn("%s: cannot make a temporary copy: %s", name, strerror(errno));
                close(fd);
                return -1;
            }
            done += w;
        }
    }
    return fd;
}

/* Opens operand I once, for every pass.  Returns 0, or -1 after a
   message.  */
static int
prepare_input(input *in, const char *output_path)
{
    int fd;
    const char *what = NULL;
    if (strcmp(in->operand, "-") == 0) {
        fd = spool(STDIN_FILENO, in->name);
    } else {
        fd = open(in->operand, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            int saved = errno;
            /* "csv-merge -o history.csv history.csv new.csv" starts a new
               history when there is none yet.  */
            if (saved == ENOENT && output_path != NULL && same_path(in->operand, output_path)) {
                in->absent = true;
                in->fd = -1;
                return 0;
            }
            cli_warn("%s: %s", in->name, strerror(saved));
            return -1;
        }
        struct stat st;
        if (fstat(fd, &st) != 0)
            what = strerror(errno);
        else if (S_ISDIR(st.st_mode))
            what = strerror(EISDIR);
        if (what != NULL) {
            cli_warn("%s: %s", in->name, what);
            close(fd);
            return -1;
        }
        /* A pipe or a FIFO can be read only once.  */
        if (!S_ISREG(st.st_mode)) {
            int copy = spool(fd, in->name);
            close(fd);
            fd = copy;
        }
    }
    if (fd < 0)
        return -1;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        cli_warn("%s: %s", in->name, strerror(errno));
        close(fd);
        return -1;
    }
    in->fd = fd;
    in->size = (unsigned long long)st.st_size;

    /* "csv-merge h.csv >> h.csv" would read its own output forever.  */
    struct stat out;
    if (output_path == NULL && fstat(STDOUT_FILENO, &out) == 0 && S_ISREG(out.st_mode) &&
        out.st_dev == st.st_dev && out.st_ino == st.st_ino && in->size > 0) {
        cli_warn("%s: input file is output file", in->name);
        return -1;
    }
    return 0;
}

static csv_reader *
open_input(const input *in)
{
    int fd = dup(in->fd);
    if (fd < 0 || lseek(fd, 0, SEEK_SET) != 0) {
        cli_warn("%s: %s", in->name, strerror(errno));
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    csv_reader *r = csv_reader_from_fd(fd, in->name, true);
    csv_reader_set_limit(r, in->size);
    return r;
}

/* True when some input has column COL or --set stamps it.  */
static bool
col_is_used(const merger *m, size_t col)
{
    for (size_t i = 0; i < m->ninputs; i++)
        for (size_t c = 0; c < m->inputs[i].ncols; c++)
            if (m->inputs[i].to_output[c] == col)
                return true;
    for (size_t s = 0; s < m->nset; s++)
        if ((size_t)m->set_out_cols[s] == col)
            return true;
    return false;
}

/* Reads every input's header, builds the output header and the column
   maps, and checks that the key and join columns exist.  */
static int
read_headers(merger *m)
{
    strmap_init(&m->out_index);
    for (size_t i = 0; i < HISTORY_NSEED; i++)
        add_output_column(m, history_seed_columns[i]);

    for (size_t i = 0; i < m->ninputs; i++) {
        input *in = &m->inputs[i];
        if (in->absent)
            continue;
        csv_reader *r = open_input(in);
        if (r == NULL)
            return -1;
        csv_header h;
        if (csv_header_read(r, &h) != 0) {
            csv_reader_close(r);
            return -1;
        }
        in->ncols = h.ncols;
        in->to_output = xcalloc(h.ncols, sizeof *in->to_output);
        in->fields = xcalloc(h.ncols, sizeof *in->fields);
        in->lens = xcalloc(h.ncols, sizeof *in->lens);
        for (size_t c = 0; c < h.ncols; c++)
            in->to_output[c] = add_output_column(m, h.names[c]);

        /* A file whose first line names no column benchtrack knows is
           almost surely a file without a header line, whose first row
           would otherwise become column names.  */
        bool known = false;
        for (size_t c = 0; c < h.ncols && !known; c++) {
            known = history_seed_index(h.names[c]) >= 0;
            for (size_t k = 0; k < m->key_names.count && !known; k++)
                known = strcmp(h.names[c], m->key_names.names[k]) == 0;
            for (size_t k = 0; k < m->join_names.count && !known; k++)
                known = strcmp(h.names[c], m->join_names.names[k]) == 0;
        }
        if (!known) {
            cli_warn_at(in->name, csv_record_line(r),
                        "no known column in the header line (is it missing?): "
                        "expected some of %s",
                        "commit,version,date,bench,metric,unit,value,...");
            csv_header_free(&h);
            csv_reader_close(r);
            return -1;
        }

        /* Every key and join column must be in each input, or be stamped
           with --set.  */
        const name_list *lists[] = {m->key_given ? &m->key_names : NULL,
                                    m->join_names.count ? &m->join_names : NULL};
        const char *what[] = {"key", "join"};
        for (size_t l = 0; l < 2; l++) {
            if (lists[l] == NULL)
                continue;
            for (size_t k = 0; k < lists[l]->count; k++) {
                const char *col = lists[l]->names[k];
                bool set = false;
                for (size_t s = 0; s < m->nset; s++)
                    set = set || strcmp(m->set_columns[s], col) == 0;
                if (!set && csv_header_find(&h, col) < 0) {
                    cli_warn_at(in->name, csv_record_line(r), "%s column '%s' missing", what[l],
                                col);
                    csv_header_free(&h);
                    csv_reader_close(r);
                    return -1;
                }
            }
        }
        csv_header_free(&h);
        csv_reader_close(r);
    }

    m->set_out_cols = xcalloc(m->nset ? m->nset : 1, sizeof *m->set_out_cols);
    for (size_t s = 0; s < m->nset; s++)
        m->set_out_cols[s] = (long)add_output_column(m, m->set_columns[s]);

    /* The key: as given, or the default columns that are present.  A
       default column is present when some input or --set has it.  */
    name_list defaults;
    const name_list *key = &m->key_names;
    if (!m->key_given) {
        split_names(default_key, &defaults, "key");
        key = &defaults;
    }
    m->key_cols = xcalloc(key->count ? key->count : 1, sizeof *m->key_cols);
    for (size_t k = 0; k < key->count; k++) {
        long col = output_column(m, key->names[k]);
        if (col >= 0 && (m->key_given || col_is_used(m, (size_t)col)))
            m->key_cols[m->nkey++] = (size_t)col;
    }
    if (!m->key_given)
        free_names(&defaults);

    m->join_cols = xcalloc(m->join_names.count ? m->join_names.count : 1, sizeof *m->join_cols);
    for (size_t k = 0; k < m->join_names.count; k++)
        m->join_cols[m->njoin++] = (size_t)output_column(m, m->join_names.names[k]);

    for (size_t k = 0; k < 3; k++) {
        long col = output_column(m, series_columns[k]);
        if (col >= 0 && col_is_used(m, (size_t)col))
            m->series_cols[m->nseries++] = (size_t)col;
    }
    /* Seed columns: always in the output.  */
    static const char *const time_columns[] = {"unit", "value", "ci_low", "ci_high"};
    for (size_t k = 0; k < 4; k++)
        m->time_cols[k] = (size_t)output_column(m, time_columns[k]);
    return 0;
}

/* A time (a row of unit "ns") must be a positive number, and its estimate
   within its own interval: the charts refuse a history with any other
   (lib/series.c), and a negative or reversed interval is no measurement
   anyway.  So no such row gets into a history.  Returns 0, or -1 after a
   message naming m->row_file and m->row_line.  */
static int
check_time(const merger *m, const row *rw)
{
    size_t unit = m->time_cols[0];
    if (rw->len[unit] != 2 || memcmp(rw->data[unit], "ns", 2) != 0)
        return 0;
    static const char *const names[] = {"value", "ci_low", "ci_high"};
    double v[3];
    bool have[3];
    for (size_t k = 0; k < 3; k++) {
        size_t c = m->time_cols[k + 1];
        int len = (int)rw->len[c];
        have[k] = len > 0; /* empty: not measured */
        if (!have[k])
            continue;
        char *text = xstrndup(rw->data[c], rw->len[c]);
        bool number = num_parse_double(text, &v[k]);
        free(text);
        /* num_parse_double takes decimals only: no NaN, no infinity.  */
        if (!number) {
            cli_warn_at(m->row_file, m->row_line, "%s '%.*s' is not a number", names[k], len,
                        rw->data[c]);
            return -1;
        }
        /* Not "v[k] <= 0", which would let -0 through.  */
        if (!(v[k] > 0)) {
            cli_warn_at(m->row_file, m->row_line, "%s %.*s is not a positive time", names[k], len,
                        rw->data[c]);
            return -1;
        }
    }
    for (size_t a = 0; a < 3; a++) {
        for (size_t b = a + 1; b < 3; b++) {
            /* value >= ci_low, value <= ci_high, ci_low <= ci_high */
            bool bad = have[a] && have[b] && (b == 1 ? v[a] < v[b] : v[a] > v[b]);
            if (bad) {
                size_t ca = m->time_cols[a + 1], cb = m->time_cols[b + 1];
                cli_warn_at(m->row_file, m->row_line, "%s %.*s is %s %s %.*s", names[a],
                            (int)rw->len[ca], rw->data[ca], b == 1 ? "below" : "above", names[b],
                            (int)rw->len[cb], rw->data[cb]);
                return -1;
            }
        }
    }
    return 0;
}

static void
row_init(row *rw, size_t n)
{
    rw->data = xcalloc(n, sizeof *rw->data);
    rw->len = xcalloc(n, sizeof *rw->len);
}

static void
row_free(row *rw)
{
    free(rw->data);
    free(rw->len);
}

/* A private copy of ROW, with one allocation for all of its text.  */
static kept_row *
keep_row(const merger *m, const row *rw, uint64_t seq)
{
    size_t text = 0;
    for (size_t c = 0; c < m->nout; c++)
        text += rw->len[c] + 1;
    size_t head = sizeof(kept_row) + m->nout * (sizeof(char *) + sizeof(size_t));
    kept_row *k = xmalloc(head + text);
    k->seq = seq;
    k->next = NULL;
    k->data = (char **)(k + 1);
    k->len = (size_t *)(k->data + m->nout);
    char *p = (char *)(k->len + m->nout);
    for (size_t c = 0; c < m->nout; c++) {
        memcpy(p, rw->data[c], rw->len[c]);
        p[rw->len[c]] = '\0';
        k->data[c] = p;
        k->len[c] = rw->len[c];
        p += rw->len[c] + 1;
    }
    return k;
}

static void
row_from_kept(row *rw, const kept_row *k, size_t n)
{
    for (size_t c = 0; c < n; c++) {
        rw->data[c] = k->data[c];
        rw->len[c] = k->len[c];
    }
}

/* Non-empty fields of K replace those of RW.  */
static void
overlay(row *rw, const kept_row *k, size_t n)
{
    for (size_t c = 0; c < n; c++) {
        if (k->len[c] > 0) {
            rw->data[c] = k->data[c];
            rw->len[c] = k->len[c];
        }
    }
}

/* Empty fields of RW are filled from K.  */
static void
fill_empty(row *rw, const kept_row *k, size_t n)
{
    for (size_t c = 0; c < n; c++) {
        if (rw->len[c] == 0 && k->len[c] > 0) {
            rw->data[c] = k->data[c];
            rw->len[c] = k->len[c];
        }
    }
}

static void
apply_set(const merger *m, row *rw)
{
    for (size_t s = 0; s < m->nset; s++) {
        size_t col = (size_t)m->set_out_cols[s];
        if (rw->len[col] == 0) {
            rw->data[col] = m->set_values[s];
            rw->len[col] = strlen(m->set_values[s]);
        }
    }
}

/* The fields COLS of RW joined by NUL bytes (which no field can hold) in
   m->keybuf.  */
static void
make_key(merger *m, const row *rw, const size_t *cols, size_t ncols)
{
    size_t need = 0;
    for (size_t k = 0; k < ncols; k++)
        need += rw->len[cols[k]] + 1;
    if (need > m->keybuf_cap) {
        m->keybuf_cap = need * 2;
        m->keybuf = xrealloc(m->keybuf, m->keybuf_cap);
    }
    char *p = m->keybuf;
    for (size_t k = 0; k < ncols; k++) {
        memcpy(p, rw->data[cols[k]], rw->len[cols[k]]);
        p += rw->len[cols[k]];
        *p++ = '\0';
    }
    m->keybuf_len = need;
}

/* Maps the current record of R to RW; -1 after a message if it has more
   fields than the header.  Fields missing at the end of a short row are
   empty.  */
static int
build_row(const merger *m, const input *in, csv_reader *r, row *rw)
{
    size_t nf = csv_nfields(r);
    if (nf > in->ncols) {
        cli_warn_at(in->name, csv_record_line(r), "row has %zu fields, the header has %zu", nf,
                    in->ncols);
        return -1;
    }
    for (size_t c = 0; c < m->nout; c++) {
        rw->data[c] = "";
        rw->len[c] = 0;
    }
    csv_fields(r, in->fields, in->lens, nf);
    for (size_t f = 0; f < nf; f++) {
        size_t col = in->to_output[f];
        rw->data[col] = in->fields[f];
        rw->len[col] = in->lens[f];
    }
    return 0;
}

typedef int (*row_fn)(merger *m, row *rw, uint64_t seq);

static int scan_row(merger *m, row *rw, uint64_t seq);

/* Loads the --join lookup tables: every input after the first.  Rows with
   the same join key are merged, later non-empty fields winning.  */
static int
load_join_tables(merger *m)
{
    for (size_t i = 1; i < m->ninputs; i++) {
        input *in = &m->inputs[i];
        if (in->absent)
            continue;
        csv_reader *r = open_input(in);
        if (r == NULL)
            return -1;
        int status;
        csv_read(r); /* the header, already checked */
        while ((status = csv_read(r)) > 0) {
            if (build_row(m, in, r, &m->scratch) != 0) {
                csv_reader_close(r);
                return -1;
            }
            make_key(m, &m->scratch, m->join_cols, m->njoin);
            int created;
            strmap_entry *e = strmap_upsert(&m->join_table, m->keybuf, m->keybuf_len, &created);
            if (created) {
                join_entry *j = xcalloc(1, sizeof *j);
                j->row = keep_row(m, &m->scratch, 0);
                j->file = in->name;
                j->line = csv_record_line(r);
                e->value = j;
            } else {
                join_entry *j = e->value;
                row_from_kept(&m->merged, j->row, m->nout);
                for (size_t c = 0; c < m->nout; c++) {
                    if (m->scratch.len[c] > 0) {
                        m->merged.data[c] = m->scratch.data[c];
                        m->merged.len[c] = m->scratch.len[c];
                    }
                }
                kept_row *k = keep_row(m, &m->merged, 0);
                free(j->row);
                j->row = k;
            }
        }
        if (status < 0) {
            cli_warn_at(in->name, csv_record_line(r), "%s", csv_reader_error(r));
            csv_reader_close(r);
            return -1;
        }
        csv_reader_close(r);
    }
    return 0;
}

/* Calls FN on every output row before de-duplication, in order: the rows
   of the inputs (only the first with --join, its rows filled from the
   lookup tables).  */
static int
for_each_row(merger *m, row_fn fn)
{
    uint64_t seq = 0;
    size_t nprimary = m->njoin ? 1 : m->ninputs;
    for (size_t i = 0; i < nprimary; i++) {
        input *in = &m->inputs[i];
        if (in->absent)
            continue;
        csv_reader *r = open_input(in);
        if (r == NULL)
            return -1;
        unsigned long long nrows = 0;
        int status = csv_read(r); /* the header, already checked */
        while (status >= 0 && (status = csv_read(r)) > 0) {
            nrows++;
            if (build_row(m, in, r, &m->scratch) != 0) {
                csv_reader_close(r);
                return -1;
            }
            if (m->njoin) {
                make_key(m, &m->scratch, m->join_cols, m->njoin);
                strmap_entry *e = strmap_find(&m->join_table, m->keybuf, m->keybuf_len);
                if (e != NULL) {
                    join_entry *j = e->value;
                    fill_empty(&m->scratch, j->row, m->nout);
                    j->used = true;
                }
            }
            apply_set(m, &m->scratch);
            m->row_file = in->name;
            m->row_line = csv_record_line(r);
            if ((fn == scan_row && check_time(m, &m->scratch) != 0) ||
                fn(m, &m->scratch, seq++) != 0) {
                csv_reader_close(r);
                return -1;
            }
        }
        if (status < 0) {
            cli_warn_at(in->name, csv_record_line(r), "%s", csv_reader_error(r));
            csv_reader_close(r);
            return -1;
        }
        csv_reader_close(r);
        /* Both passes read the same bytes of the same open file, so only a
           write into the middle of it can change what they see.  */
        if (fn == scan_row) {
            in->nrows = nrows;
        } else if (nrows != in->nrows) {
            cli_warn("%s: the file changed while it was being read", in->name);
            return -1;
        }
    }
    /* A lookup row that matches no primary row has nothing to fill: it is
       left out, and said so once, so that nothing is lost unseen.  */
    if (fn == scan_row) {
        for (size_t e = 0; e < m->join_table.count; e++) {
            join_entry *j = m->join_table.entries[e].value;
            if (!j->used)
                cli_warn_at(j->file, j->line, "no row of %s has this row's %s; row left out",
                            m->inputs[0].name, m->join_spec);
        }
    }
    return 0;
}

/* The fingerprint of the key in m->keybuf: never 0, lowest bit clear.  */
static uint64_t
key_fingerprint(const merger *m)
{
    return (hash_bytes(m->keybuf, m->keybuf_len, 0) & ~(uint64_t)FP_REPEATED) | 2;
}

static fp_slot *
find_slot(fp_slot *slots, size_t nslots, uint64_t fingerprint)
{
    size_t s = (fingerprint >> 2) & (nslots - 1);
    while (slots[s] != 0 && (slots[s] & ~(uint64_t)FP_REPEATED) != fingerprint)
        s = (s + 1) & (nslots - 1);
    return &slots[s];
}

static void
grow_slots(merger *m)
{
    fp_slot *old = m->slots;
    size_t nold = m->nslots;
    m->nslots = nold ? nold * 2 : 1024;
    m->slots = xcalloc(m->nslots, sizeof *m->slots);
    for (size_t s = 0; s < nold; s++)
        if (old[s] != 0)
            *find_slot(m->slots, m->nslots, old[s] & ~(uint64_t)FP_REPEATED) = old[s];
    free(old);
}

static void
count_series_point(merger *m, const row *rw)
{
    make_key(m, rw, m->series_cols, m->nseries);
    strmap_entry *e = strmap_upsert(&m->series_total, m->keybuf, m->keybuf_len, NULL);
    e->value = (void *)((uintptr_t)e->value + 1);
}

/* Pass 1: find the keys that repeat and keep their later rows.  */
static int
scan_row(merger *m, row *rw, uint64_t seq)
{
    if (m->nkey == 0) {
        if (m->keep > 0)
            count_series_point(m, rw);
        return 0;
    }
    make_key(m, rw, m->key_cols, m->nkey);
    uint64_t fingerprint = key_fingerprint(m);
    if ((m->nused + 1) * 2 > m->nslots)
        grow_slots(m);
    fp_slot *slot = find_slot(m->slots, m->nslots, fingerprint);
    if (*slot == 0) {
        *slot = fingerprint;
        m->nused++;
        if (m->keep > 0)
            count_series_point(m, rw);
        return 0;
    }
    *slot |= FP_REPEATED;
    strmap_entry *e = strmap_upsert(&m->repeats, m->keybuf, m->keybuf_len, NULL);
    repeat_group *g = e->value;
    if (g == NULL)
        g = e->value = xcalloc(1, sizeof *g);
    kept_row *k = keep_row(m, rw, seq);
    if (g->last)
        g->last->next = k;
    else
        g->first = k;
    g->last = k;
    return 0;
}

static void
write_row(merger *m, const row *rw)
{
    for (size_t c = 0; c < m->nout; c++)
        csv_write_field(&m->writer, rw->data[c], rw->len[c]);
    csv_write_end(&m->writer);
}

/* --keep: false for the points of a series older than its newest N.  */
static bool
within_keep(merger *m, const row *rw)
{
    if (m->keep <= 0)
        return true;
    make_key(m, rw, m->series_cols, m->nseries);
    strmap_entry *total = strmap_find(&m->series_total, m->keybuf, m->keybuf_len);
    strmap_entry *done = strmap_upsert(&m->series_written, m->keybuf, m->keybuf_len, NULL);
    uintptr_t n = (uintptr_t)done->value + 1;
    done->value = (void *)n;
    uintptr_t all = total ? (uintptr_t)total->value : 0;
    return all <= (uintptr_t)m->keep || n > all - (uintptr_t)m->keep;
}

/* After pass 1 only the repeated fingerprints matter, and they are few:
   a small table of them stays in the cache, where the table of every key
   would miss it on nearly every row.  */
static void
collect_repeated(merger *m)
{
    size_t nrepeated = 0;
    for (size_t s = 0; s < m->nslots; s++)
        nrepeated += (m->slots[s] & FP_REPEATED) != 0;
    size_t nslots = 16;
    while (nslots < nrepeated * 2)
        nslots *= 2;
    fp_slot *small = xcalloc(nslots, sizeof *small);
    for (size_t s = 0; s < m->nslots; s++)
        if (m->slots[s] & FP_REPEATED)
            *find_slot(small, nslots, m->slots[s] & ~(uint64_t)FP_REPEATED) = m->slots[s];
    free(m->slots);
    m->slots = small;
    m->nslots = nslots;
}

static bool
is_repeated(merger *m, uint64_t fingerprint)
{
    return *find_slot(m->slots, m->nslots, fingerprint) != 0;
}

/* Pass 2: write each key once, at its first position, merged.  */
static int
emit_row(merger *m, row *rw, uint64_t seq)
{
    if (m->nkey == 0) {
        if (within_keep(m, rw))
            write_row(m, rw);
        return 0;
    }
    make_key(m, rw, m->key_cols, m->nkey);
    if (!is_repeated(m, key_fingerprint(m))) {
        if (within_keep(m, rw))
            write_row(m, rw);
        return 0;
    }
    strmap_entry *e = strmap_find(&m->repeats, m->keybuf, m->keybuf_len);
    repeat_group *g = e ? e->value : NULL;
    if (g != NULL && g->written)
        return 0;
    bool keep = within_keep(m, rw);
    for (size_t c = 0; c < m->nout; c++) {
        m->merged.data[c] = rw->data[c];
        m->merged.len[c] = rw->len[c];
    }
    if (g != NULL) {
        for (kept_row *k = g->first; k != NULL; k = k->next)
            if (k->seq > seq)
                overlay(&m->merged, k, m->nout);
        g->written = true;
        /* Each row was checked, but a merged one takes fields from
           several: a new estimate with an old interval would make a
           history that csv-merge itself refuses to read back.  */
        if (check_time(m, &m->merged) != 0)
            return -1;
    }
    if (keep)
        write_row(m, &m->merged);
    return 0;
}

static void
write_header(merger *m)
{
    for (size_t c = 0; c < m->nout; c++)
        csv_write_string(&m->writer, m->out_names[c]);
    csv_write_end(&m->writer);
}

static void
free_kept_list(kept_row *k)
{
    while (k != NULL) {
        kept_row *next = k->next;
        free(k);
        k = next;
    }
}

static void
merger_free(merger *m)
{
    for (size_t i = 0; i < m->ninputs; i++) {
        free(m->inputs[i].to_output);
        free(m->inputs[i].fields);
        free(m->inputs[i].lens);
        if (m->inputs[i].fd >= 0)
            close(m->inputs[i].fd);
    }
    free(m->inputs);
    for (size_t c = 0; c < m->nout; c++)
        free(m->out_names[c]);
    free(m->out_names);
    strmap_free(&m->out_index);
    free(m->key_cols);
    free(m->join_cols);
    free(m->set_out_cols);
    free(m->set_columns);
    free(m->set_values);
    for (size_t e = 0; e < m->join_table.count; e++) {
        join_entry *j = m->join_table.entries[e].value;
        free(j->row);
        free(j);
    }
    strmap_free(&m->join_table);
    for (size_t e = 0; e < m->repeats.count; e++) {
        repeat_group *g = m->repeats.entries[e].value;
        free_kept_list(g->first);
        free(g);
    }
    strmap_free(&m->repeats);
    strmap_free(&m->series_total);
    strmap_free(&m->series_written);
    free(m->slots);
    row_free(&m->scratch);
    row_free(&m->merged);
    free(m->keybuf);
    free_names(&m->key_names);
    free_names(&m->join_names);
}

static int
run(merger *m)
{
    if (read_headers(m) != 0)
        return EXIT_BAD_INPUT;
    row_init(&m->scratch, m->nout);
    row_init(&m->merged, m->nout);
    strmap_init(&m->repeats);
    strmap_init(&m->series_total);
    strmap_init(&m->series_written);
    strmap_init(&m->join_table);

    if (m->njoin && load_join_tables(m) != 0)
        return EXIT_BAD_INPUT;

    /* Pass 1 also validates every row, so a bad input is found before a
       byte of output is written.  */
    if (for_each_row(m, scan_row) != 0)
        return EXIT_BAD_INPUT;

    if (m->nkey > 0)
        collect_repeated(m);

    FILE *fp = m->output_path != NULL ? m->out.fp : stdout;
    static char outbuf[1 << 20];
    setvbuf(fp, outbuf, _IOFBF, sizeof outbuf);
    csv_writer_init(&m->writer, fp);
    write_header(m);
    if (for_each_row(m, emit_row) != 0)
        return EXIT_BAD_INPUT;
    if (m->output_path != NULL && atomic_file_commit(&m->out) != 0)
        return EXIT_BAD_INPUT;
    return EXIT_OK;
}

int
main(int argc, char **argv)
{
    merger m;
    memset(&m, 0, sizeof m);
    cli_init("csv-merge");

    int opt;
    while ((opt = cli_getopt(argc, argv, "o:k:j:s:n:hV", long_options)) != -1) {
        switch (opt) {
        case 'o':
            if (*optarg == '\0')
                cli_usage_error("--output needs a file name");
            /* "-o -" is standard output, as an operand "-" is stdin.  */
            m.output_path = strcmp(optarg, "-") == 0 ? NULL : optarg;
            break;
        case 'k':
            free_names(&m.key_names);
            split_names(optarg, &m.key_names, "key");
            m.key_given = true;
            break;
        case 'j':
            free_names(&m.join_names);
            split_names(optarg, &m.join_names, "join");
            m.join_spec = optarg;
            if (m.join_names.count == 0)
                cli_usage_error("--join needs at least one column");
            break;
        case 's': {
            char *eq = strchr(optarg, '=');
            if (eq == NULL || eq == optarg)
                cli_usage_error("--set takes COL=VALUE, not '%s'", optarg);
            *eq = '\0';
            m.set_columns = xreallocarray(m.set_columns, m.nset + 1, sizeof *m.set_columns);
            m.set_values = xreallocarray(m.set_values, m.nset + 1, sizeof *m.set_values);
            m.set_columns[m.nset] = optarg;
            m.set_values[m.nset] = eq + 1;
            m.nset++;
            break;
        }
        case 'n':
            if (cli_parse_long(optarg, 1, LONG_MAX, &m.keep) != 0)
                cli_usage_error("--keep takes a whole number of at least 1, not '%s'", optarg);
            break;
        case 'h':
            print_help();
            return cli_finish(EXIT_OK);
        case 'V':
            cli_print_version();
            return cli_finish(EXIT_OK);
        }
    }

    static const char *const stdin_only[] = {"-"};
    const char *const *operands = (const char *const *)argv + optind;
    size_t noperands = (size_t)(argc - optind);
    if (noperands == 0) {
        operands = stdin_only;
        noperands = 1;
    }
    if (m.join_names.count > 0 && noperands < 2)
        cli_usage_error("--join needs a primary input and at least one more");

    m.inputs = xcalloc(noperands, sizeof *m.inputs);
    bool stdin_seen = false;
    for (size_t i = 0; i < noperands; i++) {
        input *in = &m.inputs[m.ninputs++];
        in->operand = operands[i];
        in->name = operands[i];
        in->fd = -1;
        if (strcmp(operands[i], "-") == 0) {
            if (stdin_seen)
                cli_usage_error("standard input named twice");
            stdin_seen = true;
        }
    }
    /* Open the inputs only once the command line is known good.  Standard
       input first: it may come from another writer of the -o file, which
       must be able to finish before we take the lock.  Then the lock (in
       atomic_file_open), and only then the other inputs, the target among
       them, so that what we read of the target is what we replace.  */
    int status = EXIT_OK;
    for (size_t i = 0; i < m.ninputs && status == EXIT_OK; i++)
        if (strcmp(m.inputs[i].operand, "-") == 0 &&
            prepare_input(&m.inputs[i], m.output_path) != 0)
            status = EXIT_BAD_INPUT;
    if (status == EXIT_OK && m.output_path != NULL && atomic_file_open(&m.out, m.output_path) != 0)
        status = EXIT_BAD_INPUT;
    for (size_t i = 0; i < m.ninputs && status == EXIT_OK; i++)
        if (strcmp(m.inputs[i].operand, "-") != 0 &&
            prepare_input(&m.inputs[i], m.output_path) != 0)
            status = EXIT_BAD_INPUT;

    if (status == EXIT_OK)
        status = run(&m);
    /* After a success the file is committed, and this does nothing.  */
    if (m.output_path != NULL)
        atomic_file_abort(&m.out);
    merger_free(&m);
    return cli_finish(status);
}
