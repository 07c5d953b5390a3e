/* bench-gate: the regression gate.  Judges the newest commit of a history
   CSV file (or any commit, or every one) series by series, and says what
   regressed: a lasting shift of the time beyond the noise of the series'
   own history, or any change of an exact count (allocations,
   instructions).  The statistics are in lib/gate.c.
   SPDX-License-Identifier: MIT */

#include <config.h>

#include "cli.h"
#include "csv.h"
#include "gate.h"
#include "numfmt.h"
#include "series.h"
#include "strmap.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* This program's exit statuses: 1 means that something regressed and
   nothing else, so a CI job can tell a regression from a broken input.  */
enum { EXIT_REGRESSED = 1, EXIT_ERROR = 2 };

enum { OPT_SINGLE = CHAR_MAX + 1 };

static const struct option long_options[] = {
    {"machine", required_argument, NULL, 'm'},
    {"commit", required_argument, NULL, 'c'},
    {"base", required_argument, NULL, 'b'},
    {"pr", no_argument, NULL, 'p'},
    {"threshold", required_argument, NULL, 't'},
    {"single-threshold", required_argument, NULL, OPT_SINGLE},
    {"alloc-threshold", required_argument, NULL, 'a'},
    {"instr-threshold", required_argument, NULL, 'i'},
    {"max-points", required_argument, NULL, 'n'},
    {"format", required_argument, NULL, 'f'},
    {"replay", no_argument, NULL, 'r'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

static void
usage(void)
{
    printf("Usage: %s [OPTION]... [FILE]\n", cli_program);
    fputs("Judge the newest commit of a history CSV FILE (standard input when none, or\n"
          "'-') series by series, and print a Markdown table of verdicts.\n"
          "\n"
          "  -m, --machine=ID          rows of this machine (default: the machine of the\n"
          "                              last row)\n"
          "  -c, --commit=C            judge commit C, ignoring the rows after it\n"
          "  -b, --base=C              judge the newest commit as one run against the\n"
          "                              history up to and including C (implies --pr)\n"
          "  -p, --pr                  the newest commit is one run (a pull request):\n"
          "                              only a single-point change can be found\n"
          "  -t, --threshold=PCT       least time shift of 2 or 3 points\n"
          "                              (default: 3)\n"
          "      --single-threshold=PCT  least time shift of a single point (default: 100)\n"
          "  -a, --alloc-threshold=PCT allocation growth allowed (default: 0)\n"
          "  -i, --instr-threshold=PCT instruction count change allowed (default: 0.5)\n"
          "  -n, --max-points=N        points in each text sparkline (default: 20)\n"
          "  -f, --format=FORMAT       markdown (default) or csv\n"
          "  -r, --replay              the verdicts of every commit, as CSV\n"
          "  -h, --help                display this help and exit\n"
          "  -V, --version             output version information and exit\n"
          "\n"
          "Verdicts: regressed, improved, suspect, ok, new, removed, no base value.\n"
          "Exit status: 0 nothing regressed, 1 something regressed, 2 error.\n"
          "See bench-gate(1).\n",
          stdout);
}

typedef struct options {
    const char *machine, *commit, *base;
    bool pr, replay, csv;
    double threshold, single_threshold, alloc_threshold, instr_threshold;
    long max_points;
} options;

/* What a series holds, and so how it is judged.  */
typedef enum kind {
    KIND_TIME,   /* statistics on log(value) */
    KIND_ALLOCS, /* exact: the allocs column of the bench's rows */
    KIND_INSTR   /* exact within --instr-threshold: unit instr */
} kind;

typedef struct point {
    size_t commit;
    double v; /* NaN: not measured */
    bool from_mean;
} point;

/* A series, (machine, bench, metric), and what judging it needs.  */
typedef struct gseries {
    const char *bench, *metric;
    kind kind;
    point *p;
    size_t n, cap;
    /* Filled by prepare(): the values of the points judged, their commits,
       and the verdict of each as of itself.  */
    double *val;
    size_t *vcommit, nval;
    double *x, *dev; /* time: log values (less the run effect), deviations */
    double *y;       /* time: x less its family's effect, or NULL */
    gate_result *res;
    bool *from_family; /* res[i] is the judgement of y, not of x */
    /* The walk over the commits: points and values before the current one.  */
    size_t pi, vi;
} gseries;

typedef struct machine {
    char *name;
    strmap commit_index; /* commit -> index + 1 */
    char **commits;
    size_t ncommits, commits_cap;
    strmap series_index; /* bench NUL kind metric -> series */
    gseries **series;
    size_t nseries, series_cap;
    double *effect; /* by commit: the run effect (log), taken out of time */
} machine;

typedef struct history {
    strmap machines; /* name -> machine */
    const char *last_machine;
} history;

static machine *
get_machine(history *h, const char *name, size_t len)
{
    strmap_entry *e = strmap_upsert(&h->machines, name, len, NULL);
    if (e->value == NULL) {
        machine *m = xcalloc(1, sizeof *m);
        m->name = xstrndup(name, len);
        strmap_init(&m->commit_index);
        strmap_init(&m->series_index);
        e->value = m;
    }
    h->last_machine = ((machine *)e->value)->name;
    return e->value;
}

static size_t
get_commit(machine *m, const char *c, size_t len)
{
    strmap_entry *e = strmap_upsert(&m->commit_index, c, len, NULL);
    if (e->value == NULL) {
        if (m->ncommits == m->commits_cap) {
            m->commits_cap = m->commits_cap ? 2 * m->commits_cap : 64;
            m->commits = xreallocarray(m->commits, m->commits_cap, sizeof *m->commits);
        }
        m->commits[m->ncommits++] = xstrndup(c, len);
        e->value = (void *)(uintptr_t)m->ncommits;
    }
    return (size_t)(uintptr_t)e->value - 1;
}

static gseries *
get_series(machine *m, const char *bench, size_t blen, kind k, const char *metric, size_t mlen)
{
    /* The key keeps the bench whole, NULs and all: bench, NUL, kind, metric.  */
    char small[256];
    char *key = blen + mlen + 2 <= sizeof small ? small : xmalloc(blen + mlen + 2);
    memcpy(key, bench, blen);
    key[blen] = '\0';
    key[blen + 1] = (char)('0' + k);
    memcpy(key + blen + 2, metric, mlen);
    strmap_entry *e = strmap_upsert(&m->series_index, key, blen + mlen + 2, NULL);
    if (e->value == NULL) {
        gseries *s = xcalloc(1, sizeof *s);
        s->bench = e->key;
        s->metric = k == KIND_ALLOCS ? "allocs" : e->key + blen + 2;
        s->kind = k;
        if (m->nseries == m->series_cap) {
            m->series_cap = m->series_cap ? 2 * m->series_cap : 64;
            m->series = xreallocarray(m->series, m->series_cap, sizeof *m->series);
        }
        m->series[m->nseries++] = s;
        e->value = s;
    }
    if (key != small)
        free(key);
    return e->value;
}

/* Adds a point; a repeated commit keeps the last row, except that the
   allocation count of a bench comes from its mean row when it has one,
   else from its first row (every metric's row repeats it).  */
static void
add_point(gseries *s, size_t commit, double v, bool from_mean)
{
    if (s->n > 0 && s->p[s->n - 1].commit == commit) {
        point *last = &s->p[s->n - 1];
        if (s->kind != KIND_ALLOCS || from_mean || (!last->from_mean && isnan(last->v)))
            *last = (point){commit, v, from_mean};
        return;
    }
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 16;
        s->p = xreallocarray(s->p, s->cap, sizeof *s->p);
    }
    s->p[s->n++] = (point){commit, v, from_mean};
}

/* Parses a value: true with NaN for an empty field (not measured).  */
static bool
parse_value(const char *text, size_t len, double *out)
{
    if (len == 0) {
        *out = NAN;
        return true;
    }
    return num_parse_double(text, out) && isfinite(*out);
}

enum { COL_COMMIT, COL_BENCH, COL_METRIC, COL_UNIT, COL_VALUE, COL_ALLOCS, COL_MACHINE, NCOLS };
static const char *const column_names[NCOLS] = {"commit", "bench",  "metric", "unit",
                                                "value",  "allocs", "machine"};

/* One record of the history.  Returns 0, or -1 after a message.  */
static int
read_record(history *h, csv_reader *r, const long *col, const char *name)
{
    size_t nf = csv_nfields(r);
    const char *v[NCOLS];
    size_t vl[NCOLS];
    for (int i = 0; i < NCOLS; i++) {
        v[i] = "";
        vl[i] = 0;
        if (col[i] >= 0 && (size_t)col[i] < nf)
            v[i] = csv_field(r, (size_t)col[i], &vl[i]);
    }
    machine *m = get_machine(h, v[COL_MACHINE], vl[COL_MACHINE]);
    if (vl[COL_COMMIT] == 0)
        return 0;
    size_t c = get_commit(m, v[COL_COMMIT], vl[COL_COMMIT]);
    unsigned long line = csv_record_line(r);
    double value, allocs;
    bool instr = strcmp(v[COL_UNIT], "instr") == 0;
    if (!parse_value(v[COL_VALUE], vl[COL_VALUE], &value) || value < 0 || (!instr && value == 0)) {
        cli_warn_at(name, line, "invalid value '%s': %s", v[COL_VALUE],
                    instr ? "not a count" : "not a positive time");
        return -1;
    }
    if (!parse_value(v[COL_ALLOCS], vl[COL_ALLOCS], &allocs) || allocs < 0) {
        cli_warn_at(name, line, "invalid allocs '%s': not a count", v[COL_ALLOCS]);
        return -1;
    }
    gseries *s = get_series(m, v[COL_BENCH], vl[COL_BENCH], instr ? KIND_INSTR : KIND_TIME,
                            v[COL_METRIC], vl[COL_METRIC]);
    add_point(s, c, value, false);
    if (col[COL_ALLOCS] >= 0) {
        gseries *a = get_series(m, v[COL_BENCH], vl[COL_BENCH], KIND_ALLOCS, "", 0);
        add_point(a, c, allocs, strcmp(v[COL_METRIC], "mean") == 0);
    }
    return 0;
}

static int
read_history(history *h, const char *path, const char **name)
{
    csv_reader *r = csv_reader_open(path, NULL);
    *name = path == NULL || strcmp(path, "-") == 0 ? "-" : path;
    if (r == NULL) {
        cli_warn("%s: %s", *name, strerror(errno));
        return -1;
    }
    csv_header hd;
    if (csv_header_read(r, &hd) != 0) {
        csv_reader_close(r);
        return -1;
    }
    long col[NCOLS];
    for (int i = 0; i < NCOLS; i++)
        col[i] = csv_header_find(&hd, column_names[i]);
    csv_header_free(&hd);
    int status = 0;
    static const int required[] = {COL_COMMIT, COL_BENCH, COL_VALUE};
    for (size_t i = 0; i < sizeof required / sizeof *required && status == 0; i++)
        if (col[required[i]] < 0) {
            cli_warn_at(*name, 1, "no %s column", column_names[required[i]]);
            status = -1;
        }
    int rd;
    while (status == 0 && (rd = csv_read(r)) > 0)
        status = read_record(h, r, col, *name);
    if (status == 0 && rd < 0) {
        cli_warn_at(*name, csv_record_line(r), "%s", csv_reader_error(r));
        status = -1;
    }
    csv_reader_close(r);
    return status;
}

static int
cmp_point(const void *a, const void *b)
{
    const point *x = a, *y = b;
    return (x->commit > y->commit) - (x->commit < y->commit);
}

/* Points in the order of their commits, one per commit: rows of a commit
   that come back after other commits' rows are rare, but the last still
   wins.  */
static void
order_points(gseries *s)
{
    bool sorted = true;
    for (size_t i = 1; i < s->n && sorted; i++)
        sorted = s->p[i - 1].commit < s->p[i].commit;
    if (sorted)
        return;
    /* qsort is not stable: the index breaks ties, so the last row wins.  */
    for (size_t i = 0; i < s->n; i++)
        s->p[i].commit = s->p[i].commit * s->n + i;
    qsort(s->p, s->n, sizeof *s->p, cmp_point);
    size_t out = 0;
    for (size_t i = 0; i < s->n; i++) {
        s->p[i].commit /= s->n;
        if (out > 0 && s->p[out - 1].commit == s->p[i].commit)
            out--;
        s->p[out++] = s->p[i];
    }
    s->n = out;
}

/* The verdicts of an exact series: any change beyond the thresholds, at
   the point where it happened.  */
static void
judge_exact(gseries *s, double up, double down)
{
    int last_dir = 0;
    size_t since_last = 0;
    double last_change = 0;
    for (size_t i = 0; i < s->nval; i++) {
        gate_result *r = &s->res[i];
        *r = (gate_result){.verdict = GATE_TOO_FEW, .base = NAN, .noise = NAN, .shift = NAN};
        if (i > 0) {
            double prev = s->val[i - 1];
            r->base = prev;
            r->verdict = gate_exact(prev, s->val[i], up, down);
            r->shift = prev > 0 ? (s->val[i] / prev - 1) * 100 : s->val[i] > 0 ? INFINITY : 0;
            if (r->verdict == GATE_REGRESSED || r->verdict == GATE_IMPROVED) {
                r->since = i;
                last_dir = r->verdict == GATE_REGRESSED ? 1 : -1;
                since_last = i;
                last_change = r->shift;
            }
        }
        r->last_dir = last_dir;
        r->since_last = since_last;
        r->last_shift = last_change;
    }
}

/* Keeps the points of the commits judged (INCLUDE, up to UPTO), and
   judges every value as of itself.  */
static void
prepare(gseries *s, const bool *include, size_t upto, const options *o, const gate_params *gp)
{
    size_t n = 0;
    for (size_t i = 0; i < s->n; i++)
        if (s->p[i].commit <= upto && include[s->p[i].commit])
            s->p[n++] = s->p[i];
    s->n = n;
    s->val = xreallocarray(NULL, n ? n : 1, sizeof *s->val);
    s->vcommit = xreallocarray(NULL, n ? n : 1, sizeof *s->vcommit);
    s->res = xreallocarray(NULL, n ? n : 1, sizeof *s->res);
    s->nval = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(s->p[i].v)) {
            s->vcommit[s->nval] = s->p[i].commit;
            s->val[s->nval++] = s->p[i].v;
        }
    if (s->kind == KIND_ALLOCS) {
        judge_exact(s, o->alloc_threshold, 0);
    } else if (s->kind == KIND_INSTR) {
        judge_exact(s, o->instr_threshold, o->instr_threshold);
    } else {
        s->x = xreallocarray(NULL, s->nval ? s->nval : 1, sizeof *s->x);
        s->dev = xreallocarray(NULL, s->nval ? s->nval : 1, sizeof *s->dev);
        for (size_t i = 0; i < s->nval; i++)
            s->x[i] = log(s->val[i]);
        gate_deviations(s->x, s->nval, gp, s->dev);
    }
}

/* For each run (commit), whether it and the series' previous run moved
   many time series the same way, net of the run effect (gate_shared).  */
static signed char *
shared_runs(const machine *m, const double *effect, const gate_params *gp)
{
    size_t *count = xcalloc(3 * (m->ncommits + 1), sizeof *count); /* up, down, all */
    for (size_t j = 0; j < m->nseries; j++) {
        const gseries *s = m->series[j];
        for (size_t i = 1; s->kind == KIND_TIME && i < s->nval; i++) {
            double a = s->dev[i - 1] - effect[s->vcommit[i - 1]];
            double b = s->dev[i] - effect[s->vcommit[i]];
            if (isnan(a) || isnan(b))
                continue;
            size_t *c = count + 3 * s->vcommit[i];
            c[0] += a > gp->shared_min && b > gp->shared_min;
            c[1] += a < -gp->shared_min && b < -gp->shared_min;
            c[2]++;
        }
    }
    signed char *shared = xreallocarray(NULL, m->ncommits + 1, 1);
    for (size_t c = 0; c < m->ncommits; c++)
        shared[c] = (signed char)gate_shared(count[3 * c], count[3 * c + 1], count[3 * c + 2], gp);
    free(count);
    return shared;
}

/* The family of a bench: its name up to the last '/' ("bfs" for
   "bfs/1000"), or the whole name.  */
static size_t
family_len(const char *bench)
{
    const char *slash = strrchr(bench, '/');
    return slash != NULL ? (size_t)(slash - bench) : strlen(bench);
}

enum {
    FAMILY_LAG = 3,    /* the offsets are learnt from points before the newest three */
    FAMILY_SPAN = 24,  /* ...from up to this many of them */
    FAMILY_EVERY = 4,  /* ...and learnt again every this many commits */
    FAMILY_OTHERS = 8, /* at most this many other members are compared */
};

/* The usual offset of log value A from log value B (arrays by commit,
   NaN where not measured) as of commit T: the median of up to FAMILY_SPAN
   differences, ending FAMILY_LAG commits before T; NaN with fewer than 3.
   The callers learn it every FAMILY_EVERY commits, for speed: an offset
   is a slow thing.  */
static double
usual_offset(const double *a, const double *b, size_t stride, size_t t)
{
    double d[FAMILY_SPAN];
    size_t n = 0;
    for (size_t c = t >= FAMILY_LAG ? t - FAMILY_LAG + 1 : 0; c-- > 0 && n < FAMILY_SPAN;)
        if (!isnan(a[c * stride]) && !isnan(b[c * stride]))
            d[n++] = a[c * stride] - b[c * stride];
    return n < 3 ? NAN : gate_median(d, n);
}

/* Sets S->y of every time series that has a family (other series of the
   same metric whose benches share its family name): at each run, the
   median over the others of how far the series lies from each of them,
   beyond its usual offset.  Whatever moves the whole family (a runner
   that slows these benches, a change in code they share) cancels out;
   a change of this bench alone stands out of much less noise.  */
static void
family_effects(machine *m, const gate_params *gp)
{
    strmap groups;
    strmap_init(&groups);
    size_t *group = xcalloc(m->nseries + 1, sizeof *group), ngroups = 0;
    for (size_t j = 0; j < m->nseries; j++) {
        const gseries *s = m->series[j];
        if (s->kind != KIND_TIME)
            continue;
        size_t blen = family_len(s->bench), mlen = strlen(s->metric);
        char *key = xmalloc(blen + mlen + 1);
        memcpy(key, s->bench, blen);
        key[blen] = '\0';
        memcpy(key + blen + 1, s->metric, mlen);
        strmap_entry *e = strmap_upsert(&groups, key, blen + mlen + 1, NULL);
        if (e->value == NULL)
            e->value = (void *)++ngroups;
        group[j] = (size_t)e->value - 1;
        free(key);
    }
    strmap_free(&groups);
    /* The members of each group, in order of first appearance.  */
    size_t *count = xcalloc(ngroups + 1, sizeof *count),
           *first = xcalloc(ngroups + 1, sizeof *first);
    for (size_t j = 0; j < m->nseries; j++)
        count[group[j]] += m->series[j]->kind == KIND_TIME;
    for (size_t g = 1; g < ngroups; g++)
        first[g] = first[g - 1] + count[g - 1];
    size_t *member = xreallocarray(NULL, m->nseries + 1, sizeof *member);
    size_t *fill = xcalloc(ngroups + 1, sizeof *fill);
    for (size_t j = 0; j < m->nseries; j++)
        if (m->series[j]->kind == KIND_TIME)
            member[first[group[j]] + fill[group[j]]++] = j;
    double *x = NULL, *usual = NULL, rel[FAMILY_OTHERS];
    size_t *learnt = NULL;
    for (size_t g = 0; g < ngroups; g++) {
        size_t k = count[g];
        if (k <= gp->min_family)
            continue;
        /* The log values of the members by commit.  */
        x = xreallocarray(x, m->ncommits * k, sizeof *x);
        for (size_t i = 0; i < m->ncommits * k; i++)
            x[i] = NAN;
        for (size_t c = 0; c < k; c++) {
            const gseries *s = m->series[member[first[g] + c]];
            for (size_t i = 0; i < s->nval; i++)
                x[s->vcommit[i] * k + c] = s->x[i];
        }
        /* The usual offsets of each pair, learnt as of commit LEARNT - 1.  */
        usual = xreallocarray(usual, k * k, sizeof *usual);
        learnt = xreallocarray(learnt, k * k, sizeof *learnt);
        for (size_t i = 0; i < k * k; i++)
            learnt[i] = SIZE_MAX;
        for (size_t c = 0; c < k; c++) {
            gseries *s = m->series[member[first[g] + c]];
            s->y = xreallocarray(NULL, s->nval ? s->nval : 1, sizeof *s->y);
            for (size_t i = 0; i < s->nval; i++) {
                size_t t = s->vcommit[i], n = 0, at = t - t % FAMILY_EVERY;
                for (size_t o = 0; o < k && n < FAMILY_OTHERS; o++) {
                    if (o == c || isnan(x[t * k + o]))
                        continue;
                    if (learnt[c * k + o] != at) {
                        usual[c * k + o] = usual_offset(x + c, x + o, k, at);
                        learnt[c * k + o] = at;
                    }
                    double usual_co = usual[c * k + o];
                    if (!isnan(usual_co))
                        rel[n++] = x[t * k + c] - x[t * k + o] - usual_co;
                }
                /* Too few others to tell: the point lies where it usually does.  */
                s->y[i] = n < gp->min_family ? 0 : gate_median(rel, n);
            }
        }
    }
    free(learnt);
    free(usual);
    free(x);
    free(fill);
    free(member);
    free(first);
    free(count);
    free(group);
}

/* Keeps a change found against the family only where the series itself
   moved that way by half as much (and by the least shift): when most of
   a family gets faster, a member that stayed where it was is not slower.  */
static void
confirm_own(const gseries *s, gate_result *fres, const gate_params *gp)
{
    for (size_t i = 0; i < s->nval; i++) {
        gate_result *r = &fres[i];
        if (r->verdict != GATE_REGRESSED && r->verdict != GATE_IMPROVED)
            continue;
        int dir = r->verdict == GATE_REGRESSED ? 1 : -1;
        double newer[3];
        size_t n = i + 1 - r->since; /* the points of the change: 1 to 3 */
        memcpy(newer, s->x + r->since, n * sizeof *newer);
        double own = (gate_median(newer, n) - gate_reference(s->x, 0, r->since, gp)) * dir;
        if (!(own >= r->shift * dir / 2 && own > gp->min_shift))
            r->verdict = GATE_OK;
    }
}

/* Takes the effect of each run (commit) out of every time series, then
   judges them.  */
static void
judge_time(machine *m, bool single_last, const gate_params *gp)
{
    size_t *start = xcalloc(m->ncommits + 1, sizeof *start);
    for (size_t j = 0; j < m->nseries; j++)
        for (size_t i = 0; m->series[j]->kind == KIND_TIME && i < m->series[j]->nval; i++)
            start[m->series[j]->vcommit[i] + 1]++;
    for (size_t c = 0; c < m->ncommits; c++)
        start[c + 1] += start[c];
    double *dev = xreallocarray(NULL, start[m->ncommits] + 1, sizeof *dev);
    size_t *fill = xreallocarray(NULL, m->ncommits + 1, sizeof *fill);
    memcpy(fill, start, m->ncommits * sizeof *fill);
    for (size_t j = 0; j < m->nseries; j++)
        for (size_t i = 0; m->series[j]->kind == KIND_TIME && i < m->series[j]->nval; i++)
            dev[fill[m->series[j]->vcommit[i]]++] = m->series[j]->dev[i];
    double *effect = xreallocarray(NULL, m->ncommits + 1, sizeof *effect);
    for (size_t c = 0; c < m->ncommits; c++)
        effect[c] = gate_run_effect(dev + start[c], start[c + 1] - start[c], gp);
    signed char *shared = shared_runs(m, effect, gp);
    signed char *flags = xreallocarray(NULL, start[m->ncommits] + 1, 1);
    for (size_t j = 0; j < m->nseries; j++) {
        gseries *s = m->series[j];
        if (s->kind != KIND_TIME)
            continue;
        for (size_t i = 0; i < s->nval; i++)
            s->x[i] -= effect[s->vcommit[i]];
    }
    family_effects(m, gp);
    gate_result *fres = xreallocarray(NULL, start[m->ncommits] + 1, sizeof *fres);
    for (size_t j = 0; j < m->nseries; j++) {
        gseries *s = m->series[j];
        if (s->kind != KIND_TIME)
            continue;
        for (size_t i = 0; i < s->nval; i++)
            flags[i] = shared[s->vcommit[i]];
        gate_replay(s->x, s->nval, single_last, flags, gp, s->res);
        if (s->y != NULL) {
            gate_replay(s->y, s->nval, single_last, flags, gp, fres);
            confirm_own(s, fres, gp);
        }
        s->from_family = xreallocarray(NULL, s->nval ? s->nval : 1, sizeof *s->from_family);
        gate_merge(s->res, s->y != NULL ? fres : NULL, s->nval, FAMILY_SPAN, s->from_family);
    }
    free(fres);
    free(flags);
    free(shared);
    m->effect = effect;
    free(fill);
    free(dev);
    free(start);
}

typedef enum verdict {
    V_REGRESSED,
    V_IMPROVED,
    V_SUSPECT,
    V_OK,
    V_NEW,
    V_REMOVED,
    V_NOBASE,
    NVERDICTS
} verdict;

static const char *const verdict_names[NVERDICTS] = {"regressed", "improved", "suspect",      "ok",
                                                     "new",       "removed",  "no base value"};

/* One line of the table.  Numbers are NaN when there is none.  */
typedef struct row {
    const gseries *s;
    verdict v;
    const char *since;
    double base, value, change, noise; /* change and noise in percent */
    char note[160];
    const double *spark; /* the values up to this commit */
    size_t nspark;
} row;

static void
note_past(row *w, const machine *m, const gseries *s, const gate_result *r)
{
    if (r->last_dir == 0)
        return;
    double pct = s->kind == KIND_TIME ? (exp(r->last_shift) - 1) * 100 : r->last_shift;
    snprintf(w->note, sizeof w->note, "%s since %s, %+.0f %%",
             r->last_dir > 0 ? "regressed" : "improved", m->commits[s->vcommit[r->since_last]],
             pct);
}

/* The verdict of value I of S (at its commit).  */
static void
judge_row(row *w, const machine *m, const gseries *s, size_t i, const gate_params *gp)
{
    const gate_result *r = &s->res[i];
    bool time = s->kind == KIND_TIME;
    bool family = time && s->from_family[i];
    /* A judgement against the family has its reference in offsets from
       the others; in the series' own terms it is where the series would
       be at its usual offsets.  */
    w->base = family ? exp(s->x[i] - (s->y[i] - r->base)) : time ? exp(r->base) : r->base;
    w->noise = time ? r->noise * 100 : NAN;
    if (time)
        w->change = (exp((family ? s->y : s->x)[i] - r->base) - 1) * 100; /* after the run effect */
    else if (w->base > 0)
        w->change = (w->value / w->base - 1) * 100;
    else if (!isnan(w->base))
        w->change = w->value > 0 ? INFINITY : 0;
    switch (r->verdict) {
    case GATE_REGRESSED:
    case GATE_IMPROVED:
        w->v = r->verdict == GATE_REGRESSED ? V_REGRESSED : V_IMPROVED;
        w->since = m->commits[s->vcommit[r->since]];
        if (time)
            snprintf(w->note, sizeof w->note, "shift %+.1f %% over %zu point%s, noise %.1f %%%s",
                     (exp(r->shift) - 1) * 100, r->points, r->points == 1 ? "" : "s", w->noise,
                     family ? ", against its family" : "");
        else
            snprintf(w->note, sizeof w->note, "exact count");
        break;
    case GATE_SUSPECT:
        w->v = V_SUSPECT;
        snprintf(w->note, sizeof w->note, "one point beyond %g x noise (%.1f %%), not confirmed",
                 gp->z_suspect, w->noise);
        break;
    case GATE_TOO_FEW:
        w->v = V_OK;
        snprintf(w->note, sizeof w->note, "too few points for a verdict");
        note_past(w, m, s, r); /* the change that started this level, rather */
        break;
    case GATE_OK:
        w->v = V_OK;
        note_past(w, m, s, r);
        break;
    }
}

/* The row of S at commit C (PREV: the commit judged before it, or
   SIZE_MAX); false when S has none there.  S->pi and S->vi walk the
   commits in order.  */
static bool
make_row(row *w, const machine *m, gseries *s, size_t c, size_t prev, const gate_params *gp)
{
    while (s->pi < s->n && s->p[s->pi].commit < c)
        s->vi += !isnan(s->p[s->pi++].v);
    *w = (row){.s = s, .base = NAN, .value = NAN, .change = NAN, .noise = NAN};
    size_t i = s->vi;
    if (!(s->pi < s->n && s->p[s->pi].commit == c && !isnan(s->p[s->pi].v))) {
        if (i == 0 || prev == SIZE_MAX || s->vcommit[i - 1] != prev)
            return false;
        w->v = V_REMOVED;
        w->base = s->val[i - 1];
        w->spark = s->val;
        w->nspark = i;
        return true;
    }
    w->value = s->val[i];
    w->spark = s->val;
    w->nspark = i + 1;
    if (s->pi == 0)
        w->v = V_NEW;
    else if (i == 0)
        w->v = V_NOBASE;
    else
        judge_row(w, m, s, i, gp);
    return true;
}

/* Text in a Markdown table cell: no HTML, no cell breaks, no code spans.  */
static void
md_write(const char *s)
{
    for (; *s != '\0'; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '&')
            fputs("&amp;", stdout);
        else if (ch == '<')
            fputs("&lt;", stdout);
        else if (ch == '>')
            fputs("&gt;", stdout);
        else if (ch == '|')
            fputs("\\|", stdout);
        else if (ch == '`')
            fputs("'", stdout);
        else if (ch < 0x20 || ch == 0x7f)
            putchar(' ');
        else
            putchar(ch);
    }
}

/* 100.00 ns, 1.50 μs (U+03BC, as badge and sparkline write it), 2.00 ms.  */
static void
md_value(double v, kind k)
{
    if (isnan(v))
        return;
    if (k != KIND_TIME) {
        printf("%.*f", v == floor(v) && fabs(v) < 1e15 ? 0 : 1, v);
        return;
    }
    if (v < 1e3)
        printf("%.2f ns", v);
    else if (v < 1e6)
        printf("%.2f \xCE\xBCs", v / 1e3);
    else if (v < 1e9)
        printf("%.2f ms", v / 1e6);
    else
        printf("%.2f s", v / 1e9);
}

static void
md_row(const row *w, long max_points)
{
    fputs("| ", stdout);
    md_write(w->s->bench);
    fputs(" | ", stdout);
    md_write(w->s->metric);
    fputs(" | ", stdout);
    md_value(w->base, w->s->kind);
    fputs(" | ", stdout);
    md_value(w->value, w->s->kind);
    fputs(" | ", stdout);
    if (isinf(w->change))
        fputs("+inf", stdout);
    else if (!isnan(w->change))
        printf("%+.1f%%", w->change);
    if (w->v == V_REGRESSED)
        printf(" | **%s** | ", verdict_names[w->v]);
    else
        printf(" | %s | ", verdict_names[w->v]);
    if (w->since != NULL)
        md_write(w->since);
    fputs(" | ", stdout);
    if (w->nspark > 0) {
        size_t n = w->nspark < (size_t)max_points ? w->nspark : (size_t)max_points;
        char *line = xmalloc(3 * n + 1);
        series_spark_text(w->spark + w->nspark - n, n, false, 0, false, 0, line);
        fputs(line, stdout);
        free(line);
    }
    fputs(" | ", stdout);
    md_write(w->note);
    fputs(" |\n", stdout);
}

/* V in CSV: empty when NaN, else with DIGITS decimals (significant
   digits when SIGNIFICANT), or in shortest round-trip form when DIGITS is
   negative.  */
static void
csv_number(csv_writer *cw, double v, int digits, bool significant)
{
    char buf[NUM_BUFSIZE + 16];
    if (isnan(v))
        buf[0] = '\0';
    else if (isinf(v))
        snprintf(buf, sizeof buf, "%s", v > 0 ? "inf" : "-inf");
    else if (digits < 0)
        num_format_double(v, buf);
    else if (significant)
        snprintf(buf, sizeof buf, "%.*g", digits, v);
    else
        snprintf(buf, sizeof buf, "%.*f", digits, v);
    csv_write_string(cw, buf);
}

static void
csv_row(csv_writer *cw, const char *commit, const row *w)
{
    if (commit != NULL)
        csv_write_string(cw, commit);
    csv_write_field(cw, w->s->bench, strlen(w->s->bench));
    csv_write_string(cw, w->s->metric);
    csv_write_string(cw, verdict_names[w->v]);
    csv_write_string(cw, w->since != NULL ? w->since : "");
    csv_number(cw, w->change, 2, false);
    /* A time's base is a median of logarithms, not a measured value.  */
    if (w->s->kind == KIND_TIME && w->v != V_REMOVED)
        csv_number(cw, w->base, 6, true);
    else
        csv_number(cw, w->base, -1, false);
    csv_number(cw, w->value, -1, false);
    csv_number(cw, w->noise, 2, false);
    csv_write_string(cw, w->note);
    csv_write_end(cw);
}

/* The Markdown report of commit N.  Returns the number of regressions.  */
static size_t
report_markdown(machine *m, size_t n, size_t prev, size_t base, const options *o,
                const gate_params *gp)
{
    fputs("### benchtrack: `", stdout);
    md_write(m->name);
    fputs("`\n\nCommit `", stdout);
    md_write(m->commits[n]);
    if (base != SIZE_MAX) {
        fputs("`, one run, judged against the history up to `", stdout);
        md_write(m->commits[base]);
        fputs("`: a single point fails only far beyond the noise.\n\n", stdout);
    } else if (o->pr) {
        fputs("`, one run, judged against the history before it: a single point fails only "
              "far beyond the noise.\n\n",
              stdout);
    } else {
        fputs("` judged against the history before it: time regresses on a lasting shift "
              "beyond the noise of each series.\n\n",
              stdout);
    }
    if (m->effect != NULL && fabs(m->effect[n]) >= 0.005)
        printf("This run was %+.1f %% on the median series, as a runner of another speed would "
               "be: the changes below are net of it.\n\n",
               (exp(m->effect[n]) - 1) * 100);
    puts("| bench | metric | base | new | change | verdict | since | trend | note |");
    puts("| --- | --- | ---: | ---: | ---: | --- | --- | --- | --- |");
    size_t count[NVERDICTS] = {0};
    for (size_t j = 0; j < m->nseries; j++) {
        row w;
        if (make_row(&w, m, m->series[j], n, prev, gp)) {
            count[w.v]++;
            md_row(&w, o->max_points);
        }
    }
    printf("\n%zu regressed, %zu improved, %zu suspect, %zu unchanged, %zu new, %zu removed",
           count[V_REGRESSED], count[V_IMPROVED], count[V_SUSPECT], count[V_OK], count[V_NEW],
           count[V_REMOVED]);
    if (count[V_NOBASE] > 0)
        printf(", %zu without a base value", count[V_NOBASE]);
    printf(" (time: a shift beyond the noise and %g%%, %g%% for a single point; allocations: "
           "%g%%).\n",
           o->threshold, o->single_threshold, o->alloc_threshold);
    return count[V_REGRESSED];
}

static const char *const csv_columns[] = {"bench", "metric", "verdict",   "since", "change_pct",
                                          "base",  "value",  "noise_pct", "note"};

static void
csv_header_out(csv_writer *cw, bool with_commit)
{
    if (with_commit)
        csv_write_string(cw, "commit");
    for (size_t i = 0; i < sizeof csv_columns / sizeof *csv_columns; i++)
        csv_write_string(cw, csv_columns[i]);
    csv_write_end(cw);
}

/* The CSV verdicts of the commits SEQ[FIRST..NSEQ) (with a commit column
   when REPLAY).  Returns the number of regressions.  */
static size_t
report_csv(machine *m, const size_t *seq, size_t nseq, size_t first, bool replay,
           const gate_params *gp)
{
    csv_writer cw;
    csv_writer_init(&cw, stdout);
    csv_header_out(&cw, replay);
    size_t regressed = 0;
    for (size_t k = first; k < nseq; k++)
        for (size_t j = 0; j < m->nseries; j++) {
            row w;
            if (make_row(&w, m, m->series[j], seq[k], k > 0 ? seq[k - 1] : SIZE_MAX, gp)) {
                regressed += w.v == V_REGRESSED;
                csv_row(&cw, replay ? m->commits[seq[k]] : NULL, &w);
            }
        }
    return regressed;
}

/* The newest commit of M that matches C (the same, or a prefix either
   way), searching from FROM down; SIZE_MAX when none.  */
static size_t
find_commit(const machine *m, const char *c, size_t from)
{
    size_t lc = strlen(c);
    for (size_t i = from + 1; i-- > 0;) {
        size_t li = strlen(m->commits[i]);
        size_t l = li < lc ? li : lc;
        if (l > 0 && memcmp(m->commits[i], c, l) == 0)
            return i;
    }
    return SIZE_MAX;
}

static double
parse_pct(const char *opt, const char *text)
{
    double v;
    if (!num_parse_double(text, &v) || !(v >= 0) || !isfinite(v))
        cli_usage_error("invalid --%s '%s': a percentage of at least 0", opt, text);
    return v;
}

static void
free_history(history *h)
{
    for (size_t i = 0; i < h->machines.count; i++) {
        machine *m = h->machines.entries[i].value;
        for (size_t j = 0; j < m->nseries; j++) {
            gseries *s = m->series[j];
            free(s->p);
            free(s->val);
            free(s->vcommit);
            free(s->res);
            free(s->x);
            free(s->dev);
            free(s->y);
            free(s->from_family);
            free(s);
        }
        for (size_t j = 0; j < m->ncommits; j++)
            free(m->commits[j]);
        free(m->series);
        free(m->commits);
        free(m->effect);
        strmap_free(&m->series_index);
        strmap_free(&m->commit_index);
        free(m->name);
        free(m);
    }
    strmap_free(&h->machines);
}

/* The commit judged (*N) and, with --base, the last commit of the history
   it is judged against (*BASE, else SIZE_MAX).  Returns 0, or -1 after a
   message.  */
static int
choose_commits(const machine *m, const options *o, const char *name, size_t *n, size_t *base)
{
    *n = m->ncommits - 1;
    *base = SIZE_MAX;
    if (o->commit != NULL && (*n = find_commit(m, o->commit, *n)) == SIZE_MAX) {
        cli_warn_at(name, 0, "commit %s not found for machine %s", o->commit, m->name);
        return -1;
    }
    if (o->base == NULL)
        return 0;
    if (*n > 0)
        *base = find_commit(m, o->base, *n - 1);
    if (*base == SIZE_MAX && find_commit(m, o->base, *n) == *n) {
        cli_warn_at(name, 0, "the base %s is the commit judged: nothing to compare", o->base);
        return -1;
    }
    if (*base == SIZE_MAX)
        cli_warn_at(name, 0, "base commit %s not found; judging against the whole history",
                    o->base);
    return 0;
}

static int
judge(history *h, const options *o, const char *name)
{
    const char *mname = o->machine != NULL ? o->machine : h->last_machine;
    strmap_entry *e = mname != NULL ? strmap_find(&h->machines, mname, strlen(mname)) : NULL;
    machine *m = e != NULL ? e->value : NULL;
    if (m == NULL || m->ncommits == 0) {
        if (mname == NULL)
            cli_warn_at(name, 0, "no rows");
        else
            cli_warn_at(name, 0, "no rows for machine %s", mname);
        return EXIT_ERROR;
    }
    size_t n, base;
    if (choose_commits(m, o, name, &n, &base) != 0)
        return EXIT_ERROR;
    bool *include = xcalloc(m->ncommits, sizeof *include);
    size_t *seq = xreallocarray(NULL, m->ncommits, sizeof *seq);
    size_t nseq = 0;
    for (size_t c = 0; c <= n; c++)
        if (base == SIZE_MAX || c <= base || c == n) {
            include[c] = true;
            seq[nseq++] = c;
        }
    gate_params gp;
    gate_params_default(&gp);
    gp.min_shift = log1p(o->threshold / 100);
    gp.single_min = log1p(o->single_threshold / 100);
    bool single_last = o->pr || o->base != NULL;
    for (size_t j = 0; j < m->nseries; j++) {
        order_points(m->series[j]);
        prepare(m->series[j], include, n, o, &gp);
    }
    judge_time(m, single_last, &gp);
    size_t regressed;
    if (o->replay)
        regressed = report_csv(m, seq, nseq, 0, true, &gp);
    else if (o->csv)
        regressed = report_csv(m, seq, nseq, nseq - 1, false, &gp);
    else
        regressed = report_markdown(m, n, nseq > 1 ? seq[nseq - 2] : SIZE_MAX, base, o, &gp);
    free(include);
    free(seq);
    return regressed > 0 && !o->replay ? EXIT_REGRESSED : EXIT_OK;
}

int
main(int argc, char **argv)
{
    cli_init("bench-gate");
    options o = {.threshold = 3, .single_threshold = 100, .instr_threshold = 0.5, .max_points = 20};
    int c;
    while ((c = cli_getopt(argc, argv, "m:c:b:pt:a:i:n:f:rhV", long_options)) != -1) {
        switch (c) {
        case 'm':
            o.machine = optarg;
            break;
        case 'c':
            o.commit = optarg;
            break;
        case 'b':
            o.base = optarg;
            break;
        case 'p':
            o.pr = true;
            break;
        case 't':
            o.threshold = parse_pct("threshold", optarg);
            break;
        case OPT_SINGLE:
            o.single_threshold = parse_pct("single-threshold", optarg);
            break;
        case 'a':
            o.alloc_threshold = parse_pct("alloc-threshold", optarg);
            break;
        case 'i':
            o.instr_threshold = parse_pct("instr-threshold", optarg);
            break;
        case 'n':
            if (cli_parse_long(optarg, 1, 100000, &o.max_points) != 0)
                cli_usage_error("invalid --max-points '%s': a whole number of at least 1", optarg);
            break;
        case 'f':
            if (strcmp(optarg, "csv") != 0 && strcmp(optarg, "markdown") != 0)
                cli_usage_error("invalid --format '%s': markdown or csv", optarg);
            o.csv = strcmp(optarg, "csv") == 0;
            break;
        case 'r':
            o.replay = true;
            break;
        case 'h':
            usage();
            return cli_finish(EXIT_OK);
        case 'V':
            cli_print_version();
            return cli_finish(EXIT_OK);
        }
    }
    if (argc - optind > 1)
        cli_usage_error("extra operand '%s'", argv[optind + 1]);
    if (o.replay && (o.pr || o.base != NULL || o.commit != NULL))
        cli_usage_error("--replay judges every commit: no --pr, --base or --commit");
    if (o.base != NULL && o.base[0] == '\0')
        cli_usage_error("empty base commit");
    const char *path = optind < argc ? argv[optind] : NULL;
    history h = {0};
    strmap_init(&h.machines);
    const char *name;
    int status = read_history(&h, path, &name) != 0 ? EXIT_ERROR : judge(&h, &o, name);
    free_history(&h);
    /* A lost write is an error (2), never a regression (1).  */
    return cli_finish(EXIT_OK) != EXIT_OK ? EXIT_ERROR : status;
}
