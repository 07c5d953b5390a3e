#!/bin/sh
# bench/csv-merge.sh: time merging 2,000 new rows into a 1,000,000-row
# history, against Miller doing the same concatenation and de-duplication
# in the same run.  Prints seconds and peak RSS for both, and the ratio.
#
# Usage: bench/csv-merge.sh [CSV_MERGE]   (default: the built src/csv-merge)
# Environment: ROWS (history rows, default 1000000), NEW (default 2000),
#              RUNS (best of, default 3).
# SPDX-License-Identifier: MIT

set -eu
. "$(dirname "$0")/bencher.sh"
LC_ALL=C
export LC_ALL
here=$(cd "$(dirname "$0")" && pwd)
merge=${1:-${CSV_MERGE:-$here/../_build/src/csv-merge}}
rows=${ROWS:-1000000}
new=${NEW:-2000}
runs=${RUNS:-3}
[ -x "$merge" ] || { echo "csv-merge not found at $merge (pass its path)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian package time)" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A history like a real one: 14 seed columns, 2,500 benches x 2 metrics per
# commit, one commit after another.  The new rows are the next commit's
# first 1,000 benches; half of them repeat rows already in the history (a
# re-run of the last commit), so de-duplication has work to do.
awk -v rows="$rows" -v new="$new" -v hist="$tmp/history.csv" -v add="$tmp/new.csv" 'BEGIN {
    header = "commit,version,date,bench,metric,unit,value,ci_low,ci_high,allocs,allocs_ci_low,allocs_ci_high,rustc,machine"
    print header > hist; print header > add
    nb = 2500; per = nb * 2; n = 0
    for (c = 0; n < rows; c++) {
        commit = sprintf("%012x", c * 7919 + 1234567)
        for (b = 0; b < nb && n < rows; b++)
            for (m = 0; m < 2 && n < rows; m++) {
                v = 1000 + (b * 37 + c * 11) % 997 + m / 3
                printf "%s,,2025-11-%02dT03:45:55.346631Z,group_%d/%d,%s,ns,%.10g,%.10g,%.10g,,,,rustc 1.91.1 (ed61e7d7e 2025-11-07),github\n", commit, 1 + c % 28, b % 50, b, m ? "median" : "mean", v, v * 0.99, v * 1.01 > hist
                n++; last = c
            }
    }
    for (i = 0; i < new; i++) {
        c = (i < new / 2) ? last : last + 1
        commit = sprintf("%012x", c * 7919 + 1234567)
        b = int(i / 2) % nb; m = i % 2
        printf "%s,,2025-12-01T00:00:00Z,group_%d/%d,%s,ns,%d,%d,%d,,,,rustc 1.92.0,github\n", commit, b % 50, b, m ? "median" : "mean", 2000 + i, 1990 + i, 2010 + i > add
    }
}'

best() { # best (lowest) "seconds rss" of $runs runs of the command
    i=0
    while [ "$i" -lt "$runs" ]; do
        /usr/bin/time -f '%e %M' -o "$tmp/time" "$@" >/dev/null
        cat "$tmp/time"
        i=$((i + 1))
    done | sort -n | head -n 1
}

size=$(wc -c <"$tmp/history.csv")
echo "history: $rows rows ($size bytes); new: $new rows"
ours=$(best "$merge" -o "$tmp/out.csv" "$tmp/history.csv" "$tmp/new.csv")
out_rows=$(($(wc -l <"$tmp/out.csv") - 1))
echo "csv-merge: ${ours% *} s, peak RSS ${ours#* } KiB, $out_rows rows written"
bencher_ "csv-merge/merge-${new}-into-${rows}" "${ours% *}"
if command -v mlr >/dev/null 2>&1; then
    theirs=$(best sh -c 'mlr --csv tail -n 1 -g commit,machine,bench,metric "$1" "$2" >"$3"' mlr \
        "$tmp/history.csv" "$tmp/new.csv" "$tmp/mlr.csv")
    echo "mlr:       ${theirs% *} s, peak RSS ${theirs#* } KiB, $(($(wc -l <"$tmp/mlr.csv") - 1)) rows written"
    bencher_ "peer/mlr-merge-${new}-into-${rows}" "${theirs% *}"
    awk -v a="${ours% *}" -v b="${theirs% *}" 'BEGIN { printf "ratio: csv-merge takes %.3f of Miller'"'"'s time (%.1fx faster)\n", a / b, b / a }'
else
    echo "mlr: not installed (Debian package miller); no ratio"
fi
