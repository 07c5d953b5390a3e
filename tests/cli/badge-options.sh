#!/bin/sh
# badge's options: --help, --version, every option in the man page, labels
# and the threshold.
. "$abs_top_srcdir/tests/cli/setup.sh"
. "$abs_top_srcdir/tests/cli/charts-lib.sh"
charts="$data/charts"

run_ 0 badge --help
grep_ '^Usage: badge \[OPTION\]... \[FILE\]...$' "$tmp/out"
cp "$tmp/out" "$tmp/help"
sed 's/\\//g' "$abs_top_srcdir/man/badge.1" >"$tmp/man"
for opt in $(grep -o -- '--[a-z][a-z-]*' "$tmp/help" | sort -u); do
    grep -q -e "$opt\([^a-z-]\|\$\)" "$tmp/man" || fail_ "$opt is not in man/badge.1"
done
run_ 0 badge -h
compare_ "$tmp/help" "$tmp/out"
run_ 0 badge --version
grep_ "^badge (benchtrack) $BENCHTRACK_VERSION\$" "$tmp/out"

run_ 0 badge -b bfs/1000000 --label perf "$data/rustychickpeas/github.csv"
svg_ok_ "$tmp/out"
grep_ 'aria-label="perf: 283.70 ms (+5.7%)"' "$tmp/out"
run_ 0 badge -b bfs/1000000 --threshold 6 "$data/rustychickpeas/github.csv"
svg_ok_ "$tmp/out"
grep_ 'fill="#dfb317"' "$tmp/out"
run_ 0 badge -b bfs/1000000 -T 5.6 "$data/rustychickpeas/github.csv"
svg_ok_ "$tmp/out"
grep_ 'fill="#e05d44"' "$tmp/out"
run_ 0 badge -b bfs/1000000 --color blue "$data/rustychickpeas/github.csv"
svg_ok_ "$tmp/out"
grep_ 'fill="#007ec6"' "$tmp/out"
run_ 0 badge -b bfs/1000000 --metric median "$data/rustychickpeas/github.csv"
svg_ok_ "$tmp/out"
grep_ 'aria-label="time: 2[0-9][0-9].[0-9][0-9] ms' "$tmp/out"
run_ 0 badge -b bfs/1000000 --machine github --field ci_high "$data/rustychickpeas/github.csv"
svg_ok_ "$tmp/out"
grep_ 'aria-label="ci_high: 283.99 ms (+5.8%)"' "$tmp/out"
run_ 0 badge -b parse/json --field allocs_ci_low "$charts/allocs.csv"
svg_ok_ "$tmp/out"
grep_ 'aria-label="allocs_ci_low: 1.0K (+6.3%)"' "$tmp/out"
# Several files are one history, in order.
head -n 1 "$data/rustychickpeas/github.csv" >"$tmp/last.csv"
grep ',bfs/1000000,mean,' "$data/rustychickpeas/github.csv" | tail -n 1 >>"$tmp/last.csv"
run_ 0 badge -b bfs/1000000 "$data/rustychickpeas/github.csv" "$tmp/last.csv"
svg_ok_ "$tmp/out"
grep_ 'aria-label="time: 283.70 ms (+0.0%)"' "$tmp/out"

exit $fail
