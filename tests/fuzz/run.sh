#!/bin/sh
# tests/fuzz/run.sh: runs one libFuzzer target, as make fuzz does for each.
#
#   run.sh PROGRAM TARGET SECONDS DIR
#
# PROGRAM is the fuzz target built by make (tests/fuzz/fuzz_TARGET), TARGET
# its name (csv, criterion_stream, criterion_tree, dhat).  Its corpus,
# seeded from the test data by seeds.sh and kept from run to run, is
# DIR/corpus/TARGET; what it finds goes to DIR/findings/TARGET.  One process
# for SECONDS; the exit status is not 0 after a finding.
# SPDX-License-Identifier: MIT
set -eu
here=$(cd "$(dirname "$0")" && pwd)
program=$1
target=$2
seconds=$3
dir=$4

case $target in
csv) max_len=512 ;;
criterion_stream | criterion_tree) max_len=8192 ;;
# fuzz_dhat writes an input whole into a pipe before reading it: no more
# than a pipe holds by default.
dhat) max_len=65536 ;;
*)
    echo "run.sh: unknown target '$target'" >&2
    exit 2
    ;;
esac

corpus=$dir/corpus/$target
findings=$dir/findings/$target
mkdir -p "$corpus" "$findings"
sh "$here/seeds.sh" "$target" "$corpus"

# fuzz_criterion_tree writes its files under TMPDIR: memory is faster.
if [ -z "${TMPDIR-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
    TMPDIR=/dev/shm
    export TMPDIR
fi
# The DHAT reader allocates a 256 KiB buffer per reading; with ASan's
# default 256 MiB quarantine every one is fresh memory to fault in, which
# costs most of the time.  A smaller quarantine still catches a use after
# free within the same input.
ASAN_OPTIONS=${ASAN_OPTIONS-quarantine_size_mb=16}
export ASAN_OPTIONS

echo "fuzz: $target for $seconds s (corpus $corpus)"
"$program" -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$findings/" "$corpus" >"$dir/$target.log" 2>&1 || {
    tail -n 60 "$dir/$target.log" >&2
    echo "fuzz: $target: a finding: $(ls "$findings")" >&2
    exit 1
}
grep -E '^(Done|stat::number_of_executed_units)' "$dir/$target.log" || true
