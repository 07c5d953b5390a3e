#!/bin/sh
# badge -d DIR: <name>_time_badge.svg for every bench, <name>_allocs_badge.svg
# where there are allocation counts (.json with --format json); written
# atomically, nothing when the input is bad.
. "$abs_top_srcdir/tests/cli/setup.sh"
. "$abs_top_srcdir/tests/cli/charts-lib.sh"

run_ 0 badge -d "$tmp/img" "$charts/allocs.csv"
(cd "$tmp/img" && ls -a) >"$tmp/files"
printf '.\n..\nparse_json_allocs_badge.svg\nparse_json_time_badge.svg\nrender_svg_time_badge.svg\n' >"$tmp/want"
compare_ "$tmp/want" "$tmp/files"
svg_ok_ "$tmp"/img/*.svg
compare_ "$charts/golden/parse_json_allocs_badge.svg" "$tmp/img/parse_json_allocs_badge.svg"
grep_ 'aria-label="time: 1.40 μs (-0.5%)"' "$tmp/img/parse_json_time_badge.svg"
grep_ 'fill="#dfb317"' "$tmp/img/parse_json_time_badge.svg"
# One point: no change to show, lightgrey.
grep_ 'aria-label="time: 880.00 μs"' "$tmp/img/render_svg_time_badge.svg"
grep_ 'fill="#9f9f9f"' "$tmp/img/render_svg_time_badge.svg"

# The threshold moves the verdict; --machine selects.
run_ 0 badge -d "$tmp/t" --threshold 0.4 "$charts/allocs.csv"
grep_ 'fill="#4c1"' "$tmp/t/parse_json_time_badge.svg"
svg_ok_ "$tmp"/t/*.svg
run_ 0 badge -d "$tmp/m" --machine nowhere "$charts/allocs.csv"
[ -z "$(ls "$tmp/m")" ] || fail_ "files for no rows"

# JSON endpoint files.
run_ 0 badge -d "$tmp/j" --format json "$charts/allocs.csv"
(cd "$tmp/j" && ls) >"$tmp/files"
printf 'parse_json_allocs_badge.json\nparse_json_time_badge.json\nrender_svg_time_badge.json\n' >"$tmp/want"
compare_ "$tmp/want" "$tmp/files"
printf '{"schemaVersion":1,"label":"allocs","message":"1.0K (+6.3%%)","color":"red"}\n' >"$tmp/want"
compare_ "$tmp/want" "$tmp/j/parse_json_allocs_badge.json"

# Bad input changes nothing.
cp -r "$tmp/img" "$tmp/img1"
{ cat "$charts/allocs.csv"; echo '6666666666ff,,2025-03-06T10:00:00Z,parse/json,mean,ns,1400,1390,1405,many,,,rustc 1.85.0,ci'; } >"$tmp/bad.csv"
run_ 1 badge -d "$tmp/img" "$tmp/bad.csv"
grep_ "bad.csv:9: bench 'parse/json': allocs 'many' is not a number" "$tmp/err"
for f in "$tmp"/img1/*; do compare_ "$f" "$tmp/img/${f##*/}"; done
ls -a "$tmp/img" | grep -q '\.tmp' && fail_ "temporary files left"

# A directory that cannot be written: exit 1, nothing half-done.
if [ "$(id -u)" != 0 ]; then
    mkdir "$tmp/ro" && chmod a-w "$tmp/ro"
    run_ 1 badge -d "$tmp/ro" "$charts/allocs.csv"
    grep_ 'cannot create a temporary file' "$tmp/err"
    chmod u+w "$tmp/ro"
fi

exit $fail
