#!/bin/sh
# benchtrack-check: the gate's verdicts and exit codes on constructed
# histories (a regression, a change within the noise, allocation counts),
# the baseline it says it used, and the step summary.
. "$abs_top_srcdir/tests/cli/setup.sh"

unset BENCH_MACHINE GITHUB_RUN_ID GITHUB_STEP_SUMMARY || true
mkdir "$tmp/r"
hdr=commit,version,date,bench,metric,unit,value,ci_low,ci_high,allocs,allocs_ci_low,allocs_ci_high,rustc,machine
# row COMMIT BENCH METRIC VALUE LOW HIGH ALLOCS
row() {
    printf '%s,,2026-01-01T00:00:00Z,%s,%s,ns,%s,%s,%s,%s,,,rustc 1.0,m\n' "$@"
}

# hist NAME VALUE...: one commit per VALUE (c01, c02...) of bench NAME,
# metric mean, allocation count 10.
hist() {
    name=$1
    shift
    echo "$hdr"
    i=0
    for v in "$@"; do
        i=$((i + 1))
        row "$(printf 'c%02d' "$i")" "$name" mean "$v" "$v" "$v" 10
    done
}
quiet='100 101 99 100 102 98 100 101 99 100'

# 1. A lasting shift: two commits at +30 % regress, dated at the first;
# one commit later it is the past, and the gate is green again.
hist fib/20 $quiet 130 131 >"$tmp/r/m.csv"
run_ 1 benchtrack-check --results-dir "$tmp/r" --machine m
grep_ '^| fib/20 | mean | 100.00 ns | 131.00 ns | +31.0% | \*\*regressed\*\* | c11 |' "$tmp/out"
grep_ '^| fib/20 | allocs | 10 | 10 | +0.0% | ok |' "$tmp/out"
grep_ 'Commit `c12` judged against the history before it' "$tmp/out"
grep_ '^1 regressed, 0 improved, 0 suspect, 1 unchanged, 0 new' "$tmp/out"
hist fib/20 $quiet 130 131 129 >"$tmp/r/m.csv"
run_ 0 benchtrack-check --results-dir "$tmp/r" --machine m
grep_ '^| fib/20 | mean | .* | ok |  | .* | regressed since c11, +30 % |$' "$tmp/out"
# A higher threshold lets it pass.
hist fib/20 $quiet 130 131 >"$tmp/r/m.csv"
run_ 0 benchtrack-check --results-dir "$tmp/r" --machine m --threshold 40
nogrep_ '\*\*regressed' "$tmp/out"

# 2. One run far off, then back: suspect at most, never red.
hist fib/20 $quiet 130 >"$tmp/r/m.csv"
run_ 0 benchtrack-check --results-dir "$tmp/r" --machine m
grep_ '^| fib/20 | mean | 100.00 ns | 130.00 ns | +30.0% | suspect |' "$tmp/out"
hist fib/20 $quiet 130 100 >"$tmp/r/m.csv"
run_ 0 benchtrack-check --results-dir "$tmp/r" --machine m
grep_ '^| fib/20 | mean | .* | ok |' "$tmp/out"

# 3. Faster for good: improved, exit 0.
hist fib/20 $quiet 70 71 >"$tmp/r/m.csv"
run_ 0 benchtrack-check --results-dir "$tmp/r" --machine m
grep_ '^| fib/20 | mean | 100.00 ns | 71.00 ns | -29.0% | improved | c11 |' "$tmp/out"

# 4. Allocation counts are exact: one more block regresses at once,
# unless the allocation threshold allows it.
{
    echo "$hdr"
    row aaaaaaaaaaaa vec mean 100 98 102 100
    row bbbbbbbbbbbb vec mean 100 98 102 101
} >"$tmp/r/m.csv"
run_ 1 benchtrack-check --results-dir "$tmp/r" --machine m
grep_ '^| vec | allocs | 100 | 101 | +1.0% | \*\*regressed\*\* | bbbbbbbbbbbb |' "$tmp/out"
run_ 0 benchtrack-check --results-dir "$tmp/r" --machine m --alloc-threshold 1
grep_ '^| vec | allocs | 100 | 101 | +1.0% | ok |' "$tmp/out"
run_ 1 benchtrack-check --results-dir "$tmp/r" --machine m --alloc-threshold=0.5

# 5. A pull request: --base judges the newest commit as one run against
# the history up to the base, leaving out the commits between them.
hist vec $quiet 200 100 130 >"$tmp/r/m.csv"
run_ 0 benchtrack-check --results-dir "$tmp/r" --machine m --base c10
grep_ 'Commit `c13`, one run, judged against the history up to `c10`' "$tmp/out"
grep_ '^| vec | mean | 100.00 ns | 130.00 ns | +30.0% | suspect |' "$tmp/out"
hist vec $quiet 200 100 250 >"$tmp/r/m.csv"
run_ 1 benchtrack-check --results-dir "$tmp/r" --machine m --base=c10
grep_ '^| vec | mean | 100.00 ns | 250.00 ns | +150.0% | \*\*regressed\*\* | c13 |' "$tmp/out"
run_ 1 benchtrack-check --results-dir "$tmp/r" --machine m --base dddd
grep_ 'base commit dddd not found' "$tmp/err"
run_ 2 benchtrack-check --results-dir "$tmp/r" --machine m --base c13
grep_ 'nothing to compare' "$tmp/err"
hist vec $quiet 250 >"$tmp/r/m.csv"
run_ 1 benchtrack-check --results-dir "$tmp/r" --machine m --pr
grep_ '^| vec | mean | 100.00 ns | 250.00 ns | +150.0% | \*\*regressed\*\* | c11 |' "$tmp/out"

# 6. Names with commas, quotes, a Markdown table's bar and HTML; \r\n line
# ends; rows of another machine are not compared; a new bench.
{
    printf '%s\r\n' "$hdr"
    printf 'aaaaaaaaaaaa,,d,"a,""b""|<i>",mean,ns,100,99,101,,,,r,m\r\n'
    printf 'bbbbbbbbbbbb,,d,"a,""b""|<i>",mean,ns,150,149,151,,,,r,m\r\n'
    printf 'zzzzzzzzzzzz,,d,"a,""b""|<i>",mean,ns,1,1,1,,,,r,other\r\n'
    printf 'bbbbbbbbbbbb,,d,"multi\r\nline",mean,ns,5,4,6,,,,r,m\r\n'
} >"$tmp/r/m.csv"
run_ 0 benchtrack-check --results-dir "$tmp/r" --machine m
grep_ '^| a,"b"\\|&lt;i&gt; | mean | 100.00 ns | 150.00 ns | +50.0% | ok |  | ▁█ | too few points for a verdict |' "$tmp/out"
grep_ '^| multi  line | mean |  | 5.00 ns |  | new |' "$tmp/out"
nogrep_ zzzzzzzzzzzz "$tmp/out"

# 7. One commit: nothing to compare, exit 0.
{ echo "$hdr"; row aaaaaaaaaaaa vec mean 100 98 102 100; } >"$tmp/r/m.csv"
run_ 0 benchtrack-check --results-dir "$tmp/r" --machine m
grep_ '^| vec | mean |  | 100.00 ns |  | new |' "$tmp/out"

# 8. The default machine, $GITHUB_STEP_SUMMARY, and errors.
{
    echo "$hdr"
    row aaaaaaaaaaaa vec mean 100 98 102 100 | sed 's/,m$/,ci/'
    row bbbbbbbbbbbb vec mean 100 98 102 100 | sed 's/,m$/,ci/'
} >"$tmp/r/ci.csv"
printf 'earlier text\n' >"$tmp/summary.md"
GITHUB_STEP_SUMMARY=$tmp/summary.md BENCH_MACHINE=ci run_ 0 benchtrack-check -r "$tmp/r"
grep_ '^earlier text$' "$tmp/summary.md"
grep_ '^| vec | mean | 100.00 ns | 100.00 ns | +0.0% | ok |' "$tmp/summary.md"
grep_ '^### benchtrack: `ci`' "$tmp/summary.md"
run_ 2 benchtrack-check -r "$tmp/r" -m nosuch
grep_ 'nosuch.csv: no such history file' "$tmp/err"
printf 'bench,value\nx,1\n' >"$tmp/r/bad.csv"
run_ 2 benchtrack-check -r "$tmp/r" -m bad
grep_ 'no commit column' "$tmp/err"
# A text sparkline of each series.
run_ 0 benchtrack-check -r "$tmp/r" -m ci
grep_ '^| vec | mean | .* | ok |  | ▅▅ |' "$tmp/out"

# 9. Microseconds are written with U+03BC, as badge and sparkline write
# them, never U+00B5.
{
    echo "$hdr"
    row aaaaaaaaaaaa us mean 1500 1490 1510 ""
    row bbbbbbbbbbbb us mean 1500 1490 1510 ""
} >"$tmp/r/m.csv"
mu=$(printf '\316\274')
micro=$(printf '\302\265')
run_ 0 benchtrack-check -r "$tmp/r" -m m
grep_ "^| us | mean | 1.50 ${mu}s | 1.50 ${mu}s |" "$tmp/out"
nogrep_ "$micro" "$tmp/out"

# 11. Gaps: an empty value is a commit not measured, not a point; a
# series first measured now after rows without values has no base value;
# an allocation count first given now, on an old bench, too.
{
    echo "$hdr"
    row c1c1c1c1c1c1 a mean 100 99 101 10
    row c1c1c1c1c1c1 e mean "" "" "" ""
    row c2c2c2c2c2c2 a mean "" "" "" ""
    row c2c2c2c2c2c2 e mean "" "" "" ""
    row c3c3c3c3c3c3 a mean 101 100 102 12
    row c3c3c3c3c3c3 e mean 5 5 5 1
    row c3c3c3c3c3c3 n mean 5 5 5 1
} >"$tmp/r/m.csv"
run_ 1 benchtrack-check -r "$tmp/r" -m m
grep_ '^| a | mean | 100.00 ns | 101.00 ns | +1.0% | ok |  | ▁█ | too few points for a verdict |' "$tmp/out"
grep_ '^| a | allocs | 10 | 12 | +20.0% | \*\*regressed\*\* | c3c3c3c3c3c3 |' "$tmp/out"
grep_ '^| e | mean |  | 5.00 ns |  | no base value |' "$tmp/out"
grep_ '^| e | allocs |  | 1 |  | no base value |' "$tmp/out"
grep_ '^| n | mean |  | 5.00 ns |  | new |' "$tmp/out"
grep_ '^1 regressed, 0 improved, 0 suspect, 1 unchanged, 2 new, 0 removed, 2 without a base value (' "$tmp/out"

# 12. What the previous commit measured and the newest did not is listed
# as removed and counted, without changing the exit status: a whole bench,
# one metric of a bench, an empty value, an allocation count.
{
    echo "$hdr"
    row c1c1c1c1c1c1 a mean 100 99 101 5
    row c1c1c1c1c1c1 gone mean 100 99 101 5
    row c1c1c1c1c1c1 gone median 90 89 91 5
    row c1c1c1c1c1c1 a median 100 99 101 5
    row c1c1c1c1c1c1 skip mean 7 7 7 ""
    row c1c1c1c1c1c1 noal mean 7 7 7 4
    row c2c2c2c2c2c2 a mean 100 99 101 5
    row c2c2c2c2c2c2 skip mean "" "" "" ""
    row c2c2c2c2c2c2 noal mean 7 7 7 ""
} >"$tmp/r/m.csv"
run_ 0 benchtrack-check -r "$tmp/r" -m m
grep_ '^| a | mean | 100.00 ns | 100.00 ns | +0.0% | ok |' "$tmp/out"
grep_ '^| gone | mean | 100.00 ns |  |  | removed |  | ▅ |  |$' "$tmp/out"
grep_ '^| gone | median | 90.00 ns |  |  | removed |' "$tmp/out"
grep_ '^| gone | allocs | 5 |  |  | removed |' "$tmp/out"
grep_ '^| a | median | 100.00 ns |  |  | removed |' "$tmp/out"
grep_ '^| skip | mean | 7.00 ns |  |  | removed |' "$tmp/out"
grep_ '^| noal | allocs | 4 |  |  | removed |' "$tmp/out"
grep_ '^0 regressed, 0 improved, 0 suspect, 3 unchanged, 0 new, 6 removed (' "$tmp/out"
# With a regression beside them, the exit status is still 1.
sed 's/^c2c2c2c2c2c2,,\([^,]*\),a,mean,ns,100,99,101,5/c2c2c2c2c2c2,,\1,a,mean,ns,100,99,101,6/' \
    "$tmp/r/m.csv" >"$tmp/r/m2.csv"
mv "$tmp/r/m2.csv" "$tmp/r/m.csv"
run_ 1 benchtrack-check -r "$tmp/r" -m m
grep_ '^1 regressed, 0 improved, 0 suspect, 2 unchanged, 0 new, 6 removed (' "$tmp/out"

# 10. The trends are drawn in awk by the rule of sparkline --text
# (lib/series.c series_spark_text); they must never disagree with it.
# Whole numbers (spark's fixed point), whole numbers of 2^40 and more and
# fractions (floor with a tolerance), values where the two rules part and
# on the bars' boundaries,
# constant series, exponents, gaps, more points than --max-points, and
# allocation counts.
awk -v hdr="$hdr" 'BEGIN {
    print hdr
    for (i = 1; i <= 30; i++) {
        r = sprintf("%012d,,2026-01-01T00:00:00Z,", i)
        e = ",,,,,,rustc 1.0,m"
        printf "%sints,mean,ns,%d,,,%d,,,rustc 1.0,m\n", r, (i * i) % 17 + 100, (i * 7) % 5 + 10
        printf "%sints,median,ns,%s%s\n", r, i % 4 ? i : "", e
        printf "%sfrac,mean,ns,%.15g,,,%s,,,rustc 1.0,m\n", r, 100.5 + (i * 37) % 11 / 3, i < 9 ? "" : 3
        # Where the fixed point and the floor part: 78536544840 is a hair
        # under 1/7 of 2^39.
        w = i % 3 == 0 ? 0 : i % 3 == 1 ? 549755813888 : 78536544840
        printf "%swide,mean,ns,%.0f%s\n", r, 1 + w, e
        printf "%sbig,mean,ns,%.0f%s\n", r, 1099511627776 + w, e
        printf "%sedge,mean,ns,0.%d%s\n", r, i % 8 + 1, e
        printf "%stiny,mean,ns,%s%s\n", r, i % 3 ? "1" : i % 2 ? "1.0000000000001" : "1.0000000000002", e
        printf "%sflat,mean,ns,42,,,%.0f,,,rustc 1.0,m\n", r, 2199023255552 + i % 2
        printf "%sexp,mean,ns,%s%s\n", r, i % 2 ? "1.5e3" : "2E3", e
    }
}' >"$tmp/r/m.csv"
for n in 20 7 1 100; do
    st=0
    benchtrack-check -r "$tmp/r" -m m --max-points "$n" >"$tmp/check" || st=$?
    [ "$st" -le 1 ] || fail_ "benchtrack-check exit $st with --max-points $n"
    for series in ints:mean ints:median frac:mean wide:mean big:mean edge:mean tiny:mean flat:mean \
        exp:mean ints:allocs frac:allocs flat:allocs; do
        b=${series%:*} me=${series#*:} field=value
        [ "$me" = allocs ] && me=mean field=allocs
        sparkline --text --max-points "$n" --machine m --bench "$b" --metric "$me" \
            --field "$field" "$tmp/r/m.csv" >"$tmp/want" || fail_ "sparkline failed on $series"
        sed -n "s/^| $b | ${series#*:} | .* | \([^ |]*\) | [^|]* |\$/\1/p" "$tmp/check" >"$tmp/got"
        [ -s "$tmp/got" ] || fail_ "no trend for $series with --max-points $n"
        compare_ "$tmp/want" "$tmp/got"
    done
done
exit $fail
