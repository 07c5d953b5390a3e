#!/bin/sh
# criterion-scan refuses times no benchmark measured, in every input form:
# negative (-0 included), NaN or infinite, or a point estimate outside its
# own confidence interval.  Written to a history, such a row stops the
# charts of its benchmark for good.  Zero, zero-width intervals and a null
# slope are real and pass, and so do all the real fixtures.
# SPDX-License-Identifier: MIT
. "$abs_top_srcdir/tests/cli/setup.sh"
p=criterion-scan

# est NAME MEAN_LOW MEAN_POINT MEAN_HIGH: an estimates.json whose mean is
# given (the other estimates are fine) in a benchmark folder NAME.
est() {
    mkdir -p "$tmp/tree/$1/new"
    e='{"confidence_interval":{"confidence_level":0.95,"lower_bound":21920.430213464697,"upper_bound":30280.032840722495},"point_estimate":22257.05172413793,"standard_error":2506.1291571150773}'
    m="{\"confidence_interval\":{\"confidence_level\":0.95,\"lower_bound\":$2,\"upper_bound\":$4},\"point_estimate\":$3,\"standard_error\":1.0}"
    printf '{"mean":%s,"median":%s,"median_abs_dev":%s,"slope":null,"std_dev":%s}' \
        "$m" "$e" "$e" "$e" >"$tmp/tree/$1/new/estimates.json"
    printf '{"group_id":"%s","function_id":null,"value_str":null,"throughput":null,"full_id":"%s","directory_name":"%s","title":"%s"}' \
        "$1" "$1" "$1" "$1" >"$tmp/tree/$1/new/benchmark.json"
}
est a_negative 21920.430213464697 -5 30280.032840722495
est b_outside 21920.430213464697 5 30280.032840722495
est c_negzero -0 1.5 2.0
est d_negzero_float -0.0 1.5 2.0
est e_neg_bound -1.0 1.5 2.0
est f_zero_width 7.0 7.0 7.0
est g_zero 0.0 0.0 0.5
est h_reversed 3.0 2.5 2.0
run_ 1 $p -m mean "$tmp/tree"
t="$tmp/tree"
cat >"$tmp/want" <<ERR
$p: $t/a_negative/new/estimates.json: mean: estimate is negative: -5 ns
$p: $t/b_outside/new/estimates.json: mean: estimate 5 is outside its confidence interval [21920.430213464697, 30280.032840722495]
$p: $t/c_negzero/new/estimates.json:1: negative zero (-0): not a number Criterion writes
$p: $t/d_negzero_float/new/estimates.json: mean: lower bound is negative: -0 ns
$p: $t/e_neg_bound/new/estimates.json: mean: lower bound is negative: -1 ns
$p: $t/h_reversed/new/estimates.json: mean: estimate 2.5 is outside its confidence interval [3, 2]
ERR
compare_ "$tmp/want" "$tmp/err"
printf '%s\n' bench,metric,unit,value,ci_low,ci_high f_zero_width,mean,ns,7,7,7 \
    g_zero,mean,ns,0,0,0.5 >"$tmp/want"
compare_ "$tmp/want" "$tmp/out"

# The same file read on its own.
run_ 1 $p --bench x "$t/a_negative/new/estimates.json"
grep_ "^$p: $t/a_negative/new/estimates.json: mean: estimate is negative: -5 ns$" "$tmp/err"
[ "$(wc -l <"$tmp/out")" -eq 1 ] || fail_ "rows for a negative estimates.json"

# cargo bench text: the bad lines are named, the good one is kept.
cat >"$tmp/text.txt" <<'EOF2'
b1                      time:   [-3 ns -2 ns -1 ns]
b2                      time:   [-0 ns 0 ns 1 ns]
b3                      time:   [3 ns 2 ns 4 ns]
b4                      time:   [1 ns 2 ns inf ns]
b5                      time:   [1 ns NaN ns 2 ns]
b6                      time:   [0.0000 ps 0.0000 ps 0.0000 ps]
b7                      time:   [998.12 ns 1.0012 µs 1.0050 µs]
custom                  time:   [-3 ticks -2 ticks -1 ticks]
EOF2
run_ 1 $p "$tmp/text.txt"
f="$tmp/text.txt"
cat >"$tmp/want" <<ERR
$p: $f:1: time: estimate is negative: -2 ns
$p: $f:2: time: lower bound is negative: -0 ns
$p: $f:3: time: estimate 2 is outside its confidence interval [3, 4]
$p: $f:4: time: estimate is not a number: inf
$p: $f:5: time: estimate is not a number: NaN
ERR
compare_ "$tmp/want" "$tmp/err"
printf '%s\n' bench,metric,unit,value,ci_low,ci_high b6,typical,ns,0,0,0 \
    b7,typical,ns,1001.2,998.12,1005 custom,typical,ticks,-2,-3,-1 >"$tmp/want"
compare_ "$tmp/want" "$tmp/out"

# bencher: the +/- is a deviation, not an interval (a value below it is
# fine); neither may be negative.  A sub-nanosecond time is printed 0.
cat >"$tmp/bencher.txt" <<'EOF2'
test neg ... bench:          -5 ns/iter (+/- 1)
test negdev ... bench:           5 ns/iter (+/- -1)
test noop ... bench:           0 ns/iter (+/- 0)
test wide ... bench:          42 ns/iter (+/- 50)
EOF2
run_ 1 $p "$tmp/bencher.txt"
f="$tmp/bencher.txt"
printf '%s\n' "$p: $f:1: bench: value is negative: -5" \
    "$p: $f:2: bench: +/- is negative: -1" >"$tmp/want"
compare_ "$tmp/want" "$tmp/err"
printf '%s\n' bench,metric,unit,value,ci_low,ci_high noop,median,ns,0,0,0 \
    wide,median,ns,42,0,92 >"$tmp/want"
compare_ "$tmp/want" "$tmp/out"

# cargo-criterion messages.
msg() {
    printf '{"reason":"benchmark-complete","id":"%s","report_directory":"r","iteration_count":[1],"measured_values":[1.0],"unit":"ns","throughput":[],"typical":%s,"mean":%s,"median":%s,"median_abs_dev":%s,"slope":null,"change":null}\n' \
        "$1" "$2" "$2" "$2" "$2"
}
{
    msg neg '{"estimate":-5.0,"lower_bound":-6.0,"upper_bound":-4.0,"unit":"ns"}'
    msg out '{"estimate":5.0,"lower_bound":21920.43,"upper_bound":30280.03,"unit":"ns"}'
    msg negzero '{"estimate":1.0,"lower_bound":-0,"upper_bound":2.0,"unit":"ns"}'
    msg ok '{"estimate":7.0,"lower_bound":7.0,"upper_bound":7.0,"unit":"ns"}'
} >"$tmp/cc.jsonl"
run_ 1 $p "$tmp/cc.jsonl"
f="$tmp/cc.jsonl"
printf '%s\n' "$p: $f:1: neg: mean: estimate is negative: -5 ns" \
    "$p: $f:2: out: mean: estimate 5 is outside its confidence interval [21920.43, 30280.03]" \
    "$p: $f:3: negative zero (-0): not a number Criterion writes" >"$tmp/want"
compare_ "$tmp/want" "$tmp/err"
printf '%s\n' bench,metric,unit,value,ci_low,ci_high ok,mean,ns,7,7,7 ok,median,ns,7,7,7 \
    >"$tmp/want"
compare_ "$tmp/want" "$tmp/out"

# Every real fixture passes: flat sampling (slope null), zero-width
# intervals, change/ folders, custom units.
for f in "$data/criterion/real/criterion" "$data/criterion/real/text.txt" \
    "$data/criterion/real/bencher.txt" "$data/criterion/real/tty.txt" \
    "$data/criterion/cargo-criterion.jsonl" "$data/criterion/old" "$data/criterion/nested" \
    "$data/criterion/misc/bencher.txt" "$data/criterion/misc/libtest.txt"; do
    run_ 0 $p -m typical,mean,median,slope,median_abs_dev,std_dev "$f"
done
exit $fail
