#!/bin/sh
# csv-merge --join: the allocation rows of a bench fill each of its time
# rows; a lookup row that matches nothing is reported and left out; --set
# stamps empty fields.
. "$abs_top_srcdir/tests/cli/setup.sh"

seed=commit,version,date,bench,metric,unit,value,ci_low,ci_high,allocs,allocs_ci_low,allocs_ci_high,rustc,machine
cat >"$tmp/times.csv" <<'CSV'
bench,metric,unit,value,ci_low,ci_high
parse/small,mean,ns,120.5,119,122
parse/small,median,ns,118,117,119
"odd, name",mean,ns,7,6,8
render,mean,ns,99,98,100
CSV
cat >"$tmp/allocs.csv" <<'CSV'
bench,allocs,alloc_bytes,peak_bytes,peak_blocks,end_bytes,end_blocks
parse/small,42,4096,1024,3,0,0
"odd, name",1,16,16,1,16,1
orphan,5,50,50,5,0,0
CSV
cat >"$tmp/expected" <<CSV
$seed,alloc_bytes,peak_bytes,peak_blocks,end_bytes,end_blocks
abc123def456,,2026-01-01T00:00:00Z,parse/small,mean,ns,120.5,119,122,42,,,rustc 1.95.0,ci,4096,1024,3,0,0
abc123def456,,2026-01-01T00:00:00Z,parse/small,median,ns,118,117,119,42,,,rustc 1.95.0,ci,4096,1024,3,0,0
abc123def456,,2026-01-01T00:00:00Z,"odd, name",mean,ns,7,6,8,1,,,rustc 1.95.0,ci,16,16,1,16,1
abc123def456,,2026-01-01T00:00:00Z,render,mean,ns,99,98,100,,,,rustc 1.95.0,ci,,,,,
CSV
run_ 0 csv-merge --join bench --set commit=abc123def456 --set date=2026-01-01T00:00:00Z \
    --set 'rustc=rustc 1.95.0' --set machine=ci "$tmp/times.csv" "$tmp/allocs.csv"
compare_ "$tmp/expected" "$tmp/out"
grep_ "^csv-merge: $tmp/allocs.csv:4: no row of $tmp/times.csv has this row's bench; row left out\$" "$tmp/err"
[ "$(wc -l <"$tmp/err")" -eq 1 ] || fail_ "more than the one orphan reported"

# The lookup table may come from standard input.
run_ 0 sh -c 'csv-merge -j bench -s commit=abc123def456 -s date=2026-01-01T00:00:00Z -s "rustc=rustc 1.95.0" -s machine=ci "$1" - <"$2"' \
    sh "$tmp/times.csv" "$tmp/allocs.csv"
compare_ "$tmp/expected" "$tmp/out"

# --set fills only empty fields, and may add a column.
printf 'bench,metric,machine\na,mean,\nb,mean,laptop\n' >"$tmp/m.csv"
run_ 0 csv-merge --key '' --set machine=ci --set runner=x86 "$tmp/m.csv"
cat >"$tmp/expected" <<CSV
$seed,runner
,,,a,mean,,,,,,,,,ci,x86
,,,b,mean,,,,,,,,,laptop,x86
CSV
compare_ "$tmp/expected" "$tmp/out"

# A join column missing from an input is an error naming the file.
printf 'name,allocs\nx,1\n' >"$tmp/nobench.csv"
run_ 1 csv-merge --join bench "$tmp/times.csv" "$tmp/nobench.csv"
grep_ "^csv-merge: $tmp/nobench.csv:1: join column 'bench' missing" "$tmp/err"
[ -s "$tmp/out" ] && fail_ "output written for a bad join"

# --join needs two inputs; --set needs COL=VALUE.
run_ 2 csv-merge --join bench "$tmp/times.csv"
grep_ "Try 'csv-merge --help'" "$tmp/err"
run_ 2 csv-merge --set machine "$tmp/times.csv"
run_ 2 csv-merge --set =x "$tmp/times.csv"

exit $fail
