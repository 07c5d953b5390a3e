#!/bin/sh
# criterion-scan on bad input: each case named as FILE[:LINE]: message, the
# other benchmarks still written, exit 1; no benchmark at all: exit 1 and
# where it looked.
# SPDX-License-Identifier: MIT
. "$abs_top_srcdir/tests/cli/setup.sh"
d="$data/criterion/bad"
p=criterion-scan

run_ 1 criterion-scan -m typical,mean,median "$d/criterion"
b="$d/criterion"
cat >"$tmp/want" <<ERR
$p: $b/bad_id/new/benchmark.json: no full_id string
$p: $b/bad_json/new/benchmark.json:1: invalid JSON: truncated JSON
$p: $b/missing_median/new/estimates.json: no median estimate
$p: $b/no_bounds/new/estimates.json: mean: no confidence_interval
$p: $b/null_mean/new/estimates.json: mean: null estimate
$p: $b/null_point/new/estimates.json: mean: point_estimate is null (NaN or infinite)
$p: $b/text_point/new/estimates.json: mean: point_estimate is not a number
$p: $b/truncated/new/estimates.json:1: invalid JSON: truncated JSON
$p: $b/unnamed/new/benchmark.json: no such file; naming the benchmark 'unnamed' from its folder
ERR
compare_ "$tmp/want" "$tmp/err"
cat >"$tmp/want" <<'OUT'
bench,metric,unit,value,ci_low,ci_high
good,typical,ns,10.5,10,11
good,mean,ns,10.5,10,11
good,median,ns,10.5,10,11
unnamed,typical,ns,10.5,10,11
unnamed,mean,ns,10.5,10,11
unnamed,median,ns,10.5,10,11
OUT
compare_ "$tmp/want" "$tmp/out"

# A benchmark without benchmark.json is only a note: exit 0.
run_ 0 criterion-scan "$b/unnamed"
grep_ "naming the benchmark 'unnamed' from its folder" "$tmp/err"

run_ 1 criterion-scan "$d/text.txt"
printf '%s\n' "$p: $d/text.txt:2: time: estimate is not a number: NaN" \
    "$p: $d/text.txt:3: time: line without a benchmark name" >"$tmp/want"
compare_ "$tmp/want" "$tmp/err"
printf 'bench,metric,unit,value,ci_low,ci_high\nok,typical,ns,2,1,3\nlast,typical,ns,2000000,1000000,3000000\n' >"$tmp/want"
compare_ "$tmp/want" "$tmp/out"

run_ 1 criterion-scan "$d/bencher.txt"
printf '%s\n' "$p: $d/bencher.txt:2: bench: line has no benchmark name: it looks like --quick output (Criterion.rs 0.4 to 0.8.2 print no names with --quick)" >"$tmp/want"
compare_ "$tmp/want" "$tmp/err"
grep_ '^ok,median,ns,12,9,15$' "$tmp/out"
grep_ '^big,median,ns,1234567,1233567,1235567$' "$tmp/out"

run_ 1 criterion-scan "$d/cargo-criterion.jsonl"
f="$d/cargo-criterion.jsonl"
printf '%s\n' "$p: $f:2: norm: no median estimate" \
    "$p: $f:3: norm: mean: estimate is null (NaN or infinite)" \
    "$p: $f:4: norm: mean: estimate is not a number" \
    "$p: $f:6: invalid JSON: truncated JSON" >"$tmp/want"
compare_ "$tmp/want" "$tmp/err"
[ "$(grep -c '^norm,' "$tmp/out")" -eq 2 ] || fail_ "norm rows"
grep_ '^custom/cycles,mean,' "$tmp/out"

# Text before "bench:" that is no "test NAME ... ": no name, not --quick.
printf 'something else bench:           7 ns/iter (+/- 0)\n' >"$tmp/noname.txt"
run_ 1 criterion-scan "$tmp/noname.txt"
printf '%s\n' "$p: $tmp/noname.txt:1: bench: line without a benchmark name" >"$tmp/want"
compare_ "$tmp/want" "$tmp/err"

# Mixed units in one time: line; a bencher number with an exponent.
printf 'a                       time:   [1 ns 2 ticks 3 ns]\ntest b ... bench: 1e3 ns/iter (+/- 1)\n' >"$tmp/mixed.txt"
run_ 1 criterion-scan "$tmp/mixed.txt"
printf '%s\n' "$p: $tmp/mixed.txt:1: time: values in different units" \
    "$p: $tmp/mixed.txt:2: bench: value is not a number" >"$tmp/want"
compare_ "$tmp/want" "$tmp/err"

# A bad first message does not hide the next ones.
{ printf '{"reason":"benchmark-complete","id":"x"\n'; sed -n 1p "$f"; } >"$tmp/first-bad.jsonl"
run_ 1 criterion-scan "$tmp/first-bad.jsonl"
grep_ "^$p: $tmp/first-bad.jsonl:1: invalid JSON: truncated JSON\$" "$tmp/err"
grep_ '^norm,mean,ns,3420.1,' "$tmp/out"

# No benchmark at all: say where we looked.
run_ 1 criterion-scan "$d/empty.txt"
grep_ "^$p: $d/empty.txt: no benchmark found (looked for cargo bench 'time:' lines" "$tmp/err"
run_ 1 criterion-scan </dev/null
grep_ "^$p: -: no benchmark found" "$tmp/err"
run_ 1 criterion-scan "$d/empty-dir"
grep_ "^$p: $d/empty-dir: no benchmark found (looked for \*/new/estimates.json in this folder)\$" "$tmp/err"
run_ 1 criterion-scan --baseline=nope "$data/criterion/real/criterion"
grep_ "no benchmark found (looked for \*/nope/estimates.json" "$tmp/err"
run_ 1 criterion-scan "$tmp/no-such-file"
grep_ "^$p: $tmp/no-such-file: No such file or directory\$" "$tmp/err"
# Garbage JSON and binary junk.
printf '{"mean": [1, 2' >"$tmp/trunc.json"
run_ 1 criterion-scan --bench=x "$tmp/trunc.json"
grep_ "^$p: $tmp/trunc.json:1: invalid JSON: truncated JSON\$" "$tmp/err"
printf '{"x":1}\n' >"$tmp/other.json"
run_ 1 criterion-scan --bench=x "$tmp/other.json"
grep_ "^$p: $tmp/other.json: no mean estimate" "$tmp/err"
head -c 4096 /dev/urandom >"$tmp/junk" 2>/dev/null || printf '\001\002\377' >"$tmp/junk"
run_ 1 criterion-scan "$tmp/junk"
# One bad operand does not stop the next.
run_ 1 criterion-scan "$d/empty.txt" "$data/criterion/real/bencher.txt"
grep_ '^fib 10,median,' "$tmp/out"
exit $fail
