#!/bin/sh
# bench-gate: bad input names FILE:LINE and exits 2, as do usage errors;
# exit 1 is kept for "regressed" alone.
. "$abs_top_srcdir/tests/cli/setup.sh"

hdr=commit,version,date,bench,metric,unit,value,ci_low,ci_high,allocs,allocs_ci_low,allocs_ci_high,rustc,machine
{
    echo "$hdr"
    echo 'c1,,d,a,mean,ns,100,,,3,,,r,m'
    echo 'c2,,d,a,mean,ns,1e2x,,,3,,,r,m'
} >"$tmp/bad.csv"
run_ 2 bench-gate "$tmp/bad.csv"
grep_ "^bench-gate: $tmp/bad.csv:3: invalid value '1e2x': not a positive time$" "$tmp/err"
[ -s "$tmp/out" ] && fail_ "output despite bad input"
sed 's/1e2x/0/' "$tmp/bad.csv" >"$tmp/zero.csv"
run_ 2 bench-gate "$tmp/zero.csv"
grep_ ":3: invalid value '0': not a positive time$" "$tmp/err"
sed 's/1e2x,,,3/100,,,-1/' "$tmp/bad.csv" >"$tmp/neg.csv"
run_ 2 bench-gate "$tmp/neg.csv"
grep_ ":3: invalid allocs '-1': not a count$" "$tmp/err"
printf '%s\nc1,,d,"a,mean,ns,1\n' "$hdr" >"$tmp/quote.csv"
run_ 2 bench-gate "$tmp/quote.csv"
grep_ "^bench-gate: $tmp/quote.csv:2: " "$tmp/err"
printf 'bench,value\nx,1\n' >"$tmp/nocommit.csv"
run_ 2 bench-gate "$tmp/nocommit.csv"
grep_ "^bench-gate: $tmp/nocommit.csv:1: no commit column$" "$tmp/err"
: >"$tmp/empty.csv"
run_ 2 bench-gate "$tmp/empty.csv"
echo "$hdr" >"$tmp/header.csv"
run_ 2 bench-gate "$tmp/header.csv"
grep_ "^bench-gate: $tmp/header.csv: no rows$" "$tmp/err"
run_ 2 bench-gate "$tmp/nosuch.csv"
grep_ 'nosuch.csv' "$tmp/err"
# From standard input, named "-".
run_ 2 bench-gate <"$tmp/bad.csv"
grep_ "^bench-gate: -:3: invalid value" "$tmp/err"

# Commits that are not there.
{ echo "$hdr"; echo 'c1,,d,a,mean,ns,100,,,3,,,r,m'; echo 'c2,,d,a,mean,ns,100,,,3,,,r,m'; } >"$tmp/ok.csv"
run_ 0 bench-gate "$tmp/ok.csv"
run_ 2 bench-gate --commit zz "$tmp/ok.csv"
grep_ 'commit zz not found for machine m' "$tmp/err"
run_ 2 bench-gate --base c2 "$tmp/ok.csv"
grep_ 'the base c2 is the commit judged: nothing to compare' "$tmp/err"

# Usage errors.
run_ 2 bench-gate --threshold abc "$tmp/ok.csv"
grep_ "invalid --threshold 'abc'" "$tmp/err"
run_ 2 bench-gate --alloc-threshold=-1 "$tmp/ok.csv"
run_ 2 bench-gate --single-threshold= "$tmp/ok.csv"
run_ 2 bench-gate --max-points 0 "$tmp/ok.csv"
run_ 2 bench-gate --format html "$tmp/ok.csv"
run_ 2 bench-gate --replay --commit c1 "$tmp/ok.csv"
run_ 2 bench-gate --nosuch "$tmp/ok.csv"
run_ 2 bench-gate "$tmp/ok.csv" "$tmp/ok.csv"
grep_ "Try 'bench-gate --help'" "$tmp/err"
run_ 0 bench-gate --help
grep_ '^Usage: bench-gate ' "$tmp/out"
run_ 0 bench-gate --version
# A lost write is an error, never "regressed".
if [ -w /dev/full ]; then
    run_ 2 sh -c 'bench-gate "$1" >/dev/full' sh "$tmp/ok.csv"
fi
exit $fail
