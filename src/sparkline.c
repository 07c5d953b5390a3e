/* sparkline: draws the history of a benchmark as a word-sized SVG trend
   line (or a line of ▁▂▃▄▅▆▇█ text), from history CSV files.
   SPDX-License-Identifier: MIT */

#include <config.h>

#include "cli.h"
#include "numfmt.h"
#include "series.h"
#include "svg.h"

#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_MIN = CHAR_MAX + 1, OPT_MAX, OPT_OPS };

static const struct option long_options[] = {
    {"bench", required_argument, NULL, 'b'},
    {"metric", required_argument, NULL, 'm'},
    {"machine", required_argument, NULL, 'M'},
    {"field", required_argument, NULL, 'f'},
    {"max-points", required_argument, NULL, 'n'},
    {"raw", no_argument, NULL, 'r'},
    {"ops", no_argument, NULL, OPT_OPS},
    {"text", no_argument, NULL, 't'},
    {"min", required_argument, NULL, OPT_MIN},
    {"max", required_argument, NULL, OPT_MAX},
    {"directory", required_argument, NULL, 'd'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

static void
usage(void)
{
    printf("Usage: %s [OPTION]... [FILE]...\n", cli_program);
    fputs("Draw the history of a benchmark from history CSV FILEs (standard input when\n"
          "none, or '-') as a word-sized SVG sparkline on standard output.\n"
          "\n"
          "  -b, --bench=NAME        the benchmark (needed when there are several)\n"
          "  -m, --metric=NAME       rows of this metric (default: mean)\n"
          "  -M, --machine=NAME      rows of this machine (default: all rows, which must\n"
          "                            come from one machine per benchmark)\n"
          "  -f, --field=COLUMN      the numeric column to draw (default: value);\n"
          "                            allocs, or any other column\n"
          "  -n, --max-points=N      the newest N points in file order (default: 50)\n"
          "      --ops               draw times (unit ns) as operations per second,\n"
          "                            1e9/time, higher is better (default: as times,\n"
          "                            lower is better, like allocation counts)\n"
          "  -r, --raw               draw times as times (the default; undoes --ops)\n"
          "  -t, --text              print one line of ▁▂▃▄▅▆▇█ instead of SVG\n"
          "      --min=X             with --text: the value drawn as ▁ (default: the least)\n"
          "      --max=X             with --text: the value drawn as █ (default: the most)\n"
          "  -d, --directory=DIR     write DIR/<name>_time.svg for every benchmark and\n"
          "                            DIR/<name>_allocs.svg for every benchmark with\n"
          "                            allocation counts, each atomically\n"
          "  -h, --help              display this help and exit\n"
          "  -V, --version           output version information and exit\n"
          "\n"
          "Exit status: 0 success, 1 bad input or I/O failure, 2 usage error.\n"
          "See sparkline(1).\n",
          stdout);
}

typedef struct options {
    const char *bench, *metric, *machine, *field, *dir;
    long max_points;
    bool ops, text;
    bool have_min, have_max;
    double min, max;
} options;

/* What a drawing shows: the values as plotted, how to print them, and
   which direction is better.  */
typedef enum show_as { SHOW_RATE, SHOW_TIME, SHOW_COUNT, SHOW_OTHER } show_as;

typedef struct drawing {
    const char *bench, *metric, *machine, *field;
    const char *unit; /* printed after SHOW_OTHER values, or NULL */
    show_as as;
    int better;             /* +1 higher is better, -1 lower is, 0 unknown */
    double *v;              /* the plotted values */
    const char *const *tag; /* per point, or NULL */
    const bool *release;    /* per point: the first point of a tag */
    size_t n;
} drawing;

static const char *const LINE_COLOR = "#007ec6"; /* 4.4:1 on white and on #0d1117 */
static const char *const MUTED = "#777";         /* 4.5:1 on white, 4.2:1 on #0d1117 */
static const char *const GOOD = "#1a7f37";
static const char *const BAD = "#cf222e";
static const char *const FONT = "Verdana,Geneva,DejaVu Sans,sans-serif";

/* Layout, in px: the line fills PLOT_W x PLOT_H at (PAD, TOP); the text
   column starts at TEXT_X; tag names go under the line.  The text column
   has three baselines: the last value, "min X  max Y", and the legend,
   which shares the tag names' baseline at the foot.  */
enum {
    PAD = 3,
    PLOT_W = 120,
    TOP = 5,
    PLOT_H = 18,
    HEIGHT = 34,
    TEXT_X = PAD + PLOT_W + 7,
    VALUE_Y = 13,
    RANGE_Y = 23,
    FOOT_Y = HEIGHT - 2
};
/* Text sizes, px: the last value, and the rest.  */
static const double VALUE_FONT = 11.0, SMALL_FONT = 8.0;

static char *
format_value(const drawing *d, double v, bool with_unit, char buf[SERIES_FMT_SIZE])
{
    switch (d->as) {
    case SHOW_RATE:
        series_format_rate(v, buf);
        if (with_unit)
            strcat(buf, " ops/s");
        break;
    case SHOW_TIME:
        series_format_time(v, buf);
        break;
    case SHOW_COUNT:
        series_format_count(v, buf);
        if (with_unit)
            strcat(buf, " allocs");
        break;
    case SHOW_OTHER:
        series_format_other(v, buf);
        break;
    }
    return buf;
}

static double
x_of(const drawing *d, size_t i)
{
    if (d->n < 2)
        return PAD + PLOT_W / 2.0;
    return PAD + (double)PLOT_W * (double)i / (double)(d->n - 1);
}

static double
y_of(double v, double lo, double hi)
{
    if (!(hi > lo))
        return TOP + PLOT_H / 2.0;
    return TOP + (1.0 - (v - lo) / (hi - lo)) * PLOT_H;
}

/* The text of OTHER values has the unit after it.  */
static void
write_value_text(FILE *fp, const drawing *d, double v, bool with_unit)
{
    char buf[SERIES_FMT_SIZE];
    svg_write_text(fp, format_value(d, v, with_unit, buf));
    if (with_unit && d->as == SHOW_OTHER && d->unit != NULL && d->unit[0] != '\0') {
        fputc(' ', fp);
        svg_write_text(fp, d->unit);
    }
}

static double
value_text_width(const drawing *d, double v, bool with_unit)
{
    char buf[SERIES_FMT_SIZE];
    double w = svg_text_width(format_value(d, v, with_unit, buf));
    if (with_unit && d->as == SHOW_OTHER && d->unit != NULL && d->unit[0] != '\0')
        w += svg_text_width(" ") + svg_text_width(d->unit);
    return w;
}

/* The legend says what is drawn and which way is better, so that a chart
   read alone cannot be taken upside down: "time (lower is better)".  NULL
   when the better direction is unknown.  */
static const char *
legend_what(const drawing *d)
{
    switch (d->as) {
    case SHOW_RATE:
        return "ops/s";
    case SHOW_TIME:
        return "time";
    case SHOW_COUNT:
        return d->field;
    case SHOW_OTHER:
        break;
    }
    return NULL;
}

static const char *
legend_direction(const drawing *d)
{
    return d->better > 0 ? " (higher is better)" : " (lower is better)";
}

static void
circle(FILE *fp, double x, double y, const char *r, const char *fill)
{
    char xb[SVG_NUMBUF], yb[SVG_NUMBUF];
    fprintf(fp, "<circle cx=\"%s\" cy=\"%s\" r=\"%s\" fill=\"%s\"/>\n", svg_fixed1(x, xb),
            svg_fixed1(y, yb), r, fill);
}

static void
draw_svg(FILE *fp, const void *arg)
{
    const drawing *d = arg;
    size_t lo_i = 0, hi_i = 0;
    for (size_t i = 1; i < d->n; i++) {
        /* The newest point of each extreme is the one marked.  */
        if (d->v[i] <= d->v[lo_i])
            lo_i = i;
        if (d->v[i] >= d->v[hi_i])
            hi_i = i;
    }
    double lo = d->v[lo_i], hi = d->v[hi_i], last = d->v[d->n - 1];
    const char *hi_color = d->better > 0 ? GOOD : d->better < 0 ? BAD : MUTED;
    const char *lo_color = d->better > 0 ? BAD : d->better < 0 ? GOOD : MUTED;

    /* The text column: the last value, then "min X  max Y" in small type.  */
    double scale = SMALL_FONT / 11.0;
    double w_last = value_text_width(d, last, true) * VALUE_FONT / 11.0;
    double w_min = (svg_text_width("min ") + value_text_width(d, lo, false)) * scale;
    double w_max = (svg_text_width("max ") + value_text_width(d, hi, false)) * scale;
    double gap = 5.0;
    double w_text = w_last > w_min + gap + w_max ? w_last : w_min + gap + w_max;
    const char *what = legend_what(d);
    if (what != NULL) {
        double w_legend = (svg_text_width(what) + svg_text_width(legend_direction(d))) * scale;
        if (w_legend > w_text)
            w_text = w_legend;
    }
    int width = (int)ceil(TEXT_X + w_text + PAD);

    fprintf(fp,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
            "viewBox=\"0 0 %d %d\" role=\"img\" aria-labelledby=\"spark-title spark-desc\" "
            "data-values=\"",
            width, HEIGHT, width, HEIGHT);
    for (size_t i = 0; i < d->n; i++) {
        char buf[SVG_NUMBUF];
        if (i)
            fputc(' ', fp);
        fputs(svg_sig12(d->v[i], buf), fp);
    }
    fputs("\">\n<title id=\"spark-title\">", fp);
    svg_write_text(fp, d->bench);
    fprintf(fp, ": %zu point%s, last ", d->n, d->n == 1 ? "" : "s");
    write_value_text(fp, d, last, true);
    fputs(", min ", fp);
    write_value_text(fp, d, lo, true);
    fputs(", max ", fp);
    write_value_text(fp, d, hi, true);
    fputs("</title>\n<desc id=\"spark-desc\">", fp);
    svg_write_text(fp, d->field);
    fputs(" of the ", fp);
    svg_write_text(fp, d->metric);
    fputs(" rows of ", fp);
    svg_write_text(fp, d->bench);
    if (d->machine[0] != '\0') {
        fputs(" on ", fp);
        svg_write_text(fp, d->machine);
    }
    switch (d->as) {
    case SHOW_RATE:
        fputs(", as operations per second (higher is better)", fp);
        break;
    case SHOW_TIME:
        fputs(", as time (lower is better)", fp);
        break;
    case SHOW_COUNT:
        fputs(", as a count (lower is better)", fp);
        break;
    case SHOW_OTHER:
        break;
    }
    fputs(", oldest to newest", fp);
    bool any_tag = false;
    for (size_t i = 0; i < d->n; i++)
        if (d->release[i]) {
            fputs(any_tag ? ", " : "; releases: ", fp);
            svg_write_text(fp, d->tag[i]);
            fprintf(fp, " at point %zu", i + 1);
            any_tag = true;
        }
    fputs("</desc>\n", fp);

    /* Release marks behind the line: a dashed rule per first point of a
       tag, and as many tag names under the line as fit, newest first.  */
    double right_limit = TEXT_X - 4.0;
    double next_left = INFINITY;
    for (size_t k = d->n; k-- > 0;) {
        if (!d->release[k])
            continue;
        double x = x_of(d, k);
        char xb[SVG_NUMBUF];
        svg_fixed1(x, xb);
        fprintf(fp,
                "<line x1=\"%s\" y1=\"2\" x2=\"%s\" y2=\"%d\" stroke=\"%s\" stroke-width=\"1\" "
                "stroke-dasharray=\"2,2\" opacity=\".5\"/>\n",
                xb, xb, TOP + PLOT_H + 2, MUTED);
        double half = svg_text_width(d->tag[k]) * scale / 2.0;
        double cx = x;
        if (cx - half < 0.5)
            cx = 0.5 + half;
        if (cx + half > right_limit)
            cx = right_limit - half;
        if (cx + half + 3.0 <= next_left && cx - half >= 0.0) {
            fprintf(fp,
                    "<text x=\"%s\" y=\"%d\" font-family=\"%s\" font-size=\"8\" fill=\"%s\" "
                    "text-anchor=\"middle\">",
                    svg_fixed1(cx, xb), FOOT_Y, FONT, MUTED);
            svg_write_text(fp, d->tag[k]);
            fputs("</text>\n", fp);
            next_left = cx - half;
        }
    }

    if (d->n >= 2) {
        fprintf(fp,
                "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" "
                "stroke-linejoin=\"round\" stroke-linecap=\"round\" points=\"",
                LINE_COLOR);
        for (size_t i = 0; i < d->n; i++) {
            char x[SVG_NUMBUF], y[SVG_NUMBUF];
            if (i)
                fputc(' ', fp);
            fputs(svg_fixed1(x_of(d, i), x), fp);
            fputc(',', fp);
            fputs(svg_fixed1(y_of(d->v[i], lo, hi), y), fp);
        }
        fputs("\"/>\n", fp);
        if (hi > lo) {
            circle(fp, x_of(d, hi_i), y_of(hi, lo, hi), "2", hi_color);
            circle(fp, x_of(d, lo_i), y_of(lo, lo, hi), "2", lo_color);
        }
    }
    circle(fp, x_of(d, d->n - 1), y_of(last, lo, hi), "2.5", LINE_COLOR);

    fprintf(fp, "<text x=\"%d\" y=\"%d\" font-family=\"%s\" font-size=\"11\" fill=\"%s\">", TEXT_X,
            VALUE_Y, FONT, LINE_COLOR);
    write_value_text(fp, d, last, true);
    fputs("</text>\n", fp);
    fprintf(fp, "<text x=\"%d\" y=\"%d\" font-family=\"%s\" font-size=\"8\" fill=\"%s\">min ",
            TEXT_X, RANGE_Y, FONT, lo_color);
    write_value_text(fp, d, lo, false);
    char xmax[SVG_NUMBUF];
    fprintf(fp,
            "</text>\n<text x=\"%s\" y=\"%d\" font-family=\"%s\" font-size=\"8\" "
            "fill=\"%s\">max ",
            svg_fixed1(TEXT_X + w_min + gap, xmax), RANGE_Y, FONT, hi_color);
    write_value_text(fp, d, hi, false);
    fputs("</text>\n", fp);
    if (what != NULL) {
        fprintf(fp, "<text x=\"%d\" y=\"%d\" font-family=\"%s\" font-size=\"8\" fill=\"%s\">",
                TEXT_X, FOOT_Y, FONT, MUTED);
        svg_write_text(fp, what);
        fputs(legend_direction(d), fp);
        fputs("</text>\n", fp);
    }
    fputs("</svg>\n", fp);
}

/* Fills D for the newest MAX_POINTS points of field F.  The arrays are
   the caller's to free (d->v, d->release).  */
static void
prepare(drawing *d, const series *s, const series_field *f, const options *o, const char *field)
{
    size_t start = f->n > (size_t)o->max_points ? f->n - (size_t)o->max_points : 0;
    d->bench = s->bench;
    d->machine = s->machine;
    d->metric = o->metric;
    d->field = field;
    d->unit = f->unit;
    d->n = f->n - start;
    d->v = xreallocarray(NULL, d->n, sizeof *d->v);
    bool *release = xreallocarray(NULL, d->n, sizeof *release);
    d->tag = f->tag + start;
    for (size_t i = 0; i < d->n; i++) {
        size_t j = start + i;
        double v = f->v[j];
        /* A release starts where a tag first appears; older collectors
           wrote the latest tag on every commit after it.  */
        release[i] = f->tag[j] != NULL && (j == 0 || f->tag[j - 1] != f->tag[j]);
        if (f->kind == SERIES_TIME && o->ops)
            v = 1e9 / v;
        d->v[i] = v;
    }
    d->release = release;
    switch (f->kind) {
    case SERIES_TIME:
        /* Times go up when they get worse, as allocation counts do, so
           that every chart (and --text, and the gate's trends) reads the
           same way; operations per second only when asked for.  */
        d->as = o->ops ? SHOW_RATE : SHOW_TIME;
        d->better = o->ops ? +1 : -1;
        break;
    case SERIES_COUNT:
        d->as = SHOW_COUNT;
        d->better = -1;
        break;
    case SERIES_OTHER:
        d->as = SHOW_OTHER;
        d->better = 0;
        break;
    }
}

static void
release_drawing(drawing *d)
{
    free(d->v);
    free((void *)d->release);
}

/* One sparkline of -d DIR.  */
static int
write_sparkline(atomic_batch *batch, const char *dir, const char *name, const series *s,
                int which, const char *column, void *ctx)
{
    static const char *const suffix[2] = {"_time.svg", "_allocs.svg"};
    drawing d;
    prepare(&d, s, &s->f[which], ctx, column);
    int status = series_write_file(batch, dir, name, suffix[which], draw_svg, &d);
    release_drawing(&d);
    return status;
}

static int
run_directory(const options *o, char *const *files, size_t nfiles)
{
    return series_draw_directory(o->metric, o->machine, o->bench, o->dir, files, nfiles,
                                 write_sparkline, (void *)o);
}

static int
run_one(const options *o, char *const *files, size_t nfiles)
{
    series_set set;
    const series *s =
        series_read_single(&set, o->metric, o->machine, o->bench, o->field, files, nfiles);
    if (s != NULL) {
        drawing d;
        prepare(&d, s, &s->f[0], o, o->field);
        if (o->text) {
            char *line = xmalloc(3 * d.n + 1);
            series_spark_text(d.v, d.n, o->have_min, o->min, o->have_max, o->max, line);
            puts(line);
            free(line);
        } else {
            draw_svg(stdout, &d);
        }
        release_drawing(&d);
    }
    series_set_free(&set);
    return s != NULL ? EXIT_OK : EXIT_BAD_INPUT;
}

int
main(int argc, char **argv)
{
    cli_init("sparkline");
    options o = {.metric = "mean", .field = NULL, .max_points = 50};
    int c;
    while ((c = cli_getopt(argc, argv, "b:m:M:f:n:rtd:hV", long_options)) != -1) {
        switch (c) {
        case 'b':
            o.bench = optarg;
            break;
        case 'm':
            o.metric = optarg;
            break;
        case 'M':
            o.machine = optarg;
            break;
        case 'f':
            o.field = optarg;
            break;
        case 'n':
            if (cli_parse_long(optarg, 1, LONG_MAX, &o.max_points) != 0)
                cli_usage_error("invalid --max-points '%s': a whole number of at least 1", optarg);
            break;
        case 'r':
            o.ops = false;
            break;
        case OPT_OPS:
            o.ops = true;
            break;
        case 't':
            o.text = true;
            break;
        case OPT_MIN:
            if (!num_parse_double(optarg, &o.min))
                cli_usage_error("invalid --min '%s': not a number", optarg);
            o.have_min = true;
            break;
        case OPT_MAX:
            if (!num_parse_double(optarg, &o.max))
                cli_usage_error("invalid --max '%s': not a number", optarg);
            o.have_max = true;
            break;
        case 'd':
            o.dir = optarg;
            break;
        case 'h':
            usage();
            return cli_finish(EXIT_OK);
        case 'V':
            cli_print_version();
            return cli_finish(EXIT_OK);
        }
    }
    if ((o.have_min || o.have_max) && !o.text)
        cli_usage_error("--min and --max go with --text");
    if (o.have_min && o.have_max && !(o.min < o.max))
        cli_usage_error("--min must be less than --max");
    if (o.dir != NULL) {
        if (o.text)
            cli_usage_error("--text and -d cannot be combined");
        if (o.field != NULL)
            cli_usage_error("--field and -d cannot be combined: -d draws value and allocs");
        if (o.dir[0] == '\0')
            cli_usage_error("-d needs a directory name");
    }
    if (o.field == NULL)
        o.field = "value";
    char *const *files = argv + optind;
    size_t nfiles = (size_t)(argc - optind);
    int status = o.dir != NULL ? run_directory(&o, files, nfiles) : run_one(&o, files, nfiles);
    return cli_finish(status);
}
