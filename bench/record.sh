#!/bin/sh
# bench/record.sh: the project's own benchmarks, recorded through its own
# flows.  Runs every bench/*.sh of this tree, which print their figures
# for a person and, with BENCH_BENCHER set, as bencher lines; then
# benchtrack-collect stamps them (commit, date, machine) into
# bench/results/<machine>.csv and benchtrack-plot draws bench/img/.
#
# Usage: bench/record.sh [--print-only] [BUILD_DIR]
#   BUILD_DIR: where the programs were built (default: _build).
#   --print-only: run the benchmarks and print, record nothing.
# Environment: BENCH_MACHINE (default: local), BENCH_ONLY (a space-separated
# subset of: csv-merge criterion-scan dhat-scan charts preload).
# SPDX-License-Identifier: MIT

set -eu
LC_ALL=C
export LC_ALL
top=$(cd "$(dirname "$0")/.." && pwd)
record=yes
if [ "${1:-}" = --print-only ]; then
    record=no
    shift
fi
build=$(cd "${1:-$top/_build}" && pwd)
machine=${BENCH_MACHINE:-local}
only=${BENCH_ONLY:-csv-merge criterion-scan dhat-scan charts preload}
[ -x "$build/src/csv-merge" ] || { echo "$0: no programs in $build: build first" >&2; exit 2; }

PATH="$build/src:$build/scripts:$build/preload:$PATH"
export PATH
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
BENCH_BENCHER=$tmp/bencher.txt
export BENCH_BENCHER
: >"$BENCH_BENCHER"

for name in $only; do
    echo "== bench/$name.sh"
    case $name in
    csv-merge) sh "$top/bench/csv-merge.sh" "$build/src/csv-merge" ;;
    criterion-scan) sh "$top/bench/criterion-scan.sh" "$build/src/criterion-scan" ;;
    dhat-scan) DHAT_SCAN=$build/src/dhat-scan sh "$top/bench/dhat-scan.sh" ;;
    charts) sh "$top/bench/charts.sh" "$build" ;;
    preload) sh "$top/bench/preload.sh" "$build" ;;
    *) echo "$0: unknown benchmark '$name'" >&2; exit 2 ;;
    esac
done

[ "$record" = yes ] || exit 0
echo "== recording $(wc -l <"$BENCH_BENCHER") figures"
cd "$top"
# The toolchain column records the C compiler that built the programs.
BENCHTRACK_RUSTC=${BENCHTRACK_RUSTC:-$(${CC:-cc} --version | head -n 1)}
export BENCHTRACK_RUSTC
benchtrack-collect --machine "$machine" --results-dir bench/results --input "$BENCH_BENCHER"
# Bencher lines carry one figure each, recorded as metric median.
benchtrack-plot --machine "$machine" --results-dir bench/results --output-dir bench/img --metric median
