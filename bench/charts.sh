#!/bin/sh
# bench/charts.sh: how long sparkline and badge take to draw every chart of
# a large history with -d.
#
# Makes a history of 1,000 benches x 200 commits x 2 metrics (400,000 rows,
# with allocation counts) in a temporary directory, then times
# "sparkline -d" (2,000 SVGs) and "badge -d" (2,000 SVGs), best of RUNS runs
# (default 5: this machine's timings spread by a third from run to run)
# each, in wall time and in CPU time.  The Python original (bench/plot.py)
# needs 3.0 s for the same work on the reference machine; the target is
# under 0.3 s in total.
#
# Creating thousands of files is the file system's work as much as ours:
# on this machine's ext4 each new file costs about half a millisecond of
# kernel time, more than all the drawing.  So the history and the charts
# go to /dev/shm (memory) when it exists, to time the programs rather than
# the disk; set TMPDIR to choose, e.g. TMPDIR=/tmp to include the disk.
#
# Usage: bench/charts.sh [BUILDDIR]   (default: the current directory, or
# the programs on PATH when it has no src/sparkline)
# SPDX-License-Identifier: MIT

set -eu
. "$(dirname "$0")/bencher.sh"
LC_ALL=C
export LC_ALL

build=${1:-.}
if [ -x "$build/src/sparkline" ]; then
    sparkline=$build/src/sparkline
    badge=$build/src/badge
else
    sparkline=sparkline
    badge=badge
fi

if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
    TMPDIR=/dev/shm
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/benchtrack-charts.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# Deterministic data: a slow drift plus a small wobble per bench, and a
# release tag every 40 commits.
awk 'BEGIN {
    print "commit,version,date,bench,metric,unit,value,ci_low,ci_high,allocs,allocs_ci_low,allocs_ci_high,rustc,machine"
    for (c = 0; c < 200; c++) {
        commit = sprintf("%012x", c * 2654435761 % 281474976710656)
        version = (c % 40 == 0) ? sprintf("v0.%d.0", c / 40) : ""
        date = sprintf("2025-%02d-%02dT12:00:00Z", 1 + int(c / 28), 1 + c % 28)
        for (b = 0; b < 1000; b++) {
            base = 1000 + b * 997 % 100000
            v = base * (1 + 0.001 * c + 0.05 * sin(b + c))
            a = 100 + b % 50 + int(c / 50)
            printf "%s,%s,%s,group_%d/case_%d,mean,ns,%.6f,%.6f,%.6f,%d,%d,%d,rustc 1.91.1 (ed61e7d7e 2025-11-07),github\n",
                commit, version, date, b % 37, b, v, v * 0.98, v * 1.02, a, a, a
            printf "%s,%s,%s,group_%d/case_%d,median,ns,%.6f,%.6f,%.6f,%d,%d,%d,rustc 1.91.1 (ed61e7d7e 2025-11-07),github\n",
                commit, version, date, b % 37, b, v * 0.99, v * 0.97, v * 1.01, a, a, a
        }
    }
}' >"$tmp/history.csv"

rows=$(($(wc -l <"$tmp/history.csv") - 1))
bytes=$(wc -c <"$tmp/history.csv")

now() {
    date +%s.%N
}

# seconds_ "XmY.Zs": the seconds in a "times" figure.
seconds_() {
    echo "$1" | awk '{ split($1, a, "m"); sub("s", "", a[2]); print a[1] * 60 + a[2] }'
}

# best_of_ NAME CMD...: runs CMD $runs times into a fresh $tmp/img and prints
# "NAME WALL CPU", the best wall time and the best CPU time (user + system)
# in seconds.  Wall time is what a user waits; CPU time is what the
# program costs, and does not change when other work shares the machine.
runs=${RUNS:-5}
best_of_() {
    name=$1
    shift
    best_wall=
    best_cpu=
    for _ in $(seq "$runs"); do
        rm -rf "$tmp/img"
        t0=$(now)
        (
            "$@"
            times >"$tmp/times" # not in a pipeline: that would be a new shell
        )
        cpu=$(tail -n 1 "$tmp/times")
        t1=$(now)
        wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
        cpu=$(awk -v u="$(seconds_ "$(echo "$cpu" | cut -d' ' -f1)")" \
            -v s="$(seconds_ "$(echo "$cpu" | cut -d' ' -f2)")" 'BEGIN { print u + s }')
        best_wall=$(awk -v a="$wall" -v b="${best_wall:-1e9}" 'BEGIN { print (a < b) ? a : b }')
        best_cpu=$(awk -v a="$cpu" -v b="${best_cpu:-1e9}" 'BEGIN { print (a < b) ? a : b }')
    done
    echo "$name $best_wall $best_cpu $(ls "$tmp/img" | wc -l)"
}

sync
s=$(best_of_ sparkline "$sparkline" -d "$tmp/img" "$tmp/history.csv")
b=$(best_of_ badge "$badge" -d "$tmp/img" "$tmp/history.csv")

echo "$s
$b" | awk -v rows="$rows" -v bytes="$bytes" -v dir="$tmp" -v runs="$runs" '
{ name[NR] = $1; wall[NR] = $2; cpu[NR] = $3; files[NR] = $4 }
END {
    printf "history: %d rows, %.1f MB, in %s\n", rows, bytes / 1e6, dir
    for (i = 1; i <= 2; i++)
        printf "%-9s -d: %4d files, %.3f s wall, %.3f s CPU (best of %d)\n", name[i], files[i], wall[i], cpu[i], runs
    printf "total:         %.3f s wall, %.3f s CPU (target: under 0.3 s; the Python original: 3.0 s)\n",
        wall[1] + wall[2], cpu[1] + cpu[2]
}'
bencher_ "sparkline/d-$rows-rows" "$(echo "$s" | cut -d' ' -f2)"
bencher_ "badge/d-$rows-rows" "$(echo "$b" | cut -d' ' -f2)"
