#!/bin/sh
# benchtrack-allocs: lists a bench binary's benchmarks, profiles each one
# under dhat-run with an exact anchored filter, and leaves the profiles
# where benchtrack-collect finds them; the counts are the benchmark's own
# (the span Criterion times: not the harness's own allocation in test
# mode, nor an iter_batched setup) and the same from run to run.  The
# bench binary is a C stand-in for a Criterion one
# (tests/cli/flows-fakebench.c).
. "$abs_top_srcdir/tests/cli/setup.sh"

PATH=$abs_top_builddir/preload:$PATH
command -v dhat-run >/dev/null 2>&1 || skip_ "dhat-run not built"
bench=$abs_top_builddir/tests/cli/flows-fakebench
[ -x "$bench" ] || skip_ "no $bench"
cp -R "$data/flows/criterion" "$tmp/crit"
# alloc/10 keeps the fixture's baseline, as an older pass left it.
rm -f "$tmp/crit/alloc/10/dhat-heap.json"
weird='weird (x+y)_2 _q_ [a-z]_$~'
# Two more benchmarks with results: an iter_batched one, and one whose
# routine reads the clock itself.
for b in batched clock/2; do
    mkdir -p "$tmp/crit/$b/new"
    cp "$tmp/crit/none/new/estimates.json" "$tmp/crit/$b/new/"
    printf '{"group_id":"%s","function_id":null,"value_str":null,"throughput":null,"full_id":"%s","directory_name":"%s","title":"%s"}\n' \
        "$b" "$b" "$b" "$b" >"$tmp/crit/$b/new/benchmark.json"
done

run_ 0 benchtrack-allocs --criterion-dir "$tmp/crit" "$bench"
for d in alloc/10 none "$weird" batched; do
    [ -s "$tmp/crit/$d/dhat-heap.json" ] || fail_ "no $d/dhat-heap.json"
    [ -s "$tmp/crit/$d/dhat-process.json" ] || fail_ "no $d/dhat-process.json"
    [ ! -e "$tmp/crit/$d/dhat-baseline.json" ] || fail_ "$d/dhat-baseline.json left"
done
grep_ '^benchtrack-allocs: alloc/10 -> .*/alloc/10/dhat-heap.json$' "$tmp/out"
grep_ ': 5 benchmarks profiled$' "$tmp/out"
# The span of clock/2 is not clear: the whole run and a baseline instead.
grep_ '^benchtrack-allocs: .*flows-fakebench: clock/2: the span Criterion times is not clear; counting the whole run less a list-mode baseline$' "$tmp/err"
grep_ '^  the timed span is ambiguous: clock reads during the benchmark: 5$' "$tmp/err"
[ -s "$tmp/crit/clock/2/dhat-baseline.json" ] || fail_ "no clock/2/dhat-baseline.json"
[ ! -e "$tmp/crit/clock/2/dhat-process.json" ] || fail_ "clock/2/dhat-process.json written"
# The benchmark without results is reported, not profiled.
grep_ 'no-results: no results in .* (run cargo bench first); skipped' "$tmp/err"
# Nothing was left behind by the runs.
find "$tmp/crit" -name '*.tmp' >"$tmp/left"
[ ! -s "$tmp/left" ] || fail_ "temporary files left: $(cat "$tmp/left")"

if command -v dhat-scan >/dev/null 2>&1; then
    # The benchmark's own blocks; the whole run's has the harness's too.
    dhat-scan --bench x "$tmp/crit/alloc/10/dhat-heap.json" >"$tmp/heap.csv" || fail_ "dhat-scan heap"
    dhat-scan --bench x "$tmp/crit/alloc/10/dhat-process.json" >"$tmp/proc.csv" || fail_ "dhat-scan process"
    h=$(awk -F, 'NR == 2 { print $2 }' "$tmp/heap.csv")
    p=$(awk -F, 'NR == 2 { print $2 }' "$tmp/proc.csv")
    [ "$h" -eq 10 ] || fail_ "alloc/10: $h blocks, expected 10"
    [ "$p" -gt 10 ] || fail_ "alloc/10: the whole run has $p blocks, expected more than 10"
fi

if command -v criterion-scan >/dev/null 2>&1 && command -v csv-merge >/dev/null 2>&1 &&
    command -v dhat-scan >/dev/null 2>&1; then
    # What collect records: exactly each benchmark's blocks, run after run.
    export BENCHTRACK_COMMIT=aaaaaaaaaaaa BENCHTRACK_DATE=2026-01-01T00:00:00Z BENCHTRACK_TAG= BENCHTRACK_RUSTC=
    run_ 0 benchtrack-collect -m a -r "$tmp/res" -c "$tmp/crit"
    grep_ '^aaaaaaaaaaaa,,2026-01-01T00:00:00Z,alloc/10,mean,ns,[^,]*,[^,]*,[^,]*,10,' "$tmp/res/a.csv"
    grep_ '^aaaaaaaaaaaa,,2026-01-01T00:00:00Z,none,mean,ns,[^,]*,[^,]*,[^,]*,0,' "$tmp/res/a.csv"
    grep_ '^aaaaaaaaaaaa,,2026-01-01T00:00:00Z,"weird .*",mean,ns,[^,]*,[^,]*,[^,]*,3,' "$tmp/res/a.csv"
    # iter_batched: the routine's one reallocation to 8000 bytes, not the
    # setup's block; the heap rose 4000 bytes above its level (no block).
    # The extra columns: alloc_bytes,peak_bytes,peak_blocks,end_bytes,end_blocks.
    grep_ '^aaaaaaaaaaaa,,2026-01-01T00:00:00Z,batched,mean,ns,[^,]*,[^,]*,[^,]*,1,,,[^,]*,[^,]*,8000,4000,0,0,0$' "$tmp/res/a.csv"
    grep_ '^aaaaaaaaaaaa,,2026-01-01T00:00:00Z,none,mean,ns,[^,]*,[^,]*,[^,]*,0,,,[^,]*,[^,]*,0,0,0,0,0$' "$tmp/res/a.csv"
    # The fallback, and its limit: the routine's 2 blocks and the
    # harness's one in test mode; no peak (the whole run's is not the
    # benchmark's).
    grep_ '^aaaaaaaaaaaa,,2026-01-01T00:00:00Z,clock/2,mean,ns,[^,]*,[^,]*,[^,]*,3,,,[^,]*,[^,]*,[0-9]*,,,[0-9]*,[0-9]*$' "$tmp/res/a.csv"
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
