#!/bin/sh
# badge: bad input is exit 1 with FILE:LINE, a wrong command line exit 2,
# a failed write exit 1.
. "$abs_top_srcdir/tests/cli/setup.sh"
. "$abs_top_srcdir/tests/cli/charts-lib.sh"

h="$tmp/h.csv"
printf 'bench,metric,unit,value\nx,mean,ns,100\nx,mean,ns,200\ny,mean,ns,5\n' >"$h"
run_ 1 badge --bench nope "$h"
grep_ "^badge: no rows for bench 'nope' with metric 'mean'$" "$tmp/err"
[ -s "$tmp/out" ] && fail_ "output on error"
run_ 1 badge "$h"
grep_ "^badge: 2 benches (first 'x', 'y'): choose one with --bench, or use -d$" "$tmp/err"
printf 'bench,metric,unit,value\nx,mean,ns,100\nx,mean,ns,n/a\n' >"$tmp/nan.csv"
run_ 1 badge "$tmp/nan.csv"
grep_ "^badge: $tmp/nan.csv:3: bench 'x': value 'n/a' is not a number$" "$tmp/err"
printf 'bench,metric,unit,value\nx,mean,ns,100\nx,mean,ns,-0.0\n' >"$tmp/zero.csv"
run_ 1 badge "$tmp/zero.csv"
grep_ "zero.csv:3: bench 'x': time -0.0 is not positive" "$tmp/err"
printf 'bench,metric,unit,value\nx,mean,ns,100\n"x,mean,ns,5\n' >"$tmp/quote.csv"
run_ 1 badge "$tmp/quote.csv"
grep_ "^badge: $tmp/quote.csv:3: unterminated quoted field$" "$tmp/err"
printf 'bench,metric,unit,value,machine\nx,mean,ns,100,a\nx,mean,ns,100,b\n' >"$tmp/two.csv"
run_ 1 badge -d "$tmp/img" "$tmp/two.csv"
grep_ "two.csv:3: bench 'x' has rows from machines 'a' and 'b'" "$tmp/err"
[ -e "$tmp/img" ] && fail_ "directory made for bad input"
run_ 1 badge "$tmp/missing.csv"
grep_ "missing.csv: No such file or directory" "$tmp/err"
printf 'bench,metric,unit,value\nx,mean,ns,100\n' >"$tmp/one.csv"
run_ 1 badge --field allocs "$tmp/one.csv"
grep_ "one.csv:1: no 'allocs' column" "$tmp/err"

# Allocation counts of 0: no division by zero.
printf 'bench,metric,allocs\nx,mean,0\nx,mean,0\ny,mean,0\ny,mean,3\n' >"$tmp/z.csv"
run_ 0 badge --field allocs -b x "$tmp/z.csv"
svg_ok_ "$tmp/out"
grep_ 'aria-label="allocs: 0 (+0.0%)"' "$tmp/out"
run_ 0 badge --field allocs -b y "$tmp/z.csv"
svg_ok_ "$tmp/out"
grep_ 'aria-label="allocs: 3 (from 0)"' "$tmp/out"
grep_ 'fill="#e05d44"' "$tmp/out"

for args in '--format xml' '--threshold -1' '--threshold x' '--color purple' \
    '--label-color nope' '--message m --bench x' "--message m $h" '--message m -d d' \
    "-d $tmp/d --label L" "-d $tmp/d --field allocs" '--bogus'; do
    # shellcheck disable=SC2086
    run_ 2 badge $args "$h"
    grep_ "Try 'badge --help' for more information." "$tmp/err"
done

if [ -w /dev/full ]; then
    set +e
    badge --bench x "$h" >/dev/full 2>"$tmp/err"
    st=$?
    badge --message m --format json >/dev/full 2>/dev/null
    st2=$?
    set -e
    [ "$st" = 1 ] || fail_ ">/dev/full: exit $st"
    [ "$st2" = 1 ] || fail_ "json >/dev/full: exit $st2"
    grep_ 'write error' "$tmp/err"
fi

exit $fail
