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

# 1. A regression: +20% with disjoint intervals.
{
    echo "$hdr"
    row aaaaaaaaaaaa fib/20 mean 100 98 102 10
    row aaaaaaaaaaaa fib/20 median 100 98 102 10
    row bbbbbbbbbbbb fib/20 mean 120 118 122 10
    row bbbbbbbbbbbb fib/20 median 100.5 98 103 10
} >"$tmp/r/m.csv"
run_ 1 benchtrack-check --results-dir "$tmp/r" --machine m
grep_ '^| fib/20 | mean | 100.00 ns | 120.00 ns | +20.0% | \*\*regressed\*\* |' "$tmp/out"
grep_ '^| fib/20 | median | 100.00 ns | 100.50 ns | +0.5% | ok |' "$tmp/out"
grep_ '^| fib/20 | allocs | 10 | 10 | +0.0% | ok |' "$tmp/out"
grep_ 'Commit `bbbbbbbbbbbb` compared with `aaaaaaaaaaaa` (the previous commit in the file)' "$tmp/out"
grep_ '^1 regressed, 0 improved, 2 unchanged, 0 new' "$tmp/out"
# A higher threshold lets it pass.
run_ 0 benchtrack-check --results-dir "$tmp/r" --machine m --threshold 25
grep_ '^| fib/20 | mean | .* | ok |' "$tmp/out"

# 2. Beyond the threshold but within the noise: the intervals overlap.
{
    echo "$hdr"
    row aaaaaaaaaaaa fib/20 mean 100 80 130 10
    row bbbbbbbbbbbb fib/20 mean 120 95 140 10
} >"$tmp/r/m.csv"
run_ 0 benchtrack-check --results-dir "$tmp/r" --machine m
grep_ '^| fib/20 | mean | 100.00 ns | 120.00 ns | +20.0% | ok |' "$tmp/out"

# 3. Faster: improved, exit 0.
{
    echo "$hdr"
    row aaaaaaaaaaaa fib/20 mean 2000000 1990000 2010000 10
    row bbbbbbbbbbbb fib/20 mean 1000000 990000 1010000 10
} >"$tmp/r/m.csv"
run_ 0 benchtrack-check --results-dir "$tmp/r" --machine m
grep_ '^| fib/20 | mean | 2.00 ms | 1.00 ms | -50.0% | improved |' "$tmp/out"

# 4. Allocation counts are exact: one more block regresses, unless the
# allocation threshold allows it.
{
    echo "$hdr"
    row aaaaaaaaaaaa vec mean 100 98 102 100
    row bbbbbbbbbbbb vec mean 100 98 102 101
} >"$tmp/r/m.csv"
run_ 1 benchtrack-check --results-dir "$tmp/r" --machine m
grep_ '^| vec | allocs | 100 | 101 | +1.0% | \*\*regressed\*\* |' "$tmp/out"
run_ 0 benchtrack-check --results-dir "$tmp/r" --machine m --alloc-threshold 1
grep_ '^| vec | allocs | 100 | 101 | +1.0% | ok |' "$tmp/out"
run_ 1 benchtrack-check --results-dir "$tmp/r" --machine m --alloc-threshold=0.5

# 5. --base picks an older commit; an unknown one falls back, and says so.
{
    echo "$hdr"
    row aaaaaaaaaaaa vec mean 100 98 102 100
    row bbbbbbbbbbbb vec mean 200 198 202 100
    row cccccccccccc vec mean 101 99 103 100
} >"$tmp/r/m.csv"
run_ 0 benchtrack-check --results-dir "$tmp/r" --machine m --base aaaaaaaaaaaa0123456789abcdef012345678901
grep_ 'compared with `aaaaaaaaaaaa` (given with --base)' "$tmp/out"
run_ 0 benchtrack-check --results-dir "$tmp/r" --machine m --base=aaaa
grep_ 'compared with `aaaaaaaaaaaa`' "$tmp/out"
run_ 0 benchtrack-check --results-dir "$tmp/r" --machine m
grep_ 'compared with `bbbbbbbbbbbb` (the previous commit in the file)' "$tmp/out"
grep_ '| -49.5% | improved |' "$tmp/out"
run_ 0 benchtrack-check --results-dir "$tmp/r" --machine m --base dddd
grep_ 'Base commit `dddd` is not in the history' "$tmp/out"
grep_ 'base commit dddd not found' "$tmp/err"
run_ 2 benchtrack-check --results-dir "$tmp/r" --machine m --base cccccccccccc
grep_ 'nothing to compare' "$tmp/err"
# A prefix that matches the newest commit and an older one means the
# older one: the search starts at the commit before the newest.
{
    echo "$hdr"
    row abc111111111 vec mean 100 98 102 100
    row abc222222222 vec mean 200 198 202 100
    row abc333333333 vec mean 101 99 103 100
} >"$tmp/r/m.csv"
run_ 0 benchtrack-check --results-dir "$tmp/r" --machine m --base abc
grep_ 'compared with `abc222222222` (given with --base)' "$tmp/out"
run_ 0 benchtrack-check --results-dir "$tmp/r" --machine m --base abc1
grep_ 'compared with `abc111111111` (given with --base)' "$tmp/out"
run_ 2 benchtrack-check --results-dir "$tmp/r" --machine m --base abc3
grep_ 'the baseline abc333333333 is the newest commit' "$tmp/err"

# 6. Names with commas, quotes, a Markdown table's bar and HTML; \r\n line
# ends; rows of another machine are not compared; a new bench.
{
    printf '%s\r\n' "$hdr"
    printf 'aaaaaaaaaaaa,,d,"a,""b""|<i>",mean,ns,100,99,101,,,,r,m\r\n'
    printf 'bbbbbbbbbbbb,,d,"a,""b""|<i>",mean,ns,150,149,151,,,,r,m\r\n'
    printf 'zzzzzzzzzzzz,,d,"a,""b""|<i>",mean,ns,1,1,1,,,,r,other\r\n'
    printf 'bbbbbbbbbbbb,,d,"multi\r\nline",mean,ns,5,4,6,,,,r,m\r\n'
} >"$tmp/r/m.csv"
run_ 1 benchtrack-check --results-dir "$tmp/r" --machine m
grep_ '^| a,"b"\\|&lt;i&gt; | mean | 100.00 ns | 150.00 ns | +50.0% | \*\*regressed\*\* |' "$tmp/out"
grep_ '^| multi  line | mean |  | 5.00 ns |  | new |' "$tmp/out"
nogrep_ zzzzzzzzzzzz "$tmp/out"

# 7. One commit: nothing to compare, exit 0.
{ echo "$hdr"; row aaaaaaaaaaaa vec mean 100 98 102 100; } >"$tmp/r/m.csv"
run_ 0 benchtrack-check --results-dir "$tmp/r" --machine m
grep_ 'first one in the history' "$tmp/out"
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
grep_ '^| vec | mean | .* | ok | ▅▅ |' "$tmp/out"

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

# 11. A gap hides nothing: when the baseline has no value for a series (an
# empty value, or no row), it is compared with the newest earlier commit
# that has one, named in the base column, and never called new.
{
    echo "$hdr"
    row c1c1c1c1c1c1 a mean 100 99 101 ""
    row c2c2c2c2c2c2 a mean "" "" "" ""
    row c3c3c3c3c3c3 a mean 300 299 301 ""
} >"$tmp/r/m.csv"
run_ 1 benchtrack-check -r "$tmp/r" -m m
grep_ '^| a | mean | 100.00 ns at `c1c1c1c1c1c1` | 300.00 ns | +200.0% | \*\*regressed\*\* |' "$tmp/out"
grep_ 'compared with `c2c2c2c2c2c2` (the previous commit in the file)' "$tmp/out"
grep_ '^1 regressed, 0 improved, 0 unchanged, 0 new, 0 removed (.*)\. The baseline has no value for 1 of' "$tmp/out"
nogrep_ ' | new | [^|]* |$' "$tmp/out"
# A bench missing from the baseline, allocation counts, a series that
# never had a value before ("no base value", counted apart), and a new one.
{
    echo "$hdr"
    row c1c1c1c1c1c1 a mean 100 99 101 10
    row c1c1c1c1c1c1 back mean 100 99 101 3
    row c1c1c1c1c1c1 e mean "" "" "" ""
    row c2c2c2c2c2c2 a mean 100 99 101 ""
    row c2c2c2c2c2c2 e mean "" "" "" ""
    row c3c3c3c3c3c3 a mean 101 100 102 12
    row c3c3c3c3c3c3 back mean 100 99 101 3
    row c3c3c3c3c3c3 e mean 5 5 5 1
    row c3c3c3c3c3c3 n mean 5 5 5 1
} >"$tmp/r/m.csv"
run_ 1 benchtrack-check -r "$tmp/r" -m m
grep_ '^| a | mean | 100.00 ns | 101.00 ns | +1.0% | ok |' "$tmp/out"
grep_ '^| a | allocs | 10 at `c1c1c1c1c1c1` | 12 | +20.0% | \*\*regressed\*\* |' "$tmp/out"
grep_ '^| back | mean | 100.00 ns at `c1c1c1c1c1c1` | 100.00 ns | +0.0% | ok |' "$tmp/out"
grep_ '^| back | allocs | 3 at `c1c1c1c1c1c1` | 3 | +0.0% | ok |' "$tmp/out"
grep_ '^| e | mean |  | 5.00 ns |  | no base value |' "$tmp/out"
grep_ '^| e | allocs |  | 1 |  | no base value |' "$tmp/out"
grep_ '^| n | mean |  | 5.00 ns |  | new |' "$tmp/out"
grep_ '^1 regressed, 0 improved, 3 unchanged, 2 new, 0 removed, 2 without a base value (.*)\. The baseline has no value for 3 of' "$tmp/out"
# With --base, only commits up to the baseline count, never newer ones.
{
    echo "$hdr"
    row c1c1c1c1c1c1 a mean 100 99 101 ""
    row c2c2c2c2c2c2 a mean "" "" "" ""
    row c3c3c3c3c3c3 a mean 300 299 301 ""
    row c4c4c4c4c4c4 a mean 101 100 102 ""
} >"$tmp/r/m.csv"
run_ 0 benchtrack-check -r "$tmp/r" -m m --base c2
grep_ '^| a | mean | 100.00 ns at `c1c1c1c1c1c1` | 101.00 ns | +1.0% | ok |' "$tmp/out"

# 12. What the baseline measured and the newest commit did not is listed
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
grep_ '^| gone | mean | 100.00 ns |  |  | removed | ▅ |$' "$tmp/out"
grep_ '^| gone | median | 90.00 ns |  |  | removed |' "$tmp/out"
grep_ '^| gone | allocs | 5 |  |  | removed |' "$tmp/out"
grep_ '^| a | median | 100.00 ns |  |  | removed |' "$tmp/out"
grep_ '^| skip | mean | 7.00 ns |  |  | removed |' "$tmp/out"
grep_ '^| noal | allocs | 4 |  |  | removed |' "$tmp/out"
grep_ '^0 regressed, 0 improved, 3 unchanged, 0 new, 6 removed (' "$tmp/out"
# With a regression beside them, the exit status is still 1.
sed 's/^c2c2c2c2c2c2,,\([^,]*\),a,mean,ns,100,99,101,/c2c2c2c2c2c2,,\1,a,mean,ns,150,149,151,/' \
    "$tmp/r/m.csv" >"$tmp/r/m2.csv"
mv "$tmp/r/m2.csv" "$tmp/r/m.csv"
run_ 1 benchtrack-check -r "$tmp/r" -m m
grep_ '^1 regressed, 0 improved, 2 unchanged, 0 new, 6 removed (' "$tmp/out"

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
        sed -n "s/^| $b | ${series#*:} | .* | \([^ |]*\) |\$/\1/p" "$tmp/check" >"$tmp/got"
        [ -s "$tmp/got" ] || fail_ "no trend for $series with --max-points $n"
        compare_ "$tmp/want" "$tmp/got"
    done
done
exit $fail
