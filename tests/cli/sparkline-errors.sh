#!/bin/sh
# Bad input is a clear message naming the file and line, and exit 1;
# a wrong command line is exit 2; a failed write to stdout is exit 1.
. "$abs_top_srcdir/tests/cli/setup.sh"
. "$abs_top_srcdir/tests/cli/charts-lib.sh"

h="$tmp/h.csv"
printf 'bench,metric,unit,value,machine\nx,mean,ns,100,m1\nx,mean,ns,200,m1\ny,mean,ns,5,m1\n' >"$h"

run_ 1 sparkline --bench nope "$h"
grep_ "^sparkline: no rows for bench 'nope' with metric 'mean'$" "$tmp/err"
[ -s "$tmp/out" ] && fail_ "output on error"
run_ 1 sparkline "$h"
grep_ "^sparkline: 2 benches (first 'x', 'y'): choose one with --bench, or use -d$" "$tmp/err"
run_ 1 sparkline --bench x --metric median "$h"
grep_ "no rows for bench 'x' with metric 'median'" "$tmp/err"
run_ 1 sparkline --bench x --field allocs "$h"
grep_ "^sparkline: $h:1: no 'allocs' column$" "$tmp/err"

printf 'bench,metric,unit,value\nx,mean,ns,100\nx,mean,ns,1e\n' >"$tmp/nan.csv"
run_ 1 sparkline "$tmp/nan.csv"
grep_ "^sparkline: $tmp/nan.csv:3: bench 'x': value '1e' is not a number$" "$tmp/err"
printf 'bench,metric,unit,value\nx,mean,ns,100\nx,mean,ns,0\n' >"$tmp/zero.csv"
run_ 1 sparkline "$tmp/zero.csv"
grep_ "^sparkline: $tmp/zero.csv:3: bench 'x': time 0 is not positive$" "$tmp/err"
printf 'bench,metric,unit,value\nx,mean,ns,-3\n' >"$tmp/neg.csv"
run_ 1 sparkline --raw "$tmp/neg.csv"
grep_ "neg.csv:2: bench 'x': time -3 is not positive" "$tmp/err"
printf 'bench,metric,unit,value,allocs\nx,mean,ns,3,-1\n' >"$tmp/nega.csv"
run_ 1 sparkline --field allocs "$tmp/nega.csv"
grep_ "nega.csv:2: bench 'x': allocs -1 is negative" "$tmp/err"
printf 'bench,metric,unit,value\nx,mean,ns,100\n"x,mean,ns,5\n' >"$tmp/quote.csv"
run_ 1 sparkline "$tmp/quote.csv"
grep_ "^sparkline: $tmp/quote.csv:3: unterminated quoted field$" "$tmp/err"
printf 'bench,metric,unit,value\nx,mean,ns,100,7\n' >"$tmp/wide.csv"
run_ 1 sparkline "$tmp/wide.csv"
grep_ "wide.csv:2: 5 fields where the header has 4" "$tmp/err"
printf 'metric,unit,value\nmean,ns,1\n' >"$tmp/nobench.csv"
run_ 1 sparkline "$tmp/nobench.csv"
grep_ "nobench.csv:1: no 'bench' column" "$tmp/err"
: >"$tmp/empty.csv"
run_ 1 sparkline "$tmp/empty.csv"
grep_ "empty.csv:1: empty file: no header line" "$tmp/err"
printf 'bench,metric,unit,value,machine\nx,mean,ns,100,a\nx,mean,ns,100,b\n' >"$tmp/two.csv"
run_ 1 sparkline "$tmp/two.csv"
grep_ "two.csv:3: bench 'x' has rows from machines 'a' and 'b': choose one with --machine" "$tmp/err"
run_ 0 sparkline --machine b "$tmp/two.csv"
svg_ok_ "$tmp/out"
printf 'bench,metric,unit,value\nx,mean,ns,100\nx,mean,us,100\n' >"$tmp/units.csv"
run_ 1 sparkline "$tmp/units.csv"
grep_ "units.csv:3: bench 'x': unit 'us' where earlier rows have 'ns'" "$tmp/err"
run_ 1 sparkline "$tmp/missing.csv"
grep_ "^sparkline: $tmp/missing.csv: No such file or directory$" "$tmp/err"
# The same messages through the RFC 4180 path (a quoted field anywhere).
printf 'bench,metric,unit,value\n"x",mean,ns,100\nx,mean,ns,abc\n' >"$tmp/qnan.csv"
run_ 1 sparkline "$tmp/qnan.csv"
grep_ "qnan.csv:3: bench 'x': value 'abc' is not a number" "$tmp/err"
printf 'bench,metric,unit,value\r\n"x",mean,ns,100,1\r\n' >"$tmp/qwide.csv"
run_ 1 sparkline "$tmp/qwide.csv"
grep_ "qwide.csv:2: 5 fields where the header has 4" "$tmp/err"

# Usage errors.
for args in '--max-points 0' '--max-points x' '--min 1' '--text --min 2 --max 1' \
    '--text --min nan' '--frobnicate' "-d $tmp/d --text" "-d $tmp/d --field allocs"; do
    # shellcheck disable=SC2086
    run_ 2 sparkline $args "$h"
    grep_ "Try 'sparkline --help' for more information." "$tmp/err"
done

run_ 2 sparkline -d '' "$h"
grep_ "^sparkline: -d needs a directory name$" "$tmp/err"

# A write error on stdout is an error.
if [ -w /dev/full ]; then
    set +e
    sparkline --bench x "$h" >/dev/full 2>"$tmp/err"
    st=$?
    set -e
    [ "$st" = 1 ] || fail_ ">/dev/full: exit $st"
    grep_ 'write error' "$tmp/err"
    set +e
    sparkline --help >/dev/full 2>/dev/null
    st=$?
    set -e
    [ "$st" = 1 ] || fail_ "--help >/dev/full: exit $st"
fi

exit $fail
