#!/bin/sh
# sparkline -d DIR: one <name>_time.svg per bench, <name>_allocs.svg where
# there are allocation counts; names made safe, clashes resolved in a
# fixed way and reported; files replaced atomically, nothing half-written.
. "$abs_top_srcdir/tests/cli/setup.sh"
. "$abs_top_srcdir/tests/cli/charts-lib.sh"

cat >"$tmp/h.csv" <<'CSV'
commit,version,date,bench,metric,unit,value,ci_low,ci_high,allocs,allocs_ci_low,allocs_ci_high,rustc,machine
aaaaaaaaaaaa,v1.0.0,2025-01-01T00:00:00Z,parse/small,mean,ns,100,99,101,12,12,12,rustc,ci
aaaaaaaaaaaa,v1.0.0,2025-01-01T00:00:00Z,parse/small,median,ns,99,98,100,12,12,12,rustc,ci
aaaaaaaaaaaa,v1.0.0,2025-01-01T00:00:00Z,parse_small,mean,ns,200,199,201,,,,rustc,ci
aaaaaaaaaaaa,v1.0.0,2025-01-01T00:00:00Z,Parse/Small,mean,ns,300,299,301,,,,rustc,ci
aaaaaaaaaaaa,v1.0.0,2025-01-01T00:00:00Z,a\b c:d*e?f,mean,ns,50,49,51,,,,rustc,ci
aaaaaaaaaaaa,v1.0.0,2025-01-01T00:00:00Z,../up,mean,ns,50,49,51,,,,rustc,ci
aaaaaaaaaaaa,v1.0.0,2025-01-01T00:00:00Z,parse_small-2,mean,ns,70,69,71,,,,rustc,ci
bbbbbbbbbbbb,,2025-01-02T00:00:00Z,parse/small,mean,ns,110,109,111,15,15,15,rustc,ci
bbbbbbbbbbbb,,2025-01-02T00:00:00Z,parse_small,mean,ns,190,189,191,,,,rustc,ci
CSV
mkdir "$tmp/img"
echo old >"$tmp/img/keep.txt"
run_ 0 sparkline -d "$tmp/img" "$tmp/h.csv"
(cd "$tmp/img" && ls -a) >"$tmp/files"
cat >"$tmp/want" <<'LIST'
.
..
Parse_Small-4_time.svg
_._up_time.svg
a_b_c_d_e_f_time.svg
keep.txt
parse_small-2_time.svg
parse_small-3_time.svg
parse_small_allocs.svg
parse_small_time.svg
LIST
LC_ALL=C sort "$tmp/want" >"$tmp/want.sorted"
LC_ALL=C sort "$tmp/files" >"$tmp/files.sorted"
compare_ "$tmp/want.sorted" "$tmp/files.sorted"
# Each clash is reported, naming both benches; "parse_small-2" is a bench's
# own name, so the clashes skip it.
grep_ "benches 'parse/small' and 'parse_small' both give file name 'parse_small': using 'parse_small-3' for 'parse_small'" "$tmp/err"
grep_ "benches 'parse/small' and 'Parse/Small' both give file name 'parse_small': using 'Parse_Small-4' for 'Parse/Small'" "$tmp/err"
grep_ 'parse/small: 2 points' "$tmp/img/parse_small_time.svg"
grep_ 'parse/small: 2 points' "$tmp/img/parse_small_allocs.svg"
grep_ 'parse_small: 2 points' "$tmp/img/parse_small-3_time.svg"
grep_ 'Parse/Small: 1 point,' "$tmp/img/Parse_Small-4_time.svg"
grep_ 'parse_small-2: 1 point,' "$tmp/img/parse_small-2_time.svg"
svg_ok_ "$tmp"/img/*.svg
# The same input gives the same files, byte for byte.
cp -r "$tmp/img" "$tmp/img1"
run_ 0 sparkline -d "$tmp/img" "$tmp/h.csv"
for f in "$tmp"/img1/*.svg; do compare_ "$f" "$tmp/img/${f##*/}"; done

# Bad input: nothing is written and earlier files stay as they were.
cp "$tmp/h.csv" "$tmp/bad.csv"
echo 'cccccccccccc,,2025-01-03T00:00:00Z,parse/small,mean,ns,fast,,,,,,rustc,ci' >>"$tmp/bad.csv"
run_ 1 sparkline -d "$tmp/img" "$tmp/bad.csv"
grep_ "bad.csv:11: bench 'parse/small': value 'fast' is not a number" "$tmp/err"
for f in "$tmp"/img1/*.svg; do compare_ "$f" "$tmp/img/${f##*/}"; done
run_ 1 sparkline -d "$tmp/new" "$tmp/bad.csv"
[ -e "$tmp/new" ] && fail_ "a directory was made for bad input"
# No temporary files are left behind.
ls -a "$tmp/img" | grep -q '\.tmp' && fail_ "temporary files left"
# A file where the directory should be.
run_ 1 sparkline -d "$tmp/img/keep.txt" "$tmp/h.csv"
grep_ 'not a directory' "$tmp/err"
# Parents are made.
run_ 0 sparkline -d "$tmp/a/b/c" "$tmp/h.csv"
[ -f "$tmp/a/b/c/parse_small_time.svg" ] || fail_ "parents not made"
svg_ok_ "$tmp"/a/b/c/*.svg

# Killed while the batch is written: none of its temporary files is left.
awk 'BEGIN { print "commit,bench,metric,unit,value"
             for (c = 1; c <= 2; c++) for (b = 0; b < 20000; b++) printf "c%d,b%05d,mean,ns,%d\n", c, b, 100 + b + c }' >"$tmp/many.csv"
mkdir "$tmp/killed"
sparkline -d "$tmp/killed" "$tmp/many.csv" 2>/dev/null &
pid=$!
i=0
while [ "$i" -lt 500 ] && ! ls -A "$tmp/killed" | grep -q '\.tmp'; do
    sleep 0.01
    i=$((i + 1))
done
kill -TERM "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
if ls -A "$tmp/killed" | grep -q '\.tmp'; then
    fail_ "$(ls -A "$tmp/killed" | grep -c '\.tmp') temporary files left after SIGTERM"
fi

exit $fail
