#!/bin/sh
# badge's output is byte-stable: the same as the reviewed golden files,
# whatever the locale.
. "$abs_top_srcdir/tests/cli/setup.sh"
. "$abs_top_srcdir/tests/cli/charts-lib.sh"
g="$charts/golden"

run_ 0 badge -b bfs/1000000 "$data/rustychickpeas/github.csv"
svg_ok_ "$tmp/out"
compare_ "$g/bfs_1000000_time_badge.svg" "$tmp/out"
run_ 0 badge -b bfs/1000000 --format json "$data/rustychickpeas/github.csv"
compare_ "$g/bfs_1000000_time_badge.json" "$tmp/out"
run_ 0 badge -b parse/json --field allocs "$charts/allocs.csv"
svg_ok_ "$tmp/out"
compare_ "$g/parse_json_allocs_badge.svg" "$tmp/out"
run_ 0 badge -d "$tmp/img" -b bfs/1000000 "$data/rustychickpeas/github.csv"
compare_ "$g/bfs_1000000_time_badge.svg" "$tmp/img/bfs_1000000_time_badge.svg"
svg_ok_ "$g"/*badge.svg "$g/shields-build-passing.svg" "$tmp"/img/*.svg

for loc in de_DE.UTF-8 fr_FR.UTF-8 C.UTF-8; do
    if locale -a 2>/dev/null | grep -qi "^$(echo "$loc" | sed 's/UTF-8/utf-\\?8/')\$"; then
        LC_ALL=$loc badge -b bfs/1000000 "$data/rustychickpeas/github.csv" >"$tmp/loc.svg" ||
            fail_ "LC_ALL=$loc failed"
        compare_ "$g/bfs_1000000_time_badge.svg" "$tmp/loc.svg"
    fi
done

exit $fail
