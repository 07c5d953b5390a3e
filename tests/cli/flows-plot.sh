#!/bin/sh
# benchtrack-plot: every sparkline and badge of a history, and the page
# that shows them.
. "$abs_top_srcdir/tests/cli/setup.sh"

for p in sparkline badge; do
    command -v $p >/dev/null 2>&1 || skip_ "$p not built"
done
mkdir "$tmp/res"
hdr=commit,version,date,bench,metric,unit,value,ci_low,ci_high,allocs,allocs_ci_low,allocs_ci_high,rustc,machine
{
    echo "$hdr"
    i=1
    while [ $i -le 8 ]; do
        printf 'c%011d,v0.%d.0,2026-01-0%dT00:00:00Z,group/f 1,mean,ns,%d,%d,%d,%d,,,r,github\n' \
            $i $i $i $((1000 + 10 * i)) $((990 + 10 * i)) $((1010 + 10 * i)) $((100 + i))
        printf 'c%011d,,2026-01-0%dT00:00:00Z,group/f 1,median,ns,%d,%d,%d,%d,,,r,github\n' \
            $i $i $((1000 + 10 * i)) $((990 + 10 * i)) $((1010 + 10 * i)) $((100 + i))
        printf 'c%011d,,2026-01-0%dT00:00:00Z,plain,mean,ns,%d,%d,%d,,,,r,github\n' \
            $i $i $((5000 - 10 * i)) $((4990 - 10 * i)) $((5010 - 10 * i))
        # Two names that give one file name: the second gets -2.
        printf 'c%011d,,2026-01-0%dT00:00:00Z,Clash x,mean,ns,7,6,8,,,,r,github\n' $i $i
        printf 'c%011d,,2026-01-0%dT00:00:00Z,clash/x,mean,ns,9,8,10,,,,r,github\n' $i $i
        i=$((i + 1))
    done
} >"$tmp/res/github.csv"

run_ 0 benchtrack-plot --results-dir "$tmp/res" --output-dir "$tmp/img"
for f in "group_f_1_time.svg" "group_f_1_time_badge.svg" "group_f_1_allocs.svg" \
    "group_f_1_allocs_badge.svg" plain_time.svg plain_time_badge.svg README.md; do
    [ -s "$tmp/img/$f" ] || fail_ "no $f"
done
[ ! -e "$tmp/img/plain_allocs.svg" ] || fail_ "plain has no allocation data"
grep_ "^benchtrack-plot: 10 charts and README.md in $tmp/img\$" "$tmp/out"
# The page: one row per bench, links URL-encoded, names escaped.
grep_ '^# Benchmarks on `github`' "$tmp/img/README.md"
grep_ '^| group/f 1 | !\[time badge\](group_f_1_time_badge.svg) | !\[time\](group_f_1_time.svg) | !\[allocations badge\](group_f_1_allocs_badge.svg) | !\[allocations\](group_f_1_allocs.svg) |$' "$tmp/img/README.md"
grep_ '^| Clash x | !\[time badge\](Clash_x_time_badge.svg) | !\[time\](Clash_x_time.svg) |  |  |$' "$tmp/img/README.md"
grep_ '^| clash/x | !\[time badge\](clash_x-2_time_badge.svg) | !\[time\](clash_x-2_time.svg) |  |  |$' "$tmp/img/README.md"
nogrep_ '(file name)' "$tmp/img/README.md"

# --metric: only group/f 1 has median rows.
run_ 0 benchtrack-plot --results-dir "$tmp/res" --output-dir "$tmp/img-median" --metric median
grep_ "^benchtrack-plot: 4 charts and README.md in $tmp/img-median\$" "$tmp/out"
[ -s "$tmp/img-median/group_f_1_time.svg" ] || fail_ "--metric median drew no group_f_1_time.svg"
[ ! -e "$tmp/img-median/plain_time.svg" ] || fail_ "--metric median drew plain, which has no median"
grep_ '^| group/f 1 |' "$tmp/img-median/README.md"
nogrep_ '^| plain |' "$tmp/img-median/README.md"
run_ 2 benchtrack-plot --results-dir "$tmp/res" --output-dir "$tmp/x" --metric ''

grep_ '^| plain | !\[time badge\](plain_time_badge.svg) | !\[time\](plain_time.svg) |  |  |$' "$tmp/img/README.md"
if command -v xmllint >/dev/null 2>&1; then
    for f in "$tmp"/img/*.svg; do
        xmllint --noout "$f" || fail_ "$f: not XML"
    done
fi

# Same history, same files: byte-stable.
cp -R "$tmp/img" "$tmp/img1"
run_ 0 benchtrack-plot -r "$tmp/res" -o "$tmp/img" -q
[ ! -s "$tmp/out" ] || fail_ "--quiet printed something"
for f in "$tmp"/img1/*; do
    compare_ "$f" "$tmp/img/$(basename "$f")"
done

# --max-points reaches the sparklines; --machine picks the file.
sed 's/,github$/,other/' "$tmp/res/github.csv" >"$tmp/res/other.csv"
run_ 0 benchtrack-plot --machine other --max-points 3 -r "$tmp/res" -o "$tmp/img3"
cmp -s "$tmp/img3/plain_time.svg" "$tmp/img/plain_time.svg" && fail_ "--max-points 3 drew the same sparkline"
run_ 1 benchtrack-plot -m nosuch -r "$tmp/res" -o "$tmp/img4"
grep_ 'nosuch.csv: no such history file' "$tmp/err"

# Rows that name no machine belong to the one asked for.
mkdir "$tmp/nomach"
cut -d, -f1-13 "$tmp/res/github.csv" >"$tmp/nomach/github.csv"
run_ 0 benchtrack-plot --results-dir "$tmp/nomach" --output-dir "$tmp/img-nomach"
grep_ "^benchtrack-plot: 10 charts and README.md in $tmp/img-nomach\$" "$tmp/out"

# Nothing to draw is an error, not an empty page.
run_ 1 benchtrack-plot --results-dir "$tmp/res" --output-dir "$tmp/img-none" --metric p99
grep_ "no rows of metric 'p99' on machine 'github': nothing to draw" "$tmp/err"
[ ! -e "$tmp/img-none/README.md" ] || fail_ "a page written with nothing on it"

# A chart left by an earlier run (a bench since renamed) is not on the page.
cp "$tmp/img/plain_time.svg" "$tmp/img/renamed_time.svg"
run_ 0 benchtrack-plot --results-dir "$tmp/res" --output-dir "$tmp/img"
nogrep_ 'renamed' "$tmp/img/README.md"
grep_ "^benchtrack-plot: 10 charts and README.md in $tmp/img\$" "$tmp/out"
exit $fail
