/* flows-fakebench: a stand-in for a Criterion.rs bench binary, for the
 * test of benchtrack-allocs (the test suite cannot build Rust).  It answers
 * the two command lines the allocation pass uses as Criterion 0.3 does:
 *
 *   flows-fakebench --bench --list [FILTER] prints "NAME: bench" lines
 *   flows-fakebench --bench --test FILTER  runs the benchmarks FILTER matches
 *
 * FILTER must be exactly what benchtrack-allocs is meant to pass: ^NAME$
 * with every regex meta character of the Rust regex crate escaped; a
 * sloppier filter matches nothing.  Benchmark "allocN..." allocates a
 * known number of blocks.  Output uses write(2), so that printing costs no
 * allocation (a real harness's printing is part of what the baseline run
 * takes off).
 * SPDX-License-Identifier: MIT */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct {
    const char *name;
    int blocks;
} benches[] = {
    {"alloc/10", 10},
    {"none", 0},
    {"weird (x+y)*2 \"q\" [a-z]|$~", 3},
    {"no-results", 1},
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
    if (write(1, a, strlen(a)) < 0 || write(1, b, strlen(b)) < 0)
        exit(1);
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
        say("Testing ", benches[i].name);
        for (int k = 0; k < benches[i].blocks; k++)
            sink[k] = malloc(32 + (size_t) k);
        for (int k = 0; k < benches[i].blocks; k++)
            free(sink[k]);
        say("\nSuccess\n", "");
    }
    return 0;
}
