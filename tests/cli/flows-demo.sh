#!/bin/sh
# The README's main job: bench/sample/demo.sh (what `make demo` runs)
# collects the sample's four revisions and draws them; the charts committed
# under docs/img/sample are exactly what it draws.
. "$abs_top_srcdir/tests/cli/setup.sh"

for p in criterion-scan dhat-scan csv-merge sparkline badge; do
    command -v $p >/dev/null 2>&1 || skip_ "$p not built"
done
[ -f "$abs_top_srcdir/bench/sample/results/r1/stamp" ] || skip_ "no sample results"
unset BENCH_MACHINE GITHUB_RUN_ID GITHUB_SHA GITHUB_STEP_SUMMARY || true

run_ 0 sh "$abs_top_srcdir/bench/sample/demo.sh" "$tmp/demo"
grep_ "^History: $tmp/demo/sample.csv\$" "$tmp/out"
grep_ "^Charts:  $tmp/demo/img/ " "$tmp/out"
grep_ '^| join_numbers | allocs |' "$tmp/out"
[ "$(cut -d, -f1 "$tmp/demo/sample.csv" | sed 1d | uniq | wc -l)" -eq 4 ] || fail_ "expected 4 commits in order"
# Every bench has its four charts (the sample allocates in all of them, or
# says 0).
[ "$(ls "$tmp/demo/img"/*.svg | wc -l)" -eq 24 ] || fail_ "expected 24 charts"

# The committed charts are current (after a change to the charts, run
# "make sample-img" and commit docs/img/sample).
for f in "$abs_top_srcdir"/docs/img/sample/*.svg; do
    [ -f "$f" ] || { fail_ "no committed sample charts"; break; }
    compare_ "$f" "$tmp/demo/img/$(basename "$f")"
done
# A second demo in its own folder: the same history, byte for byte.
run_ 0 sh "$abs_top_srcdir/bench/sample/demo.sh" "$tmp/demo2"
compare_ "$tmp/demo/sample.csv" "$tmp/demo2/sample.csv"
exit $fail
