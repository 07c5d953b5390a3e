#!/bin/sh
# bench/criterion-scan.sh: how long criterion-scan takes to scan a
# target/criterion tree of N benchmarks (default 10,000).
#
#   bench/criterion-scan.sh [-n N] [-r RUNS] [CRITERION_SCAN]
#
# Builds the tree in a temporary folder from the files of one real fixture
# benchmark (tests/data/criterion/real/criterion/parse/json/64): N
# benchmarks in groups of 100, each with new/ (benchmark.json,
# estimates.json, raw.csv), base/, change/ and report/ as Criterion.rs 0.3
# leaves them, with its own name and its estimates scaled by its own
# factor.  Then runs CRITERION_SCAN (default: src/criterion-scan of the
# build folder it is run from, else the one on PATH) RUNS times (default 5)
# and prints the best wall-clock time.  The files are in the page cache by
# then, as they are right after cargo bench.
# SPDX-License-Identifier: MIT

set -eu
. "$(dirname "$0")/bencher.sh"
n=10000
runs=5
while getopts n:r: opt; do
    case $opt in
    n) n=$OPTARG ;;
    r) runs=$OPTARG ;;
    *) echo "usage: $0 [-n N] [-r RUNS] [CRITERION_SCAN]" >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
here=$(cd "$(dirname "$0")/.." && pwd)
if [ $# -gt 0 ]; then
    prog=$1
elif [ -x src/criterion-scan ]; then
    prog=$(pwd)/src/criterion-scan
else
    prog=$(command -v criterion-scan) || { echo "$0: no criterion-scan" >&2; exit 2; }
fi
template="$here/tests/data/criterion/real/criterion/parse/json/64/new"

work=$(mktemp -d "${TMPDIR:-/tmp}/criterion-scan-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
root="$work/criterion"

# The folders first, in one mkdir run.
awk -v n="$n" -v root="$root" 'BEGIN {
    for (i = 0; i < n; i++) {
        d = sprintf("%s/group_%03d/bench %05d", root, int(i / 100), i)
        print d "/new"; print d "/base"; print d "/change"; print d "/report"
    }
}' | tr '\n' '\0' | xargs -0 mkdir -p

# Then the files: the template's, with each benchmark's name and every
# estimate multiplied by 1 + i/N.
awk -v n="$n" -v root="$root" \
    -v est="$(cat "$template/estimates.json")" \
    -v raw="$(cat "$template/raw.csv")" 'function scaled(text, f,    out, num) {
        out = ""
        while (match(text, /"(lower_bound|upper_bound|point_estimate|standard_error)":[-0-9.e+]+/)) {
            out = out substr(text, 1, RSTART - 1)
            num = substr(text, RSTART, RLENGTH)
            sub(/:.*/, "", num)
            out = out sprintf("%s:%.17g", num, (substr(text, RSTART + length(num) + 1, RLENGTH - length(num) - 1) + 0) * f)
            text = substr(text, RSTART + RLENGTH)
        }
        return out text
    }
    BEGIN {
        for (i = 0; i < n; i++) {
            g = sprintf("group_%03d", int(i / 100))
            b = sprintf("bench %05d", i)
            d = root "/" g "/" b
            id = g "/" b
            meta = sprintf("{\"group_id\":\"%s\",\"function_id\":\"%s\",\"value_str\":null,\"throughput\":{\"Bytes\":64},\"full_id\":\"%s\",\"directory_name\":\"%s\",\"title\":\"%s\"}", g, b, id, id, id)
            e = scaled(est, 1 + i / n)
            f = d "/new/benchmark.json"; printf "%s", meta > f; close(f)
            f = d "/new/estimates.json"; printf "%s", e > f; close(f)
            f = d "/new/raw.csv"; print raw > f; close(f)
            f = d "/base/benchmark.json"; printf "%s", meta > f; close(f)
            f = d "/base/estimates.json"; printf "%s", e > f; close(f)
            f = d "/change/estimates.json"; printf "%s", e > f; close(f)
            f = d "/report/index.html"; print "<html></html>" > f; close(f)
        }
    }'

now() { date +%s%N; }
best=
rows=
for run in $(seq "$runs"); do
    start=$(now)
    "$prog" "$root" >"$work/out.csv"
    end=$(now)
    t=$((end - start))
    if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
    rows=$(($(wc -l <"$work/out.csv") - 1))
done
[ "$rows" -eq $((2 * n)) ] || { echo "$0: expected $((2 * n)) rows, got $rows" >&2; exit 1; }
printf 'criterion-scan: %d benchmarks (%d rows) in %d.%03d s (best of %d runs)\n' \
    "$n" "$rows" $((best / 1000000000)) $((best / 1000000 % 1000)) "$runs"
bencher_ "criterion-scan/tree-$n" "$(awk -v ns="$best" 'BEGIN { print ns / 1e9 }')"
