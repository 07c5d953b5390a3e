#!/bin/sh
# sparkline draws one series of a real history as a word-sized, accessible,
# well-formed SVG on standard output.
. "$abs_top_srcdir/tests/cli/setup.sh"
. "$abs_top_srcdir/tests/cli/charts-lib.sh"

run_ 0 sparkline --bench builder_add_nodes/100000 "$data/rustychickpeas/github.csv"
cp "$tmp/out" "$tmp/s.svg"
svg_ok_ "$tmp/s.svg"

# Word-sized, with explicit size and view box, an accessible name first.
grep_ '^<svg xmlns="http://www.w3.org/2000/svg" width="[0-9]*" height="34" viewBox="0 0 [0-9]* 34" role="img" aria-labelledby="spark-title spark-desc"' "$tmp/s.svg"
sed -n 2p "$tmp/s.svg" >"$tmp/line2"
grep_ '^<title id="spark-title">builder_add_nodes/100000: 18 points, last 10.64 ms, min 6.34 ms, max 11.52 ms</title>$' "$tmp/line2"
grep_ '<desc id="spark-desc">value of the mean rows of builder_add_nodes/100000 on github, as time (lower is better)' "$tmp/s.svg"
# Transparent: no background shape; one polyline with all 18 points.
nogrep_ '<rect' "$tmp/s.svg"
[ "$(grep -c '<polyline' "$tmp/s.svg")" = 1 ] || fail_ "expected one polyline"
pts=$(sed -n 's/.*<polyline[^>]* points="\([^"]*\)".*/\1/p' "$tmp/s.svg" | wc -w)
[ "$pts" = 18 ] || fail_ "polyline has $pts points, expected 18"
# The last point is marked; min, max and the last value are in text, and
# a legend says what is drawn and which way is better.
grep_ '<circle cx="123.0" cy="[0-9.]*" r="2.5" fill="#007ec6"/>' "$tmp/s.svg"
grep_ '>10.64 ms</text>' "$tmp/s.svg"
grep_ '>min 6.34 ms</text>' "$tmp/s.svg"
grep_ '>max 11.52 ms</text>' "$tmp/s.svg"
grep_ '>time (lower is better)</text>' "$tmp/s.svg"
# Releases (exact tags, first point of each) are marked and named.
[ "$(grep -c 'stroke-dasharray' "$tmp/s.svg")" = 8 ] || fail_ "expected 8 release marks"
grep_ 'releases: v0.4.1 at point 1, v0.5.0 at point 3, v0.6.0 at point 5, v0.6.1 at point 6, v0.7.0 at point 7, v0.8.0 at point 10, v0.9.0 at point 16, v0.10.0 at point 18<' "$tmp/s.svg"
grep_ '>v0.10.0</text>' "$tmp/s.svg"

# Standard input and "-" read the same.
run_ 0 sparkline --bench builder_add_nodes/100000 <"$data/rustychickpeas/github.csv"
svg_ok_ "$tmp/out"
compare_ "$tmp/s.svg" "$tmp/out"
run_ 0 sparkline --bench builder_add_nodes/100000 - <"$data/rustychickpeas/github.csv"
svg_ok_ "$tmp/out"
compare_ "$tmp/s.svg" "$tmp/out"

# A single point is a dot; a constant series a flat line at mid-height.
printf 'bench,metric,unit,value\nx,mean,ns,100\n' >"$tmp/one.csv"
run_ 0 sparkline "$tmp/one.csv"
cp "$tmp/out" "$tmp/one.svg"
svg_ok_ "$tmp/one.svg"
nogrep_ '<polyline' "$tmp/one.svg"
grep_ '<circle cx="63.0" cy="14.0" r="2.5"' "$tmp/one.svg"
printf 'bench,metric,unit,value\nx,mean,ns,100\nx,mean,ns,100\nx,mean,ns,100\n' >"$tmp/flat.csv"
run_ 0 sparkline "$tmp/flat.csv"
cp "$tmp/out" "$tmp/flat.svg"
svg_ok_ "$tmp/flat.svg"
grep_ 'points="3.0,14.0 63.0,14.0 123.0,14.0"' "$tmp/flat.svg"

# A file without a version column (older collector output) is fine.
cut -d, -f1,3- "$data/rustychickpeas/github.csv" >"$tmp/noversion.csv"
run_ 0 sparkline --bench bfs/1000000 "$tmp/noversion.csv"
cp "$tmp/out" "$tmp/nov.svg"
svg_ok_ "$tmp/nov.svg"
nogrep_ 'releases' "$tmp/nov.svg"

exit $fail
