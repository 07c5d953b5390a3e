#!/bin/sh
# Every chart draws up as worse: a time that grows (slower) and an
# allocation count that grows both go up, in the SVG and in --text; the
# best point is green and the worst red in both; the chart says so in its
# legend.  Only --ops turns times over.  This fails if the default ever
# flips back to operations per second.
. "$abs_top_srcdir/tests/cli/setup.sh"
. "$abs_top_srcdir/tests/cli/charts-lib.sh"

GOOD='#1a7f37'
BAD='#cf222e'

# Slower and slower, with more and more allocations.
printf 'bench,metric,unit,value,allocs\nb,mean,ns,100,10\nb,mean,ns,150,20\nb,mean,ns,300,40\n' \
    >"$tmp/rise.csv"

# ys_ FILE: the y of the first and of the last point of the polyline.
ys_() {
    sed -n 's/.*<polyline[^>]* points="\([^"]*\)".*/\1/p' "$1" |
        awk '{ split($1, f, ","); split($NF, l, ","); print f[2], l[2] }'
}

# rises_ FILE: the last point is drawn higher (a smaller y) than the first.
rises_() {
    set -- "$1" $(ys_ "$1")
    [ $# -eq 3 ] || { fail_ "$1: no polyline"; return; }
    awk -v a="$2" -v b="$3" 'BEGIN { exit !(b < a) }' ||
        fail_ "$1: a rising series is drawn going down (first y $2, last y $3)"
}

# worse_up_ FILE LEGEND: rises, the top (worst) point red and the bottom
# (best) one green, the range text in the same colours, and the legend.
worse_up_() {
    svg_ok_ "$1"
    rises_ "$1"
    grep_ "<circle cx=\"123.0\" cy=\"5.0\" r=\"2\" fill=\"$BAD\"/>" "$1"
    grep_ "<circle cx=\"3.0\" cy=\"23.0\" r=\"2\" fill=\"$GOOD\"/>" "$1"
    grep_ "fill=\"$GOOD\">min " "$1"
    grep_ "fill=\"$BAD\">max " "$1"
    grep_ ">$2</text>" "$1"
}

run_ 0 sparkline "$tmp/rise.csv"
cp "$tmp/out" "$tmp/time.svg"
worse_up_ "$tmp/time.svg" 'time (lower is better)'
grep_ '>300.0 ns</text>' "$tmp/time.svg"
run_ 0 sparkline --field allocs "$tmp/rise.csv"
cp "$tmp/out" "$tmp/allocs.svg"
worse_up_ "$tmp/allocs.svg" 'allocs (lower is better)'
# -d draws the two charts of a bench the same way.
run_ 0 sparkline -d "$tmp/img" "$tmp/rise.csv"
compare_ "$tmp/time.svg" "$tmp/img/b_time.svg"
compare_ "$tmp/allocs.svg" "$tmp/img/b_allocs.svg"
# --raw, kept for old scripts, is the default.
run_ 0 sparkline --raw "$tmp/rise.csv"
compare_ "$tmp/time.svg" "$tmp/out"

# The text sparkline goes up the same way: it ends with the highest block.
printf '▁▂█\n' >"$tmp/want"
run_ 0 sparkline --text "$tmp/rise.csv"
compare_ "$tmp/want" "$tmp/out"
run_ 0 sparkline --text --field allocs "$tmp/rise.csv"
printf '▁▃█\n' >"$tmp/want"
compare_ "$tmp/want" "$tmp/out"

# --ops, and only --ops, draws operations per second: the faster the
# higher, the best (fastest) point green at the top.
run_ 0 sparkline --ops "$tmp/rise.csv"
cp "$tmp/out" "$tmp/ops.svg"
svg_ok_ "$tmp/ops.svg"
set -- $(ys_ "$tmp/ops.svg")
awk -v a="$1" -v b="$2" 'BEGIN { exit !(b > a) }' || fail_ "--ops: a slower series is drawn going up"
grep_ "<circle cx=\"3.0\" cy=\"5.0\" r=\"2\" fill=\"$GOOD\"/>" "$tmp/ops.svg"
grep_ "<circle cx=\"123.0\" cy=\"23.0\" r=\"2\" fill=\"$BAD\"/>" "$tmp/ops.svg"
grep_ '>ops/s (higher is better)</text>' "$tmp/ops.svg"
run_ 0 sparkline --text --ops "$tmp/rise.csv"
printf '█▄▁\n' >"$tmp/want"
compare_ "$tmp/want" "$tmp/out"

# A column whose better direction is unknown gets no legend and grey
# marks.
printf 'bench,metric,score\nb,mean,1\nb,mean,2\nb,mean,3\n' >"$tmp/score.csv"
run_ 0 sparkline --field score "$tmp/score.csv"
svg_ok_ "$tmp/out"
rises_ "$tmp/out"
nogrep_ 'is better)' "$tmp/out"
nogrep_ "$GOOD" "$tmp/out"

# The legend of a count names its column, XML-escaped.
printf 'bench,metric,allocs<&>\nb,mean,1\nb,mean,2\n' >"$tmp/esc.csv"
run_ 0 sparkline --field 'allocs<&>' "$tmp/esc.csv"
svg_ok_ "$tmp/out"
grep_ '>allocs&lt;&amp;&gt; (lower is better)</text>' "$tmp/out"

exit $fail
