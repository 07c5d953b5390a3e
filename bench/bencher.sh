# bench/bencher.sh: sourced by the benchmark scripts.  When BENCH_BENCHER
# names a file, bencher_ NAME SECONDS appends the figure to it as a bencher
# line ("test NAME ... bench: N ns/iter (+/- 0)"), which
# "benchtrack-collect --input" reads: bench/record.sh records the project's
# own figures through the flows that way.  Without BENCH_BENCHER it does
# nothing, so the scripts print only what a person reads.
# SPDX-License-Identifier: MIT

bencher_() {
    [ -n "${BENCH_BENCHER:-}" ] || return 0
    awk -v name="$1" -v s="$2" 'BEGIN { printf "test %s ... bench: %.0f ns/iter (+/- 0)\n", name, s * 1e9 }' \
        >>"$BENCH_BENCHER"
}
