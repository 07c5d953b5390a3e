#!/bin/sh
# csv-merge --key: rows with equal keys are one row, at the position of the
# first, with later non-empty fields winning; re-merging is idempotent.
. "$abs_top_srcdir/tests/cli/setup.sh"

seed=commit,version,date,bench,metric,unit,value,ci_low,ci_high,allocs,allocs_ci_low,allocs_ci_high,rustc,machine
cat >"$tmp/history.csv" <<CSV
$seed
c1,,d1,a,mean,ns,10,9,11,,,,r,m
c1,,d1,b,mean,ns,20,19,21,,,,r,m
c2,,d2,a,mean,ns,12,11,13,,,,r,m
CSV
# A re-collection of c2 (new time and allocations) and a new bench.  (A new
# value with an empty interval would keep the old interval, and is refused
# where the two disagree: csv-merge-time-rows.sh.)
cat >"$tmp/new.csv" <<CSV
$seed
c2,,d2,a,mean,ns,14,13,15,500,,,r,m
c2,,d2,b,mean,ns,22,21,23,,,,r,m
CSV
cat >"$tmp/expected" <<CSV
$seed
c1,,d1,a,mean,ns,10,9,11,,,,r,m
c1,,d1,b,mean,ns,20,19,21,,,,r,m
c2,,d2,a,mean,ns,14,13,15,500,,,r,m
c2,,d2,b,mean,ns,22,21,23,,,,r,m
CSV
run_ 0 csv-merge "$tmp/history.csv" "$tmp/new.csv"
compare_ "$tmp/expected" "$tmp/out"

# Idempotent: merging the same new rows again changes nothing.
cp "$tmp/out" "$tmp/merged.csv"
run_ 0 csv-merge "$tmp/merged.csv" "$tmp/new.csv"
compare_ "$tmp/expected" "$tmp/out"

# Repeats inside one file are merged too; the order is that of first
# appearance.
cat >"$tmp/repeats.csv" <<CSV
bench,metric,value,extra
x,mean,1,
y,mean,2,
x,mean,,e1
x,mean,3,
CSV
cat >"$tmp/expected" <<CSV
$seed,extra
,,,x,mean,,3,,,,,,,,e1
,,,y,mean,,2,,,,,,,,
CSV
run_ 0 csv-merge "$tmp/repeats.csv"
compare_ "$tmp/expected" "$tmp/out"

# An empty key list keeps every row.
run_ 0 csv-merge --key '' "$tmp/repeats.csv"
[ "$(wc -l <"$tmp/out")" -eq 5 ] || fail_ "--key '' dropped rows"

# An explicit key: rows equal on bench alone.
run_ 0 csv-merge --key bench "$tmp/history.csv"
cat >"$tmp/expected" <<CSV
$seed
c2,,d2,a,mean,ns,12,11,13,,,,r,m
c1,,d1,b,mean,ns,20,19,21,,,,r,m
CSV
compare_ "$tmp/expected" "$tmp/out"

# Key fields that differ only in quoting are equal; fields that differ in
# bytes are not.
printf 'bench,metric,value\n"a,b",mean,1\n"a,b",mean,2\n"a,b ",mean,3\n' >"$tmp/q.csv"
run_ 0 csv-merge "$tmp/q.csv"
[ "$(wc -l <"$tmp/out")" -eq 3 ] || fail_ "quoted keys not compared by value"

# The real histories: a history merged with itself is unchanged; local.csv
# holds re-runs of the same commits, which merge into one row each.
h="$data/rustychickpeas"
run_ 0 csv-merge "$h/github.csv" "$h/local.csv"
rows=$(($(wc -l <"$tmp/out") - 1))
run_ 0 csv-merge "$h/github.csv" "$h/github.csv" "$h/github.csv"
tr -d '\r' <"$h/github.csv" >"$tmp/github-lf.csv"
compare_ "$tmp/github-lf.csv" "$tmp/out"

# The expected number of distinct keys, counted independently with awk (the
# real files have no quoted fields).
distinct=$(awk -F, 'FNR > 1 { seen[$1 SUBSEP $14 SUBSEP $4 SUBSEP $5] = 1 } END { n = 0; for (k in seen) n++; print n }' "$h/github.csv" "$h/local.csv")
[ "$rows" -eq "$distinct" ] || fail_ "github+local: $rows rows, awk counts $distinct keys"
[ "$rows" -lt $(($(wc -l <"$h/github.csv") + $(wc -l <"$h/local.csv") - 2)) ] ||
    fail_ "the re-runs in local.csv were not merged"

# Each merged row carries the values of the last re-run of its key.
awk -F, 'FNR > 1 { k = $1 SUBSEP $14 SUBSEP $4 SUBSEP $5; v[k] = $7 }
         END { for (k in v) { split(k, p, SUBSEP); print p[1] "," p[3] "," p[4] "," p[2] "," v[k] } }' \
    "$h/local.csv" | tr -d '\r' | sort >"$tmp/expected"
run_ 0 csv-merge "$h/local.csv"
awk -F, 'NR > 1 { print $1 "," $4 "," $5 "," $14 "," $7 }' "$tmp/out" | sort >"$tmp/got"
compare_ "$tmp/expected" "$tmp/got"

exit $fail
