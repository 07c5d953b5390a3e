/* series.h: the series sparkline and badge draw, read from history CSV
   files, and the text both print about them: value formats, the text
   sparkline, and file names for "-d DIR".
   SPDX-License-Identifier: MIT */

#ifndef BENCHTRACK_SERIES_H
#define BENCHTRACK_SERIES_H

#include "atomicbatch.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* What to read.  A series is (machine, bench, metric); rows are taken in
   file order, files in operand order.  */
typedef struct series_query {
    const char *metric;    /* rows whose "metric" is this (all when the file has no such column) */
    const char *machine;   /* NULL: any, as long as one series has one machine */
    const char *bench;     /* NULL: every bench */
    const char *fields[2]; /* the numeric columns to collect, e.g. "value", "allocs" */
    size_t nfields;
    bool field_required[2]; /* a file without the column is an error */
} series_query;

/* How the values of one field are to be read and shown.  */
typedef enum series_kind {
    SERIES_TIME,  /* unit ns: a duration */
    SERIES_COUNT, /* allocs...: a count */
    SERIES_OTHER  /* any other number */
} series_kind;

typedef struct series_field {
    double *v;        /* the values, in file order */
    const char **tag; /* the row's exact version tag, or NULL */
    size_t n, cap;
    const char *unit; /* the "unit" of the rows, NULL when none */
    series_kind kind;
} series_field;

typedef struct series {
    char *bench;
    char *shown;         /* the bench for messages: control bytes as '?' */
    const char *machine; /* the machine of its rows ("" when the file has none) */
    series_field f[2];   /* as series_query.fields */
} series;

typedef struct series_set {
    series **items; /* in order of first appearance */
    size_t count, cap;
    void *priv;
} series_set;

/* Reads the FILES (NFILES 0: standard input; "-" too) into SET.  Returns
   0, or -1 after printing "prog: FILE:LINE: message" (a CSV error, a
   missing column, a value that is not a number, a time that is not
   positive, a negative count, a series from two machines).  Empty
   fields are points not measured and are left out.  */
int series_read(series_set *set, const series_query *q, char *const *files, size_t nfiles);

void series_set_free(series_set *set);

/* True when VERSION is an exact release tag such as "v0.4.1" or
   "v2.0.0-rc.1": a 'v', a digit, then letters, digits and ".-+_", and not
   the "-N-gHEX" tail that git describe adds after a tag.  */
bool series_is_exact_tag(const char *version);

/* Value formats of the Python original (sizes are for their buffers).  */
enum { SERIES_FMT_SIZE = 48 };
/* 283.70 ms, 12.3 ns, 1.50 μs (U+03BC), 2.00 s  */
char *series_format_time(double ns, char buf[SERIES_FMT_SIZE]);
/* 950, 1.2K, 3.4M, 1.0B  */
char *series_format_count(double n, char buf[SERIES_FMT_SIZE]);
/* 94.0, 12.35K, 1.50M: operations per second  */
char *series_format_rate(double n, char buf[SERIES_FMT_SIZE]);
/* Any other number: %.3g below 1000, else as a rate.  */
char *series_format_other(double n, char buf[SERIES_FMT_SIZE]);

/* The eight bars of a text sparkline for the N values, 3 bytes of UTF-8
   each, NUL-terminated, into OUT (room for 3 * N + 1).  Integers (all
   values and bounds whole, below 2^40 in magnitude) scale exactly as
   holman/spark does; other values by floor(7 * (v - lo) / (hi - lo)), a
   value within 1e-9 of a step counting as reaching it.  LO/HI are the
   bounds when HAVE_LO/HAVE_HI, else the data's minimum and maximum; values
   outside are clamped.  Constant data draws every value as the fifth bar,
   as spark does.  A higher value is a higher bar: given times or counts,
   up is worse, as in the SVG sparklines.  */
void series_spark_text(const double *v, size_t n, bool have_lo, double lo, bool have_hi, double hi,
                       char *out);

/* File names for -d DIR: one per bench, made of the bench with '/' and
   '\' turned to '_' as the original did, and every other byte outside
   [A-Za-z0-9._-] (and a leading '.') turned to '_', cut to a length that
   leaves room for the longest suffix.  Names that clash (compared without
   case, as on case-insensitive file systems) keep the plain name for the
   bench seen first and get "-2", "-3"... in order of appearance; each
   such change is reported on stderr.  Returns COUNT malloc'd names.  */
char **series_file_names(char *const *benches, size_t count);

/* Creates DIR and its missing parents.  Returns 0, or -1 after a message.  */
int series_make_dir(const char *dir);

/* The two kinds of chart "-d DIR" writes for a bench: its time series
   (column value) and, where it has one, its allocation series (allocs).  */
enum { SERIES_CHART_TIME, SERIES_CHART_ALLOCS };

/* Writes one chart of -d DIR: series S, field S->f[WHICH] of column
   COLUMN, into DIR with the file name NAME (add the suffix) through
   series_write_file.  Returns 0, or -1 after a message.  */
typedef int (*series_chart_fn)(atomic_batch *batch, const char *dir, const char *name,
                               const series *s, int which, const char *column, void *ctx);

/* The whole of "-d DIR": reads the FILES, then calls CHART for every
   bench's time series and every allocation series, writing all the files
   as one batch.  METRIC, MACHINE and BENCH select as in series_query.
   Returns an exit status (0, or 1 after a message).  */
int series_draw_directory(const char *metric, const char *machine, const char *bench,
                          const char *dir, char *const *files, size_t nfiles,
                          series_chart_fn chart, void *ctx);

/* Reads the one series a chart on standard output draws: column FIELD
   of BENCH (which may be NULL when the files hold one bench).  Returns
   it, or NULL after a message; SET holds it and must be freed either way.  */
const series *series_read_single(series_set *set, const char *metric, const char *machine,
                                 const char *bench, const char *field, char *const *files,
                                 size_t nfiles);

/* Writes DIR/NAME+SUFFIX with what DRAW writes for ARG, as the next file
   of BATCH (atomicbatch.h): nothing is replaced before atomic_batch_commit.
   Returns 0, or -1 after a message.  */
int series_write_file(atomic_batch *batch, const char *dir, const char *name, const char *suffix,
                      void (*draw)(FILE *fp, const void *arg), const void *arg);

#endif
