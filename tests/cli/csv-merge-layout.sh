#!/bin/sh
# csv-merge: columns are matched by name; the output header is the seed
# columns in order, then the others in first-seen order; the older 13-column
# layout is upgraded; bytes pass through unchanged.
. "$abs_top_srcdir/tests/cli/setup.sh"

# The real history comes out as it went in, but with "\n" line ends.
run_ 0 csv-merge "$data/rustychickpeas/github.csv"
tr -d '\r' <"$data/rustychickpeas/github.csv" >"$tmp/github-lf.csv"
compare_ "$tmp/github-lf.csv" "$tmp/out"

# The 13-column layout (no version) is written back with 14 columns.
run_ 0 csv-merge "$data/csv-merge/old-layout.csv"
compare_ "$data/csv-merge/old-layout.expected" "$tmp/out"

# Columns in another order, and unknown ones, are matched by name; unknown
# columns follow the seed columns in first-seen order.
printf 'peak_bytes,value,bench,metric\n4096,12.5,a/1,mean\n' >"$tmp/a.csv"
printf 'bench,alloc_bytes,metric,peak_bytes\nb/2,100,mean,8\n' >"$tmp/b.csv"
cat >"$tmp/expected" <<'CSV'
commit,version,date,bench,metric,unit,value,ci_low,ci_high,allocs,allocs_ci_low,allocs_ci_high,rustc,machine,peak_bytes,alloc_bytes
,,,a/1,mean,,12.5,,,,,,,,4096,
,,,b/2,mean,,,,,,,,,,8,100
CSV
run_ 0 csv-merge "$tmp/a.csv" "$tmp/b.csv"
compare_ "$tmp/expected" "$tmp/out"

# Quoted fields, a BOM, CRLF, UTF-8 and odd bytes survive; quoting on output
# only where needed.
printf '\357\273\277bench,metric,value\r\n"a,b ""q"" <&>",mean,1\r\n"line\nbreak",mean,2\r\ncaf\303\251 \342\226\201,mean,3\r\n' >"$tmp/odd.csv"
cat >"$tmp/expected" <<'CSV'
commit,version,date,bench,metric,unit,value,ci_low,ci_high,allocs,allocs_ci_low,allocs_ci_high,rustc,machine
,,,"a,b ""q"" <&>",mean,,1,,,,,,,
,,,"line
break",mean,,2,,,,,,,
CSV
printf ',,,caf\303\251 \342\226\201,mean,,3,,,,,,,\n' >>"$tmp/expected"
run_ 0 csv-merge "$tmp/odd.csv"
compare_ "$tmp/expected" "$tmp/out"

# Standard input: no operand, or "-".
run_ 0 sh -c 'csv-merge <"$1"' sh "$data/csv-merge/old-layout.csv"
compare_ "$data/csv-merge/old-layout.expected" "$tmp/out"
run_ 0 sh -c 'csv-merge - <"$1"' sh "$data/csv-merge/old-layout.csv"
compare_ "$data/csv-merge/old-layout.expected" "$tmp/out"

# Pipes and FIFOs are read once and copied, so both passes see their rows.
printf 'bench,metric\n' >"$tmp/empty-rows.csv"
run_ 0 sh -c 'cat "$1" | csv-merge "$2" /dev/stdin' sh "$data/csv-merge/old-layout.csv" "$tmp/empty-rows.csv"
compare_ "$data/csv-merge/old-layout.expected" "$tmp/out"
mkfifo "$tmp/fifo"
cat "$data/csv-merge/old-layout.csv" >"$tmp/fifo" &
run_ 0 timeout 20 csv-merge "$tmp/fifo"
wait
compare_ "$data/csv-merge/old-layout.expected" "$tmp/out"

# A row of one quoted empty field is a row; a blank line is not.
printf 'bench\n""\n\nx\n' >"$tmp/one-col.csv"
run_ 0 csv-merge --key '' "$tmp/one-col.csv"
[ "$(wc -l <"$tmp/out")" -eq 3 ] || fail_ 'a row holding only "" was dropped'

# A header-only file is fine and adds nothing.
printf 'bench,metric\n' >"$tmp/empty-rows.csv"
run_ 0 csv-merge "$data/csv-merge/old-layout.csv" "$tmp/empty-rows.csv"
compare_ "$data/csv-merge/old-layout.expected" "$tmp/out"

exit $fail
