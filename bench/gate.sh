#!/bin/sh
# bench/gate.sh: how well the regression gate judges noisy histories, and
# how fast.  bench/gate-sim.py builds histories from the noise of a real
# shared-runner history (tests/data/rustychickpeas/github.csv), injects
# lasting time steps and allocation steps, and prints for bench-gate and
# for two anchors' rules computed on the same histories: the share of
# commits without a real change that go red, false alarms per 1,000 series
# checks, the share of steps caught within two commits, and whether the
# allocation verdicts were exact; then it replays the real history.
# Last, the time to judge a 120,000-row history (median and range of RUNS).
#
# Usage: bench/gate.sh [BENCH_GATE]   (default: the built src/bench-gate)
# Environment: HISTORIES (default 12), COMMITS (default 120), SEED (1),
#              ROWS (default 120000), RUNS (default 5).
# SPDX-License-Identifier: MIT

set -eu
LC_ALL=C
export LC_ALL
here=$(cd "$(dirname "$0")" && pwd)
gate=${1:-${BENCH_GATE:-$here/../_build/src/bench-gate}}
[ -x "$gate" ] || { echo "bench-gate not found at $gate (pass its path)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "needs python3" >&2; exit 2; }

python3 "$here/gate-sim.py" "$gate" "$here/../tests/data/rustychickpeas/github.csv" \
    --histories "${HISTORIES:-12}" --commits "${COMMITS:-120}" --seed "${SEED:-1}"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rows=${ROWS:-120000}
runs=${RUNS:-5}
# A long history: 500 benches x 2 metrics per commit, 120 commits.
awk -v rows="$rows" 'BEGIN {
    print "commit,version,date,bench,metric,unit,value,ci_low,ci_high,allocs,allocs_ci_low,allocs_ci_high,rustc,machine"
    srand(1); n = 0
    for (c = 0; n < rows; c++)
        for (b = 0; b < 500 && n < rows; b++)
            for (m = 0; m < 2 && n < rows; m++) {
                v = (1000 + b * 37) * (1 + 0.05 * (rand() - 0.5)) * (c > 60 && b % 50 == 0 ? 1.3 : 1)
                printf "%012x,,2026-01-01T00:00:00Z,group_%d/%d,%s,ns,%.6g,%.6g,%.6g,%d,,,rustc 1.91.1,github\n", c * 7919 + 1234567, b % 40, b, m ? "median" : "mean", v, v * 0.998, v * 1.002, b + (c > 90 && b % 70 == 0)
                n++
            }
}' >"$tmp/history.csv"
i=0
while [ "$i" -lt "$runs" ]; do
    start=$(date +%s.%N)
    "$gate" --format csv "$tmp/history.csv" >/dev/null || [ $? -eq 1 ]
    end=$(date +%s.%N)
    echo "$start $end" | awk '{ printf "%.4f\n", $2 - $1 }'
    i=$((i + 1))
done | sort -n | awk -v rows="$rows" '{ t[NR] = $1 } END {
    printf "bench-gate on a %d-row history: median %.3f s (range %.3f-%.3f s, %d runs; target < 0.5 s)\n",
        rows, t[int((NR + 1) / 2)], t[1], t[NR], NR }'
