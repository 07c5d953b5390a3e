/* flows-fakebench: a stand-in for a Criterion.rs bench binary, for the
 * test of benchtrack-allocs (the test suite cannot build Rust).  It answers
 * the two command lines the allocation pass uses as Criterion 0.3 does:
 *
 *   flows-fakebench --bench --list [FILTER] prints "NAME: bench" lines
 *   flows-fakebench --bench --test FILTER  runs the benchmarks FILTER matches
 *
 * FILTER must be exactly what benchtrack-allocs is meant to pass: ^NAME$
 * with every regex meta character of the Rust regex crate escaped; a
 * sloppier filter matches nothing.  Each benchmark allocates a known number
 * of blocks.  Output uses write(2), one line per call as Rust's
 * line-buffered stdout does, so that printing costs no allocation (a real
 * harness's printing is part of what the baseline run takes off).
 *
 * In test mode each benchmark goes as in criterion 0.3 to 0.5: "Testing
 * NAME", the harness's own allocation (Routine::bench's one-sample
 * Vec<f64>), then Bencher::iter's four clock reads with the routine
 * between the second and the third (or, as the table says, iter_batched's
 * setup before the second and drop after the third, or iter_custom's two
 * reads, or a routine that reads the clock itself), then "Success".
 * SPDX-License-Identifier: MIT */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum {
    ITER,    /* iter: BLOCKS blocks of 32, 33... bytes, freed */
    BATCHED, /* iter_batched: a setup block of 4000 bytes, which the
                routine reallocates to 8000 (BLOCKS is 1) */
    CUSTOM,  /* iter_custom: two clock reads; the routine leaks BLOCKS
                blocks of 100 bytes */
    CLOCK,   /* iter, but the routine reads the clock once too */
};

static const struct {
    const char *name;
    int blocks;
    int kind;
} benches[] = {
    /* clang-format off */
    {"alloc/10", 10, ITER},
    {"none", 0, ITER},
    {"weird (x+y)*2 \"q\" [a-z]|$~", 3, ITER},
    {"no-results", 1, ITER},
    {"batched", 1, BATCHED},
    {"custom", 2, CUSTOM},
    {"clock/2", 2, CLOCK},
    /* clang-format on */
};

/* Kept reachable so that the compiler cannot drop the allocations. */
static void *volatile sink[16];

static const char meta[] = "\\.+*?()|[]{}^$#&-~";

/* Does FILTER select exactly NAME (anchored, fully escaped)? */
static int
matches(const char *filter, const char *name)
{
    size_t len = strlen(filter);
    if (len < 2 || filter[0] != '^' || filter[len - 1] != '$')
        return 0;
    const char *p = filter + 1, *end = filter + len - 1;
    while (p < end) {
        if (*p == '\\') {
            if (p + 1 >= end || !strchr(meta, p[1]) || *name != p[1])
                return 0;
            p += 2;
        } else {
            if (strchr(meta, *p) || *name != *p)
                return 0;
            p++;
        }
        name++;
    }
    return *name == '\0';
}

static void
say(const char *a, const char *b)
{
    char line[256];
    snprintf(line, sizeof line, "%s%s", a, b);
    if (write(1, line, strlen(line)) < 0)
        exit(1);
}

static void
read_clock(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
}

/* The routine of benchmark I, as one of Criterion's Bencher loops runs it
   once. */
static void
run(size_t i)
{
    int blocks = benches[i].blocks;
    void *input = NULL;
    read_clock(); /* time_start */
    if (benches[i].kind == BATCHED)
        input = malloc(4000); /* setup(), not timed */
    if (benches[i].kind != CUSTOM)
        read_clock(); /* measurement.start() */
    switch (benches[i].kind) {
    case ITER:
    case CLOCK:
        for (int k = 0; k < blocks; k++)
            sink[k] = malloc(32 + (size_t)k);
        if (benches[i].kind == CLOCK)
            read_clock();
        for (int k = 0; k < blocks; k++)
            free(sink[k]);
        break;
    case BATCHED:
        sink[0] = realloc(input, 8000);
        break;
    case CUSTOM:
        for (int k = 0; k < blocks; k++)
            sink[k] = malloc(100);
        break;
    }
    if (benches[i].kind != CUSTOM)
        read_clock(); /* measurement.end() */
    if (benches[i].kind == BATCHED)
        free(sink[0]); /* the output, dropped after the timing */
    read_clock();      /* time_start.elapsed() */
}

int
main(int argc, char **argv)
{
    size_t n = sizeof benches / sizeof benches[0];
    if ((argc == 3 || argc == 4) && !strcmp(argv[1], "--bench") && !strcmp(argv[2], "--list")) {
        for (size_t i = 0; i < n; i++)
            if (argc == 3 || matches(argv[3], benches[i].name))
                /* Criterion 0.5 says "benchmark": one line in that form. */
                say(benches[i].name, i == 1 ? ": benchmark\n" : ": bench\n");
        return 0;
    }
    if (argc != 4 || strcmp(argv[1], "--bench") || strcmp(argv[2], "--test")) {
        fprintf(stderr, "flows-fakebench: unexpected command line\n");
        return 2;
    }
    for (size_t i = 0; i < n; i++) {
        if (!matches(argv[3], benches[i].name))
            continue;
        char line[256];
        snprintf(line, sizeof line, "Testing %s\n", benches[i].name);
        say(line, "");
        sink[15] = malloc(8); /* the harness's, before the timing */
        run(i);
        free(sink[15]);
        say("Success\n", "");
    }
    return 0;
}
