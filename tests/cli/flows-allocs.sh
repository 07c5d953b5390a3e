#!/bin/sh
# benchtrack-allocs: lists a bench binary's benchmarks, profiles each one
# under dhat-run with an exact anchored filter, and leaves the profiles
# where benchtrack-collect finds them; the counts are the benchmark's own
# and the same from run to run.  The bench binary is a C stand-in for a
# Criterion one (tests/cli/flows-fakebench.c).
. "$abs_top_srcdir/tests/cli/setup.sh"

PATH=$abs_top_builddir/preload:$PATH
command -v dhat-run >/dev/null 2>&1 || skip_ "dhat-run not built"
bench=$abs_top_builddir/tests/cli/flows-fakebench
[ -x "$bench" ] || skip_ "no $bench"
cp -R "$data/flows/criterion" "$tmp/crit"
rm -f "$tmp/crit/alloc/10/"dhat-*.json
weird='weird (x+y)_2 _q_ [a-z]_$~'

run_ 0 benchtrack-allocs --criterion-dir "$tmp/crit" "$bench"
for d in alloc/10 none "$weird"; do
    [ -s "$tmp/crit/$d/dhat-heap.json" ] || fail_ "no $d/dhat-heap.json"
    [ -s "$tmp/crit/$d/dhat-baseline.json" ] || fail_ "no $d/dhat-baseline.json"
done
grep_ '^benchtrack-allocs: alloc/10 -> .*/alloc/10/dhat-heap.json$' "$tmp/out"
grep_ ': 3 benchmarks profiled$' "$tmp/out"
# The benchmark without results is reported, not profiled.
grep_ 'no-results: no results in .* (run cargo bench first); skipped' "$tmp/err"
# Nothing was left behind by the runs.
find "$tmp/crit" -name '*.tmp' >"$tmp/left"
[ ! -s "$tmp/left" ] || fail_ "temporary files left: $(cat "$tmp/left")"

if command -v dhat-scan >/dev/null 2>&1; then
    # The whole-process counts: the benchmark's blocks on top of the
    # harness's.
    dhat-scan --bench x "$tmp/crit/alloc/10/dhat-heap.json" >"$tmp/heap.csv" || fail_ "dhat-scan heap"
    dhat-scan --bench x "$tmp/crit/alloc/10/dhat-baseline.json" >"$tmp/base.csv" || fail_ "dhat-scan baseline"
    h=$(awk -F, 'NR == 2 { print $2 }' "$tmp/heap.csv")
    b=$(awk -F, 'NR == 2 { print $2 }' "$tmp/base.csv")
    [ "$((h - b))" -eq 10 ] || fail_ "alloc/10: $h - $b blocks, expected a difference of 10"
fi

if command -v criterion-scan >/dev/null 2>&1 && command -v csv-merge >/dev/null 2>&1 &&
    command -v dhat-scan >/dev/null 2>&1; then
    # What collect records: exactly each benchmark's blocks, run after run.
    export BENCHTRACK_COMMIT=aaaaaaaaaaaa BENCHTRACK_DATE=2026-01-01T00:00:00Z BENCHTRACK_TAG= BENCHTRACK_RUSTC=
    run_ 0 benchtrack-collect -m a -r "$tmp/res" -c "$tmp/crit"
    grep_ '^aaaaaaaaaaaa,,2026-01-01T00:00:00Z,alloc/10,mean,ns,[^,]*,[^,]*,[^,]*,10,' "$tmp/res/a.csv"
    grep_ '^aaaaaaaaaaaa,,2026-01-01T00:00:00Z,none,mean,ns,[^,]*,[^,]*,[^,]*,0,' "$tmp/res/a.csv"
    grep_ '^aaaaaaaaaaaa,,2026-01-01T00:00:00Z,"weird .*",mean,ns,[^,]*,[^,]*,[^,]*,3,' "$tmp/res/a.csv"
    cp "$tmp/res/a.csv" "$tmp/first.csv"
    run_ 0 benchtrack-allocs -q -c "$tmp/crit" -- "$bench"
    [ ! -s "$tmp/out" ] || fail_ "--quiet printed something"
    run_ 0 benchtrack-collect -m a -r "$tmp/res" -c "$tmp/crit"
    compare_ "$tmp/first.csv" "$tmp/res/a.csv"
fi

# --frames reaches dhat-run; errors.
run_ 0 benchtrack-allocs --frames 0 --criterion-dir="$tmp/crit" "$bench"
run_ 1 benchtrack-allocs -c "$tmp/crit" "$tmp/nosuch"
grep_ 'nosuch: not an executable file' "$tmp/err"
run_ 1 benchtrack-allocs -c "$tmp/crit" /bin/false
grep_ 'list failed' "$tmp/err"
run_ 1 benchtrack-allocs -c "$tmp/nosuch" "$bench"
grep_ 'no such folder' "$tmp/err"
exit $fail
