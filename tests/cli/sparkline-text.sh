#!/bin/sh
# sparkline --text: one line of ▁▂▃▄▅▆▇█, scaled as holman/spark scales
# integers (its test vectors), with real arithmetic for decimals.
. "$abs_top_srcdir/tests/cli/setup.sh"

# spark_ EXPECTED NUMBERS [OPTION...]: the numbers as the "score" column of
# one series.
spark_() {
    expect=$1
    nums=$2
    shift 2
    { echo 'bench,metric,score'; echo "$nums" | tr ',' '\n' | sed 's/^/b,mean,/'; } >"$tmp/s.csv"
    run_ 0 sparkline --text --field score "$@" "$tmp/s.csv"
    printf "%s\n" "$expect" >"$tmp/want"
    compare_ "$tmp/want" "$tmp/out"
}

# holman/spark's spark-test.sh vectors.
spark_ '▁▂█▅▂' 1,5,22,13,5
spark_ '▁▂▃▄▂█' 0,30,55,80,33,150
spark_ '▁▂▄▆█' 1,2,3,4,5
spark_ '▁▄█' 1,50,100
spark_ '▅▅▅▅' 1,1,1,1
# Without spark's quirks: negative data reaches █, decimals are not
# truncated.
spark_ '▁▄█' -5,-3,-1
spark_ '▁█' 5.9,6.1
spark_ '▁▁▂▃▅▆▇▇█' 0,0.1,0.25,0.4,0.6,0.75,0.86,0.9999,1
# --min/--max fix the scale; values beyond are clamped.
spark_ '▁▁▄█' 0,5,50,200 --min 10 --max 100
spark_ '▄█' 50,200 --min 0 --max 100
spark_ '▁▁▆' 1.5,2,3.5 --min 2 --max 4

# Times as times and allocation counts as counts: up is worse in both (the
# slowest run is █); --ops draws operations per second, so the fastest run
# is █, and --raw undoes it.
printf 'bench,metric,unit,value,allocs\nb,mean,ns,100,10\nb,mean,ns,200,20\nb,mean,ns,400,40\n' >"$tmp/t.csv"
run_ 0 sparkline --text "$tmp/t.csv"
printf '▁▃█\n' >"$tmp/want"
compare_ "$tmp/want" "$tmp/out"
run_ 0 sparkline --text --ops --raw "$tmp/t.csv"
compare_ "$tmp/want" "$tmp/out"
run_ 0 sparkline --text --field allocs "$tmp/t.csv"
compare_ "$tmp/want" "$tmp/out"
run_ 0 sparkline --text --ops "$tmp/t.csv"
printf '█▃▁\n' >"$tmp/want"
compare_ "$tmp/want" "$tmp/out"
# --min and --max are in the unit drawn: nanoseconds by default.
run_ 0 sparkline --text --min 0 --max 400 "$tmp/t.csv"
printf '▂▄█\n' >"$tmp/want"
compare_ "$tmp/want" "$tmp/out"

# The real history, newest 50 points.
run_ 0 sparkline --text --bench builder_add_nodes/100000 "$data/rustychickpeas/github.csv"
printf '▄▄▄▄▆▇█▆▁▃▃▃▃▃▃▃▃▆\n' >"$tmp/want"
compare_ "$tmp/want" "$tmp/out"

exit $fail
