#!/bin/sh
# Several files of one benchmark (repeated runs): one row of means, and an
# interval for allocs: Student's t (95%) from 3 runs on, min/max for 2,
# empty for 1.
# SPDX-License-Identifier: MIT
. "$abs_top_srcdir/tests/cli/setup.sh"
runs=$data/dhat/valgrind/runs

# 100, 110 and 120 blocks of 32 bytes: the directory names the benchmark.
run_ 0 dhat-scan --root "$runs/.." "$runs/run-100.dhat" "$runs/run-110.dhat" "$runs/run-120.dhat"
head -n 1 "$tmp/out" >"$tmp/header"
echo bench,allocs,allocs_ci_low,allocs_ci_high,alloc_bytes,peak_bytes,peak_blocks,end_bytes,end_blocks >"$tmp/exp"
compare_ "$tmp/exp" "$tmp/header"
# Computed here independently: mean 110, s = 10, t(0.975, 2) = 4.30265272975.
awk -F, 'NR == 2 {
    mean = (100 + 110 + 120) / 3
    s = sqrt(((100 - mean)^2 + (110 - mean)^2 + (120 - mean)^2) / 2)
    half = 4.30265272975 * s / sqrt(3)
    if ($1 != "runs" || $2 != 110 || $5 != 3520 || $6 != 3520 || $7 != 110 || $8 != 0 || $9 != 0)
        exit 1
    if ((($3 - (mean - half)) / mean)^2 > 1e-20 || (($4 - (mean + half)) / mean)^2 > 1e-20)
        exit 1
    ok = 1
} END { exit !ok }' "$tmp/out" || fail_ "three runs: $(sed -n 2p "$tmp/out")"

# Two runs: min and max; means that are not whole numbers.
run_ 0 dhat-scan -b two "$runs/run-100.dhat" "$runs/run-110.dhat" -b two
sed -n 2p "$tmp/out" >"$tmp/row"
echo two,105,100,110,3360,3360,105,0,0 >"$tmp/exp"
compare_ "$tmp/exp" "$tmp/row"
run_ 0 dhat-scan -b half "$runs/run-100.dhat" "$runs/run-100.dhat" "$runs/run-100.dhat" \
    "$runs/run-110.dhat"
grep_ '^half,102.5,[0-9.]*,[0-9.]*,3280,3280,102.5,0,0$' "$tmp/out"

# Four identical runs: a zero-width interval.
run_ 0 dhat-scan -b same "$runs/run-100.dhat" "$runs/run-100.dhat" "$runs/run-100.dhat" \
    "$runs/run-100.dhat"
grep_ '^same,100,100,100,3200,' "$tmp/out"

# One run of another benchmark beside them: its interval is empty; rows
# come in the order benchmarks first appear.
run_ 0 dhat-scan --root "$data/dhat" "$runs/run-100.dhat" "$data/dhat/valgrind/basic.dhat" \
    "$runs/run-110.dhat"
printf 'bench,allocs,allocs_ci_low,allocs_ci_high,alloc_bytes,peak_bytes,peak_blocks,end_bytes,end_blocks\nvalgrind/runs,105,100,110,3360,3360,105,0,0\nvalgrind,7,,,372,224,3,32,1\n' >"$tmp/exp"
compare_ "$tmp/exp" "$tmp/out"

# A bad run is left out of the mean, and the exit status says so.
run_ 1 dhat-scan -b r "$runs/run-100.dhat" "$data/dhat/bad/truncated.dhat" "$runs/run-110.dhat"
grep_ '^r,105,100,110,' "$tmp/out"

exit $fail
