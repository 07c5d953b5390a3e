/* dhat-scan: allocation totals, and the heaviest call sites, from DHAT v2
   heap profiles (Valgrind's dhat.out.<pid>, dhat-rs's dhat-heap.json and
   dhat-preload.so's files).

   Totals mode writes one CSV row per benchmark:
     bench,allocs[,allocs_ci_low,allocs_ci_high],alloc_bytes,peak_bytes,
     peak_blocks,end_bytes,end_blocks[,adhoc_events,adhoc_units]
     [,copy_calls,copy_bytes]
   Several files of one benchmark (repeated runs) give their means, and the
   allocation count a confidence interval.  --top N lists the N heaviest
   program points of each file with their frames instead.
   SPDX-License-Identifier: MIT */

#include <config.h>

#include "cli.h"
#include "criterion-id.h"
#include "csv.h"
#include "dhat.h"
#include "numfmt.h"
#include "strmap.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <json.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum by { BY_BLOCKS, BY_BYTES, BY_PEAK };

static struct {
    const char *bench;
    const char *root;
    char *root_real;
    long top;
    enum by by;
    bool csv;
} opt = {.root = "."};

enum { OPT_BY = CHAR_MAX + 1, OPT_CSV };

static const struct option long_options[] = {
    {"bench", required_argument, NULL, 'b'}, {"root", required_argument, NULL, 'r'},
    {"top", required_argument, NULL, 't'},   {"by", required_argument, NULL, OPT_BY},
    {"csv", no_argument, NULL, OPT_CSV},     {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},     {NULL, 0, NULL, 0},
};

static void
usage(void)
{
    printf("Usage: %s [OPTION]... [FILE]...\n", cli_program);
    fputs("Sum the heap allocations recorded in DHAT v2 profiles (Valgrind DHAT,\n"
          "dhat-rs, dhat-preload.so) and write one CSV row per benchmark:\n"
          "  bench,allocs,alloc_bytes,peak_bytes,peak_blocks,end_bytes,end_blocks\n"
          "With no FILE, or when FILE is -, read standard input.\n"
          "\n"
          "  -b, --bench=NAME  name every row NAME (all files are runs of one benchmark)\n"
          "  -r, --root=DIR    name a file's benchmark by its directory relative to DIR\n"
          "                      (default: the current directory); files under a\n"
          "                      Criterion.rs tree take the id in new/benchmark.json\n"
          "  -t, --top=N       list each file's N heaviest program points and their\n"
          "                      frames instead of the totals\n"
          "      --by=KEY      rank program points by blocks (the default), bytes or\n"
          "                      peak (bytes live at the global peak)\n"
          "      --csv         write the --top list as CSV\n"
          "  -h, --help        display this help and exit\n"
          "  -V, --version     output version information and exit\n"
          "\n"
          "Several files of one benchmark give one row of means, with allocs_ci_low and\n"
          "allocs_ci_high: a 95% Student t interval from 3 runs on, the minimum and\n"
          "maximum of 2.  Copy and ad-hoc profiles count events, not allocations; they\n"
          "are reported in copy_* and adhoc_* columns.\n"
          "\n"
          "Exit status: 0 if all went well, 1 if a file was bad or unreadable (the\n"
          "others are still reported), 2 for a usage error.\n",
          stdout);
    printf("\nFull documentation: man %s\n", cli_program);
}

/* ---------------------------------------------------------------------
   Benchmark names.  */

/* The name of the benchmark of a Criterion.rs benchmark.json, as
   criterion-scan gives it (criterion_id_name).  */
static char *
criterion_id(const char *json_path, const char *file)
{
    /* The file is found, not named by the user: a FIFO in its place would
       stall the run and a link to a device would fill memory, so it is
       opened without blocking and read only when it is a regular file of
       a size no benchmark.json comes near.  */
    enum { MAX_SIZE = 64 << 20 };
    json_object *obj = NULL;
    const char *err = NULL;
    struct stat st;
    int fd = open(json_path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0 || fstat(fd, &st) != 0)
        err = strerror(errno);
    else if (!S_ISREG(st.st_mode))
        err = "not a regular file (a FIFO, a device or a folder): refused";
    else if (st.st_size > MAX_SIZE)
        err = "larger than 64 MiB: refused";
    else if ((obj = json_object_from_fd(fd)) == NULL)
        err = json_util_get_last_err() ? json_util_get_last_err() : "invalid JSON";
    if (fd >= 0)
        close(fd);
    char *name = NULL;
    const char *why;
    if (obj == NULL)
        cli_warn_at(file, 0, "cannot read the benchmark id from %s: %s", json_path, err);
    else if ((name = criterion_id_from_json(obj, &why)) == NULL)
        cli_warn_at(file, 0, "%s: %s", json_path, why);
    json_object_put(obj);
    return name;
}

/* For a file inside a Criterion.rs tree (a directory named "criterion",
   preferably target/criterion), the id in the nearest new/benchmark.json
   between the file and that directory.  Sets *FOUND; returns NULL when
   there is none or it is bad (*FOUND says which).  */
static char *
criterion_name(const char *dir_real, const char *file, bool *found)
{
    const char *stop = NULL;
    *found = false;
    for (const char *p = strstr(dir_real, "/criterion"); p != NULL;
         p = strstr(p + 1, "/criterion")) {
        const char *end = p + strlen("/criterion");
        if (*end != '/' && *end != '\0')
            continue;
        bool after_target = p - dir_real >= 7 && strncmp(p - 7, "/target", 7) == 0;
        if (stop == NULL || after_target)
            stop = end;
        if (after_target)
            break;
    }
    if (stop == NULL)
        return NULL;

    size_t stop_len = (size_t)(stop - dir_real);
    char *dir = xstrdup(dir_real);
    char *result = NULL;
    while (strlen(dir) > stop_len) {
        size_t len = strlen(dir);
        char *json_path = xmalloc(len + sizeof "/new/benchmark.json");
        memcpy(json_path, dir, len);
        memcpy(json_path + len, "/new/benchmark.json", sizeof "/new/benchmark.json");
        if (access(json_path, F_OK) == 0) {
            *found = true;
            result = criterion_id(json_path, file);
            free(json_path);
            break;
        }
        free(json_path);
        *strrchr(dir, '/') = '\0';
    }
    free(dir);
    return result;
}

/* The name of directory REAL (a canonical path; DIR as written) relative
   to --root: the root's own name for the root, the path as written for a
   directory outside it.  */
static char *
root_relative(const char *real, const char *dir)
{
    size_t root_len = strlen(opt.root_real);
    if (strcmp(real, opt.root_real) == 0) {
        const char *base = strrchr(real, '/');
        return xstrdup(base != NULL && base[1] != '\0' ? base + 1 : real);
    }
    if (strncmp(real, opt.root_real, root_len) == 0 && real[root_len] == '/')
        return xstrdup(real + root_len + 1);
    if (strcmp(opt.root_real, "/") == 0)
        return xstrdup(real + 1);
    while (dir[0] == '.' && dir[1] == '/')
        dir += 2;
    return xstrdup(dir);
}

/* The benchmark name of FILE.  Returns NULL after a message.  */
static char *
bench_name(const char *file)
{
    if (opt.bench != NULL)
        return xstrdup(opt.bench);
    if (strcmp(file, "-") == 0)
        return xstrdup("-");

    char *dir = cli_directory_of(file);
    char *real = realpath(dir, NULL);
    char *name;
    if (real == NULL) {
        /* The file was opened, so this is unusual: use the path as written. */
        return dir;
    }
    bool found;
    name = criterion_name(real, file, &found);
    if (name == NULL && !found)
        name = root_relative(real, dir);
    free(real);
    free(dir);
    return name;
}

/* ---------------------------------------------------------------------
   Totals: the runs of each benchmark.  */

typedef struct run {
    dhat_counts counts;
    bool live; /* gb..ebk recorded */
} run;

typedef struct series {
    run *runs;
    size_t n, cap;
} series;

typedef struct group {
    series heap, adhoc, copy;
} group;

static strmap groups;

static void
series_add(series *s, const dhat_info *info)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 4;
        s->runs = xreallocarray(s->runs, s->cap, sizeof *s->runs);
    }
    s->runs[s->n].counts = info->total;
    s->runs[s->n].live = info->bklt;
    s->n++;
}

static void
add_run(const char *bench, const dhat_info *info)
{
    int created;
    strmap_entry *e = strmap_upsert(&groups, bench, strlen(bench), &created);
    if (created)
        e->value = xcalloc(1, sizeof(group));
    group *g = e->value;
    series_add(info->kind == DHAT_HEAP    ? &g->heap
               : info->kind == DHAT_ADHOC ? &g->adhoc
                                          : &g->copy,
               info);
}

/* The 0.975 quantile of Student's t with DF degrees of freedom (for a
   two-sided 95% interval): a table to 30 (computed to 17 digits with
   mpmath), then the Cornish-Fisher expansion around the normal quantile,
   within 2e-6 of the exact value from 30 on and closer as DF grows.  */
static double
t_quantile_975(size_t df)
{
    static const double table[30] = {
        12.706204736174705, 4.3026527297494639, 3.1824463052837096, 2.7764451051977944,
        2.5705818356363155, 2.44691185114497,   2.3646242515927853, 2.3060041352041667,
        2.2621571627982055, 2.2281388519862747, 2.2009851600916399, 2.1788128296672289,
        2.1603686564627925, 2.1447866879178038, 2.1314495455597757, 2.1199052992212547,
        2.1098155778333171, 2.1009220402410385, 2.0930240544083098, 2.0859634472658648,
        2.0796138447276804, 2.0738730679040262, 2.0686576104190487, 2.0638985616280258,
        2.0595385527532977, 2.0555294386428732, 2.0518305164802856, 2.0484071417952452,
        2.0452296421327043, 2.0422724563012383,
    };
    if (df >= 1 && df <= 30)
        return table[df - 1];
    double z = 1.959963984540054, n = (double)df;
    double z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z;
    return z + (z3 + z) / (4 * n) + (5 * z5 + 16 * z3 + 3 * z) / (96 * n * n) +
           (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * n * n * n);
}

/* A counter of dhat_counts, by its offset (offsetof(dhat_counts, tbk)...).  */
static uint64_t
field_at(const dhat_counts *c, size_t offset)
{
    uint64_t v;
    memcpy(&v, (const char *)c + offset, sizeof v);
    return v;
}

/* The mean of a field over the runs: exact for one run, and whenever the
   (128-bit) sum divides evenly; else the nearest double.  */
static void
write_mean(csv_writer *w, const series *s, size_t field)
{
    uint64_t hi = 0, lo = 0;
    char buf[NUM_BUFSIZE];
    for (size_t i = 0; i < s->n; i++) {
        uint64_t v = field_at(&s->runs[i].counts, field);
        lo += v;
        if (lo < v)
            hi++;
    }
    if (hi == 0 && lo % s->n == 0)
        snprintf(buf, sizeof buf, "%" PRIu64, lo / s->n);
    else
        num_format_double((ldexp((double)hi, 64) + (double)lo) / (double)s->n, buf);
    csv_write_string(w, buf);
}

static double
mean_of(const series *s)
{
    double sum = 0;
    for (size_t i = 0; i < s->n; i++)
        sum += (double)s->runs[i].counts.tbk;
    return sum / (double)s->n;
}

/* allocs_ci_low, allocs_ci_high: empty for one run; the minimum and the
   maximum for two; from three runs on, the 95% Student t interval of the
   mean, mean -/+ t(0.975, n-1) * s / sqrt(n), its low end kept at 0 or
   above.  */
static void
write_ci(csv_writer *w, const series *s)
{
    char buf[NUM_BUFSIZE];
    if (s->n < 2) {
        csv_write_string(w, "");
        csv_write_string(w, "");
        return;
    }
    if (s->n == 2) {
        uint64_t a = s->runs[0].counts.tbk, b = s->runs[1].counts.tbk;
        snprintf(buf, sizeof buf, "%" PRIu64, a < b ? a : b);
        csv_write_string(w, buf);
        snprintf(buf, sizeof buf, "%" PRIu64, a < b ? b : a);
        csv_write_string(w, buf);
        return;
    }
    double mean = mean_of(s), ss = 0;
    for (size_t i = 0; i < s->n; i++) {
        double d = (double)s->runs[i].counts.tbk - mean;
        ss += d * d;
    }
    double sd = sqrt(ss / (double)(s->n - 1));
    double half = t_quantile_975(s->n - 1) * sd / sqrt((double)s->n);
    double low = mean - half;
    csv_write_string(w, num_format_double(low > 0 ? low : 0, buf));
    csv_write_string(w, num_format_double(mean + half, buf));
}

static void
write_totals(void)
{
    bool ci = false, adhoc = false, copy = false;
    for (size_t i = 0; i < groups.count; i++) {
        const group *g = groups.entries[i].value;
        ci |= g->heap.n >= 2;
        adhoc |= g->adhoc.n > 0;
        copy |= g->copy.n > 0;
    }

    csv_writer w;
    csv_writer_init(&w, stdout);
    csv_write_string(&w, "bench");
    csv_write_string(&w, "allocs");
    if (ci) {
        csv_write_string(&w, "allocs_ci_low");
        csv_write_string(&w, "allocs_ci_high");
    }
    static const char *const heap_cols[] = {"alloc_bytes", "peak_bytes", "peak_blocks", "end_bytes",
                                            "end_blocks"};
    for (size_t i = 0; i < 5; i++)
        csv_write_string(&w, heap_cols[i]);
    if (adhoc) {
        csv_write_string(&w, "adhoc_events");
        csv_write_string(&w, "adhoc_units");
    }
    if (copy) {
        csv_write_string(&w, "copy_calls");
        csv_write_string(&w, "copy_bytes");
    }
    csv_write_end(&w);

    for (size_t i = 0; i < groups.count; i++) {
        const strmap_entry *e = &groups.entries[i];
        const group *g = e->value;
        csv_write_field(&w, e->key, e->key_len);
        if (g->heap.n > 0) {
            bool live = true;
            for (size_t j = 0; j < g->heap.n; j++)
                live &= g->heap.runs[j].live;
            write_mean(&w, &g->heap, offsetof(dhat_counts, tbk));
            if (ci)
                write_ci(&w, &g->heap);
            write_mean(&w, &g->heap, offsetof(dhat_counts, tb));
            static const size_t live_fields[] = {
                offsetof(dhat_counts, gb), offsetof(dhat_counts, gbk), offsetof(dhat_counts, eb),
                offsetof(dhat_counts, ebk)};
            for (size_t j = 0; j < 4; j++)
                if (live)
                    write_mean(&w, &g->heap, live_fields[j]);
                else
                    csv_write_string(&w, "");
        } else {
            for (size_t j = 0; j < (ci ? 8u : 6u); j++)
                csv_write_string(&w, "");
        }
        const series *ev[2] = {adhoc ? &g->adhoc : NULL, copy ? &g->copy : NULL};
        for (size_t k = 0; k < 2; k++) {
            if (ev[k] == NULL)
                continue;
            if (ev[k]->n > 0) {
                write_mean(&w, ev[k], offsetof(dhat_counts, tbk));
                write_mean(&w, ev[k], offsetof(dhat_counts, tb));
            } else {
                csv_write_string(&w, "");
                csv_write_string(&w, "");
            }
        }
        csv_write_end(&w);
    }
}

static void
free_groups(void)
{
    for (size_t i = 0; i < groups.count; i++) {
        group *g = groups.entries[i].value;
        free(g->heap.runs);
        free(g->adhoc.runs);
        free(g->copy.runs);
        free(g);
    }
    strmap_free(&groups);
}

/* ---------------------------------------------------------------------
   --top: the N heaviest program points, kept in a min-heap whose root is
   the lightest of them, so memory is proportional to N.  */

typedef struct top_item {
    uint64_t key, index;
    dhat_counts counts;
    uint64_t *fs;
    size_t nfs;
} top_item;

typedef struct top_state {
    top_item *items;
    size_t n;
    uint64_t *wanted; /* the frames of the kept items, sorted, distinct */
    size_t nwanted;
    char **frames; /* text of wanted[i], or NULL */
    size_t *frame_lens;
} top_state;

/* Heavier first; ties go to the earlier program point, so the order never
   depends on anything but the file.  */
static bool
heavier(const top_item *a, const top_item *b)
{
    return a->key != b->key ? a->key > b->key : a->index < b->index;
}

static void
heap_sift_down(top_item *h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && heavier(&h[m], &h[l]))
            m = l;
        if (r < n && heavier(&h[m], &h[r]))
            m = r;
        if (m == i)
            return;
        top_item t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
}

static void
top_pp(void *ctx, const dhat_pp *pp)
{
    top_state *t = ctx;
    top_item item = {.index = pp->index, .counts = pp->counts, .nfs = pp->nfs};
    item.key = opt.by == BY_BLOCKS  ? pp->counts.tbk
               : opt.by == BY_BYTES ? pp->counts.tb
                                    : pp->counts.gb;
    top_item *slot;
    if (t->n < (size_t)opt.top) {
        slot = &t->items[t->n++];
        slot->fs = NULL;
    } else if (heavier(&item, &t->items[0])) {
        slot = &t->items[0];
    } else {
        return;
    }
    uint64_t *fs = slot->fs;
    *slot = item;
    slot->fs = xreallocarray(fs, pp->nfs, sizeof *fs);
    if (pp->nfs > 0)
        memcpy(slot->fs, pp->fs, pp->nfs * sizeof *fs);
    if (slot == &t->items[0] && t->n == (size_t)opt.top) {
        heap_sift_down(t->items, t->n, 0);
    } else {
        /* Sift the new item up.  */
        size_t i = (size_t)(slot - t->items);
        while (i > 0 && heavier(&t->items[(i - 1) / 2], &t->items[i])) {
            top_item tmp = t->items[i];
            t->items[i] = t->items[(i - 1) / 2];
            t->items[(i - 1) / 2] = tmp;
            i = (i - 1) / 2;
        }
    }
}

static int
cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static size_t
top_frames_wanted(void *ctx, const uint64_t **indexes)
{
    top_state *t = ctx;
    size_t n = 0;
    for (size_t i = 0; i < t->n; i++)
        n += t->items[i].nfs;
    t->wanted = xreallocarray(NULL, n, sizeof *t->wanted);
    n = 0;
    for (size_t i = 0; i < t->n; i++)
        for (size_t j = 0; j < t->items[i].nfs; j++)
            t->wanted[n++] = t->items[i].fs[j];
    qsort(t->wanted, n, sizeof *t->wanted, cmp_u64);
    size_t distinct = 0;
    for (size_t i = 0; i < n; i++)
        if (distinct == 0 || t->wanted[distinct - 1] != t->wanted[i])
            t->wanted[distinct++] = t->wanted[i];
    t->nwanted = distinct;
    t->frames = xcalloc(distinct, sizeof *t->frames);
    t->frame_lens = xcalloc(distinct, sizeof *t->frame_lens);
    *indexes = t->wanted;
    return distinct;
}

static void
top_frame(void *ctx, uint64_t index, const char *text, size_t len)
{
    top_state *t = ctx;
    const uint64_t *p = bsearch(&index, t->wanted, t->nwanted, sizeof index, cmp_u64);
    if (p != NULL) {
        size_t i = (size_t)(p - t->wanted);
        free(t->frames[i]);
        t->frames[i] = xstrndup(text, len);
        t->frame_lens[i] = len;
    }
}

static int
cmp_items(const void *a, const void *b)
{
    return heavier(a, b) ? -1 : heavier(b, a) ? 1 : 0;
}

static void
top_free(top_state *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->items[i].fs);
    for (size_t i = 0; i < t->nwanted; i++)
        free(t->frames[i]);
    free(t->items);
    free(t->wanted);
    free(t->frames);
    free(t->frame_lens);
}

/* Frame text for a log: control bytes (a frame may hold any) as \xNN.  */
static void
print_frame(const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c < 0x20 || c == 0x7f)
            printf("\\x%02x", c);
        else
            putchar(c);
    }
}

static void
percent(char *buf, size_t size, uint64_t part, uint64_t whole)
{
    if (whole == 0)
        snprintf(buf, size, "-");
    else
        snprintf(buf, size, "%.1f%%", 100.0 * (double)part / (double)whole);
}

static void
top_print_text(const top_state *t, const char *file, const char *bench, const dhat_info *info,
               bool first)
{
    const char *blocks = info->kind == DHAT_HEAP    ? "blocks"
                         : info->kind == DHAT_ADHOC ? "events"
                                                    : "calls";
    const char *bytes = info->kind == DHAT_ADHOC ? "units" : "bytes";
    char p1[16], p2[16];

    if (!first)
        putchar('\n');
    printf("%s: bench %s, mode %s, %" PRIu64 " program points\n", file, bench, info->mode,
           info->npps);
    printf("  total: %" PRIu64 " %s, %" PRIu64 " %s", info->total.tbk, blocks, info->total.tb,
           bytes);
    if (info->bklt)
        printf("; at t-gmax: %" PRIu64 " bytes in %" PRIu64 " blocks; at t-end: %" PRIu64
               " bytes in %" PRIu64 " blocks",
               info->total.gb, info->total.gbk, info->total.eb, info->total.ebk);
    printf("\n  top %zu by %s:\n", t->n,
           opt.by == BY_BLOCKS  ? blocks
           : opt.by == BY_BYTES ? bytes
                                : "bytes at t-gmax");
    for (size_t i = 0; i < t->n; i++) {
        const top_item *it = &t->items[i];
        percent(p1, sizeof p1, it->counts.tbk, info->total.tbk);
        percent(p2, sizeof p2, it->counts.tb, info->total.tb);
        printf("  #%zu  %" PRIu64 " %s (%s), %" PRIu64 " %s (%s)", i + 1, it->counts.tbk, blocks,
               p1, it->counts.tb, bytes, p2);
        if (info->bklt)
            printf(", at t-gmax %" PRIu64 " bytes in %" PRIu64 " blocks, at t-end %" PRIu64
                   " bytes in %" PRIu64 " blocks",
                   it->counts.gb, it->counts.gbk, it->counts.eb, it->counts.ebk);
        printf("  [pp %" PRIu64 "]\n", it->index);
        if (it->nfs == 0)
            puts("        (no frames)");
        for (size_t j = 0; j < it->nfs; j++) {
            const uint64_t *p =
                bsearch(&it->fs[j], t->wanted, t->nwanted, sizeof *t->wanted, cmp_u64);
            size_t k = (size_t)(p - t->wanted);
            fputs("        ", stdout);
            print_frame(t->frames[k], t->frame_lens[k]);
            putchar('\n');
        }
    }
}

static void
top_print_csv(const top_state *t, const char *file, const char *bench, const dhat_info *info)
{
    csv_writer w;
    char buf[32];
    csv_writer_init(&w, stdout);
    for (size_t i = 0; i < t->n; i++) {
        const top_item *it = &t->items[i];
        const uint64_t live[4] = {it->counts.gb, it->counts.gbk, it->counts.eb, it->counts.ebk};
        csv_write_string(&w, bench);
        csv_write_string(&w, file);
        csv_write_string(&w, info->mode);
        snprintf(buf, sizeof buf, "%zu", i + 1);
        csv_write_string(&w, buf);
        snprintf(buf, sizeof buf, "%" PRIu64, it->counts.tbk);
        csv_write_string(&w, buf);
        snprintf(buf, sizeof buf, "%" PRIu64, it->counts.tb);
        csv_write_string(&w, buf);
        for (size_t j = 0; j < 4; j++) {
            if (info->bklt)
                snprintf(buf, sizeof buf, "%" PRIu64, live[j]);
            else
                buf[0] = '\0';
            csv_write_string(&w, buf);
        }
        /* The frames, innermost first, one per line of a quoted field.  */
        size_t total = 0;
        for (size_t j = 0; j < it->nfs; j++) {
            const uint64_t *p =
                bsearch(&it->fs[j], t->wanted, t->nwanted, sizeof *t->wanted, cmp_u64);
            total += t->frame_lens[p - t->wanted] + 1;
        }
        char *frames = xmalloc(total + 1);
        size_t len = 0;
        for (size_t j = 0; j < it->nfs; j++) {
            const uint64_t *p =
                bsearch(&it->fs[j], t->wanted, t->nwanted, sizeof *t->wanted, cmp_u64);
            size_t k = (size_t)(p - t->wanted);
            if (j > 0)
                frames[len++] = '\n';
            memcpy(frames + len, t->frames[k], t->frame_lens[k]);
            len += t->frame_lens[k];
        }
        csv_write_field(&w, frames, len);
        free(frames);
        csv_write_end(&w);
    }
}

/* ---------------------------------------------------------------------
   One file.  */

static int
scan_file(const char *file, bool first_output)
{
    int fd = STDIN_FILENO;
    if (strcmp(file, "-") != 0) {
        fd = open(file, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            cli_warn_at(file, 0, "%s", strerror(errno));
            return -1;
        }
    }

    char *bench = bench_name(file);
    int rc = -1;
    if (bench != NULL) {
        dhat_info info;
        if (opt.top == 0) {
            if (dhat_scan_fd(fd, file, NULL, &info) == 0) {
                add_run(bench, &info);
                dhat_info_free(&info);
                rc = 0;
            }
        } else {
            top_state t = {.items = xcalloc((size_t)opt.top, sizeof(top_item))};
            dhat_hooks hooks = {
                .ctx = &t, .pp = top_pp, .frames_wanted = top_frames_wanted, .frame = top_frame};
            if (dhat_scan_fd(fd, file, &hooks, &info) == 0) {
                if (opt.by == BY_PEAK && !info.bklt) {
                    cli_warn_at(file, 0,
                                "--by peak needs block lifetimes, which this %s profile does "
                                "not record",
                                cli_quote_str(info.mode));
                } else {
                    qsort(t.items, t.n, sizeof *t.items, cmp_items);
                    if (opt.csv)
                        top_print_csv(&t, file, bench, &info);
                    else
                        top_print_text(&t, file, bench, &info, first_output);
                    rc = 0;
                }
                dhat_info_free(&info);
            }
            top_free(&t);
        }
    }
    free(bench);
    if (fd != STDIN_FILENO && close(fd) != 0 && rc == 0) {
        cli_warn_at(file, 0, "%s", strerror(errno));
        rc = -1;
    }
    return rc;
}

int
main(int argc, char **argv)
{
    int c;

    cli_init("dhat-scan");
    while ((c = cli_getopt(argc, argv, "b:r:t:hV", long_options)) != -1) {
        switch (c) {
        case 'b':
            opt.bench = optarg;
            break;
        case 'r':
            opt.root = optarg;
            break;
        case 't':
            if (cli_parse_long(optarg, 1, 1000000, &opt.top) != 0)
                cli_usage_error("invalid --top value '%s' (a whole number from 1 to 1000000)",
                                optarg);
            break;
        case OPT_BY:
            if (strcmp(optarg, "blocks") == 0)
                opt.by = BY_BLOCKS;
            else if (strcmp(optarg, "bytes") == 0)
                opt.by = BY_BYTES;
            else if (strcmp(optarg, "peak") == 0)
                opt.by = BY_PEAK;
            else
                cli_usage_error("invalid --by value '%s' (blocks, bytes or peak)", optarg);
            break;
        case OPT_CSV:
            opt.csv = true;
            break;
        case 'h':
            usage();
            return cli_finish(EXIT_OK);
        case 'V':
            cli_print_version();
            return cli_finish(EXIT_OK);
        }
    }
    if (opt.top == 0 && opt.csv)
        cli_usage_error("--csv goes with --top (the totals are always CSV)");
    opt.root_real = realpath(opt.root, NULL);
    if (opt.root_real == NULL)
        cli_usage_error("--root %s: %s", opt.root, strerror(errno));

    static char *const stdin_only[] = {"-"};
    char *const *files = optind < argc ? argv + optind : stdin_only;
    size_t nfiles = optind < argc ? (size_t)(argc - optind) : 1;
    int status = EXIT_OK;
    bool first_output = true;

    strmap_init(&groups);
    if (opt.top > 0 && opt.csv) {
        fputs("bench,file,mode,rank,blocks,bytes,peak_bytes,peak_blocks,end_bytes,end_blocks,"
              "frames\n",
              stdout);
    }
    for (size_t i = 0; i < nfiles; i++) {
        if (scan_file(files[i], first_output) == 0)
            first_output = false;
        else
            status = EXIT_BAD_INPUT;
    }
    if (opt.top == 0)
        write_totals();
    free_groups();
    free(opt.root_real);
    return cli_finish(status);
}
