#!/bin/sh
# bench/gate-speed.sh: time bench-gate judging the newest commit of a
# 120,000-row history (1,000 benches x 2 metrics x 60 commits, with
# allocation counts), and replaying every commit of it.  Prints the median
# and the range of 5 runs of each, in seconds.
#
# Usage: bench/gate-speed.sh [BENCH_GATE]   (default: the built src/bench-gate)
# Environment: BENCHES (default 1000), COMMITS (default 60), RUNS (default 5).
# SPDX-License-Identifier: MIT

set -eu
LC_ALL=C
export LC_ALL
here=$(cd "$(dirname "$0")" && pwd)
gate=${1:-${BENCH_GATE:-$here/../_build/src/bench-gate}}
benches=${BENCHES:-1000}
commits=${COMMITS:-60}
runs=${RUNS:-5}
[ -x "$gate" ] || { echo "bench-gate not found at $gate (pass its path)" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Noisy times (a few per cent, an outlier now and then, a step in one bench
# in ten) and allocation counts that change once in a while.
awk -v benches="$benches" -v commits="$commits" 'BEGIN {
    srand(1)
    print "commit,version,date,bench,metric,unit,value,ci_low,ci_high,allocs,allocs_ci_low,allocs_ci_high,rustc,machine"
    for (c = 1; c <= commits; c++) {
        id = sprintf("%012x", c * 7919)
        for (b = 1; b <= benches; b++) {
            level = 1000 * (1 + b % 97) * ((b % 10 == 0 && c > commits / 2) ? 1.3 : 1)
            allocs = 100 + b % 13 + (c > commits / 3 && b % 17 == 0)
            for (m = 0; m < 2; m++) {
                v = level * exp(0.04 * (rand() + rand() + rand() - 1.5))
                if (rand() < 0.03) v *= 1.3
                printf "%s,,2026-01-01T00:00:00Z,group_%d/%d,%s,ns,%.6g,,,%d,,,rustc 1.91.1,ci\n",
                    id, b % 40, b, m ? "median" : "mean", v, allocs
            }
        }
    }
}' >"$tmp/history.csv"
rows=$(($(wc -l <"$tmp/history.csv") - 1))

# time_runs ARGS...: the median and range of RUNS wall-clock times.
time_runs() {
    i=0
    : >"$tmp/times"
    while [ "$i" -lt "$runs" ]; do
        start=$(date +%s.%N)
        st=0
        "$gate" "$@" >/dev/null || st=$?
        [ "$st" -le 1 ] || { echo "bench-gate failed (exit $st)" >&2; exit 2; }
        end=$(date +%s.%N)
        echo "$start $end" | awk '{ printf "%.4f\n", $2 - $1 }' >>"$tmp/times"
        i=$((i + 1))
    done
    sort -n "$tmp/times" | awk '{ t[NR] = $1 } END {
        printf "median %.3f s, range %.3f-%.3f s\n", t[int((NR + 1) / 2)], t[1], t[NR] }'
}

echo "bench-gate on $rows rows ($benches benches x 2 metrics x $commits commits), $runs runs:"
printf '  newest commit (Markdown):  '
time_runs "$tmp/history.csv"
printf '  every commit (--replay):   '
time_runs --replay "$tmp/history.csv"
