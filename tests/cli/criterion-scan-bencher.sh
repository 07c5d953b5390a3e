#!/bin/sh
# criterion-scan on bencher lines: real 0.3.6 output, thousands separators,
# libtest decimals, output between a name and its result, custom units.
# SPDX-License-Identifier: MIT
. "$abs_top_srcdir/tests/cli/setup.sh"
d="$data/criterion"

run_ 0 criterion-scan "$d/real/bencher.txt"
compare_ "$d/expected/real-bencher.csv" "$tmp/out"
[ -s "$tmp/err" ] && fail_ "stderr not empty"
if command -v python3 >/dev/null 2>&1; then
    python3 "$abs_top_srcdir/tests/cli/criterion-scan-expect.py" bencher "$d/real/bencher.txt" \
        "$tmp/out" || fail_ "bencher rows differ"
fi

# Median N, interval N-D (not below 0) to N+D, written exactly.
cat >"$tmp/want" <<'OUT'
bench,metric,unit,value,ci_low,ci_high
big/1e6,median,ns,1672496,1660151,1684841
libtest::sum,median,ns,18794.12,18353.87,19234.37
noisy,median,ns,42,0,92
a ... b,median,cycles,3,2,4
OUT
run_ 0 criterion-scan <"$d/misc/bencher.txt"
compare_ "$tmp/want" "$tmp/out"
# libtest: names padded on the right are trimmed, " = M MB/s" after the
# result is accepted, "test NAME ... ignored" is no benchmark.
cat >"$tmp/want" <<'OUT'
bench,metric,unit,value,ci_low,ci_high
bench_copy,median,ns,1234,1178,1290
bench_x,median,ns,100,95,105
bench_parse,median,ns,18794,18354,19234
OUT
run_ 0 criterion-scan "$d/misc/libtest.txt"
compare_ "$tmp/want" "$tmp/out"
[ -s "$tmp/err" ] && fail_ "libtest: stderr not empty"
cat >"$tmp/want" <<'OUT'
bench,metric,unit,value,ci_low,ci_high
bench_copy,median,ns,1234.5,1178.25,1290.75
bench_x,median,ns,100,95,105
OUT
run_ 0 criterion-scan "$d/misc/libtest-decimals.txt"
compare_ "$tmp/want" "$tmp/out"

# A benchmark that prints to stdout: its output lands after "test NAME ... ",
# on that line or on lines of their own, and the result keeps the name.
cat >"$tmp/want" <<'OUT'
bench,metric,unit,value,ci_low,ci_high
fib,median,ns,213,205,221
fib2,median,ns,215,206,224
fib3,median,ns,5,4,6
OUT
run_ 0 criterion-scan "$d/misc/bencher-noise.txt"
compare_ "$tmp/want" "$tmp/out"
[ -s "$tmp/err" ] && fail_ "noise: stderr not empty"

# --quick output has no names: say so, and why.
run_ 1 criterion-scan "$d/misc/bencher-quick.txt"
f="$d/misc/bencher-quick.txt"
m="bench: line has no benchmark name: it looks like --quick output (Criterion.rs 0.4 to 0.8.2 print no names with --quick)"
printf '%s\n' "criterion-scan: $f:1: $m" "criterion-scan: $f:3: $m" >"$tmp/want"
compare_ "$tmp/want" "$tmp/err"
# libtest's results of tests do not name the next bare result.
printf 'test tests::a ... ok\ntest tests::b ... ignored, slow\nbench:           7 ns/iter (+/- 0)\n' >"$tmp/q.txt"
run_ 1 criterion-scan "$tmp/q.txt"
grep_ "^criterion-scan: $tmp/q.txt:3: bench: line has no benchmark name: it looks like --quick output" "$tmp/err"

# N±D in decimal: 0.3-0.1 is 0.2, not 0.19999999999999998.
printf 'test c ... bench:   0.3 ns/iter (+/- 0.1)\n' | criterion-scan >"$tmp/out"
printf 'bench,metric,unit,value,ci_low,ci_high\nc,median,ns,0.3,0.2,0.4\n' >"$tmp/want"
compare_ "$tmp/want" "$tmp/out"
exit $fail
