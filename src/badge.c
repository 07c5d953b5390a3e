/* badge: draws the newest value of a benchmark and its change from the
   point before as a shields.io "flat" badge (or shields endpoint JSON),
   from history CSV files; or any badge from a label and a message.
   SPDX-License-Identifier: MIT */

#include <config.h>

#include "cli.h"
#include "numfmt.h"
#include "series.h"
#include "svg.h"

#include <getopt.h>
#include <json.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_MESSAGE = CHAR_MAX + 1, OPT_LABEL_COLOR, OPT_FORMAT };

static const struct option long_options[] = {
    {"bench", required_argument, NULL, 'b'},
    {"metric", required_argument, NULL, 'm'},
    {"machine", required_argument, NULL, 'M'},
    {"field", required_argument, NULL, 'f'},
    {"label", required_argument, NULL, 'l'},
    {"message", required_argument, NULL, OPT_MESSAGE},
    {"color", required_argument, NULL, 'c'},
    {"label-color", required_argument, NULL, OPT_LABEL_COLOR},
    {"threshold", required_argument, NULL, 'T'},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"directory", required_argument, NULL, 'd'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

static void
usage(void)
{
    printf("Usage: %s [OPTION]... [FILE]...\n"
           "  or:  %s --message=TEXT [--label=TEXT] [--color=COLOR]\n",
           cli_program, cli_program);
    fputs("Draw the newest value of a benchmark in history CSV FILEs (standard input when\n"
          "none, or '-'), with its change from the point before, as a shields.io flat\n"
          "badge on standard output; or, with --message, any badge.\n"
          "\n"
          "  -b, --bench=NAME        the benchmark (needed when there are several)\n"
          "  -m, --metric=NAME       rows of this metric (default: mean)\n"
          "  -M, --machine=NAME      rows of this machine (default: all rows, which must\n"
          "                            come from one machine per benchmark)\n"
          "  -f, --field=COLUMN      value (time, the default), allocs, or another\n"
          "                            numeric column\n"
          "  -l, --label=TEXT        the left text (default: time, allocs, or the column)\n"
          "      --message=TEXT      draw this message instead of reading a history\n"
          "  -c, --color=COLOR       the message colour instead of the verdict's: a\n"
          "                            shields.io name or hex (default with --message:\n"
          "                            lightgrey)\n"
          "      --label-color=COLOR the label colour (default: grey, #555)\n"
          "  -T, --threshold=PCT     a change above +PCT %% is red, below -PCT %% green,\n"
          "                            yellow between (default: 5)\n"
          "      --format=FORMAT     svg (default) or json (shields endpoint JSON)\n"
          "  -d, --directory=DIR     write DIR/<name>_time_badge.svg for every benchmark\n"
          "                            and DIR/<name>_allocs_badge.svg for every benchmark\n"
          "                            with allocation counts (.json with --format=json)\n"
          "  -h, --help              display this help and exit\n"
          "  -V, --version           output version information and exit\n"
          "\n"
          "Colours: brightgreen green yellowgreen yellow orange red blue grey lightgrey,\n"
          "their shields.io aliases, or 3 or 6 hex digits with or without '#'.\n"
          "Exit status: 0 success, 1 bad input or I/O failure, 2 usage error.\n"
          "See badge(1).\n",
          stdout);
}

typedef struct options {
    const char *bench, *metric, *machine, *field, *dir, *label, *message;
    const char *color_spec, *label_color_spec;
    char color[8], label_color[8];
    double threshold;
    bool json;
} options;

/* One badge: its texts and colour (COLOR_NAME is what JSON gets: a
   shields name, or hex without '#').  */
typedef struct badge {
    char *label, *message;
    char color[8];
    char color_name[16];
    const char *label_color;
} badge;

static void
set_color(badge *b, const char *spec)
{
    /* The spec was checked by svg_color_parse already.  A name stays a
       name in JSON; hex goes there in lower case without '#'.  */
    svg_color_parse(spec, b->color);
    bool hex = spec[0] == '#' || strspn(spec, "0123456789abcdefABCDEF") == strlen(spec);
    snprintf(b->color_name, sizeof b->color_name, "%s", hex ? b->color + 1 : spec);
}

static void
draw_svg(FILE *fp, const void *arg)
{
    const badge *b = arg;
    svg_badge_flat(fp, b->label, b->message, b->color, b->label_color);
    fputc('\n', fp);
}

static void
draw_json(FILE *fp, const void *arg)
{
    const badge *b = arg;
    char *label = svg_utf8_dup(b->label);
    char *message = svg_utf8_dup(b->message);
    json_object *o = json_object_new_object();
    json_object_object_add(o, "schemaVersion", json_object_new_int(1));
    json_object_object_add(o, "label", json_object_new_string(label));
    json_object_object_add(o, "message", json_object_new_string(message));
    json_object_object_add(o, "color", json_object_new_string(b->color_name));
    if (strcmp(b->label_color, "#555") != 0)
        json_object_object_add(o, "labelColor", json_object_new_string(b->label_color + 1));
    fputs(
        json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE),
        fp);
    fputc('\n', fp);
    json_object_put(o);
    free(label);
    free(message);
}

/* The message and verdict for field F of a series: the newest value as
   the original wrote it, and its change from the point before.  */
static void
make_badge(badge *b, const series_field *f, const char *field, const options *o)
{
    char value[SERIES_FMT_SIZE];
    double last = f->v[f->n - 1];
    switch (f->kind) {
    case SERIES_TIME:
        series_format_time(last, value);
        break;
    case SERIES_COUNT:
        series_format_count(last, value);
        break;
    case SERIES_OTHER:
        series_format_other(last, value);
        if (f->unit != NULL && f->unit[0] != '\0') {
            size_t len = strlen(value);
            snprintf(value + len, sizeof value - len, " %s", f->unit);
        }
        break;
    }
    const char *verdict;
    char change[64] = "";
    if (f->n < 2) {
        verdict = "lightgrey"; /* nothing to compare with */
    } else {
        double prev = f->v[f->n - 2];
        if (prev == 0 && last != 0) {
            snprintf(change, sizeof change, " (from 0)");
            verdict = last > 0 ? "red" : "brightgreen";
        } else {
            double pct = prev == 0 ? 0.0 : (last - prev) / prev * 100.0;
            snprintf(change, sizeof change, " (%+.1f%%)", pct);
            verdict = pct > o->threshold ? "red" : pct < -o->threshold ? "brightgreen" : "yellow";
        }
    }
    size_t len = strlen(value) + strlen(change) + 1;
    b->message = xmalloc(len);
    snprintf(b->message, len, "%s%s", value, change);
    const char *label = o->label;
    if (label == NULL)
        label = strcmp(field, "value") == 0 ? "time" : field;
    b->label = xstrdup(label);
    set_color(b, o->color_spec != NULL ? o->color_spec : verdict);
    b->label_color = o->label_color;
}

static void
free_badge(badge *b)
{
    free(b->label);
    free(b->message);
}

/* One badge of -d DIR.  */
static int
write_badge(atomic_batch *batch, const char *dir, const char *name, const series *s, int which,
            const char *column, void *ctx)
{
    const options *o = ctx;
    static const char *const suffix[2][2] = {{"_time_badge.svg", "_allocs_badge.svg"},
                                             {"_time_badge.json", "_allocs_badge.json"}};
    badge b;
    make_badge(&b, &s->f[which], column, o);
    int status = series_write_file(batch, dir, name, suffix[o->json][which],
                                   o->json ? draw_json : draw_svg, &b);
    free_badge(&b);
    return status;
}

static int
run_directory(const options *o, char *const *files, size_t nfiles)
{
    return series_draw_directory(o->metric, o->machine, o->bench, o->dir, files, nfiles,
                                 write_badge, (void *)o);
}

static int
run_one(const options *o, char *const *files, size_t nfiles)
{
    series_set set;
    const series *s =
        series_read_single(&set, o->metric, o->machine, o->bench, o->field, files, nfiles);
    if (s != NULL) {
        badge b;
        make_badge(&b, &s->f[0], o->field, o);
        (o->json ? draw_json : draw_svg)(stdout, &b);
        free_badge(&b);
    }
    series_set_free(&set);
    return s != NULL ? EXIT_OK : EXIT_BAD_INPUT;
}

int
main(int argc, char **argv)
{
    cli_init("badge");
    options o = {.metric = "mean", .threshold = 5.0};
    const char *format = "svg";
    int c;
    while ((c = cli_getopt(argc, argv, "b:m:M:f:l:c:T:d:hV", long_options)) != -1) {
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
        case 'l':
            o.label = optarg;
            break;
        case OPT_MESSAGE:
            o.message = optarg;
            break;
        case 'c':
            o.color_spec = optarg;
            break;
        case OPT_LABEL_COLOR:
            o.label_color_spec = optarg;
            break;
        case 'T':
            if (!num_parse_double(optarg, &o.threshold) || o.threshold < 0)
                cli_usage_error("invalid --threshold '%s': a percentage of at least 0", optarg);
            break;
        case OPT_FORMAT:
            format = optarg;
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
    if (strcmp(format, "json") == 0)
        o.json = true;
    else if (strcmp(format, "svg") != 0)
        cli_usage_error("invalid --format '%s': svg or json", format);
    if (o.color_spec != NULL && !svg_color_parse(o.color_spec, o.color))
        cli_usage_error("invalid --color '%s': a shields.io colour name or 3 or 6 hex digits",
                        o.color_spec);
    if (!svg_color_parse(o.label_color_spec ? o.label_color_spec : "#555", o.label_color))
        cli_usage_error("invalid --label-color '%s': a shields.io colour name or 3 or 6 hex "
                        "digits",
                        o.label_color_spec);
    char *const *files = argv + optind;
    size_t nfiles = (size_t)(argc - optind);

    if (o.message != NULL) {
        if (nfiles > 0)
            cli_usage_error("--message draws a badge without a history: extra operand '%s'",
                            files[0]);
        if (o.dir != NULL || o.bench != NULL || o.field != NULL || o.machine != NULL)
            cli_usage_error("--message cannot be combined with -d, --bench, --field or "
                            "--machine");
        badge b = {.label = xstrdup(o.label ? o.label : ""), .message = xstrdup(o.message)};
        set_color(&b, o.color_spec ? o.color_spec : "lightgrey");
        b.label_color = o.label_color;
        (o.json ? draw_json : draw_svg)(stdout, &b);
        free_badge(&b);
        return cli_finish(EXIT_OK);
    }
    if (o.dir != NULL) {
        if (o.field != NULL)
            cli_usage_error("--field and -d cannot be combined: -d draws value and allocs");
        if (o.label != NULL)
            cli_usage_error("--label and -d cannot be combined: -d labels time and allocs");
        if (o.dir[0] == '\0')
            cli_usage_error("-d needs a directory name");
    }
    if (o.field == NULL)
        o.field = "value";
    int status = o.dir != NULL ? run_directory(&o, files, nfiles) : run_one(&o, files, nfiles);
    return cli_finish(status);
}
