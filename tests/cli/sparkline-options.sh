#!/bin/sh
# sparkline's options: --help, --version, every option in the man page,
# selection by machine and metric, several files in order.
. "$abs_top_srcdir/tests/cli/setup.sh"
. "$abs_top_srcdir/tests/cli/charts-lib.sh"

run_ 0 sparkline --help
grep_ '^Usage: sparkline \[OPTION\]... \[FILE\]...$' "$tmp/out"
cp "$tmp/out" "$tmp/help"
# Every long option of --help is in the man page (roff escapes removed).
sed 's/\\//g' "$abs_top_srcdir/man/sparkline.1" >"$tmp/man"
for opt in $(grep -o -- '--[a-z][a-z-]*' "$tmp/help" | sort -u); do
    grep -q -e "$opt\([^a-z-]\|\$\)" "$tmp/man" || fail_ "$opt is not in man/sparkline.1"
done
run_ 0 sparkline -h
compare_ "$tmp/help" "$tmp/out"
run_ 0 sparkline --version
grep_ "^sparkline (benchtrack) $BENCHTRACK_VERSION\$" "$tmp/out"

# Two machines in two files: each one's series by --machine; the files
# are read in order.
run_ 1 sparkline -b snapshot_get_nodes_with_label/10000 "$data/rustychickpeas/local.csv" "$data/rustychickpeas/github.csv"
grep_ "has rows from machines 'local' and 'github'" "$tmp/err"
run_ 0 sparkline -b snapshot_get_nodes_with_label/10000 --machine local --text \
    "$data/rustychickpeas/github.csv" "$data/rustychickpeas/local.csv"
cp "$tmp/out" "$tmp/both"
run_ 0 sparkline -b snapshot_get_nodes_with_label/10000 --text "$data/rustychickpeas/local.csv"
compare_ "$tmp/out" "$tmp/both"
run_ 1 sparkline -b snapshot_get_nodes_with_label/10000 --machine nowhere "$data/rustychickpeas/local.csv"
grep_ "no rows for bench 'snapshot_get_nodes_with_label/10000' with metric 'mean' on machine 'nowhere'" "$tmp/err"
printf 'bench,metric,unit,value\nb,mean,ns,1\nb,mean,ns,2\n' >"$tmp/a.csv"
printf 'bench,metric,unit,value\nb,mean,ns,3\n' >"$tmp/b.csv"
run_ 0 sparkline --text --raw "$tmp/a.csv" "$tmp/b.csv"
printf '▁▄█\n' >"$tmp/want"
compare_ "$tmp/want" "$tmp/out"
run_ 0 sparkline --text --raw "$tmp/b.csv" "$tmp/a.csv"
printf '█▁▄\n' >"$tmp/want"
compare_ "$tmp/want" "$tmp/out"
# --metric, --max-points.
run_ 0 sparkline -b bfs/1000000 --metric median -n 3 "$data/rustychickpeas/github.csv"
cp "$tmp/out" "$tmp/m.svg"
svg_ok_ "$tmp/m.svg"
grep_ 'bfs/1000000: 3 points' "$tmp/m.svg"
grep_ 'of the median rows' "$tmp/m.svg"

exit $fail
