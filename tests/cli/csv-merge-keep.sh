#!/bin/sh
# csv-merge --keep N: only the newest N points of each series (machine,
# bench, metric) are kept, in file order.
. "$abs_top_srcdir/tests/cli/setup.sh"

h="$data/rustychickpeas/github.csv"
for n in 1 3 10 1000; do
    run_ 0 csv-merge --keep "$n" "$h"
    # Independently: awk keeps the last N rows of each series.
    awk -F, -v n="$n" '
        NR == 1 { print; next }
        { key = $14 SUBSEP $4 SUBSEP $5; total[key]++; row[NR] = $0; k[NR] = key; last = NR }
        END { for (i = 2; i <= last; i++) if (++seen[k[i]] > total[k[i]] - n) print row[i] }
    ' "$h" | tr -d '\r' >"$tmp/expected"
    compare_ "$tmp/expected" "$tmp/out"
done

# Repeated keys count once.
printf 'commit,bench,metric,value\nc1,a,mean,1\nc2,a,mean,2\nc2,a,mean,3\nc3,a,mean,4\n' >"$tmp/r.csv"
run_ 0 csv-merge --keep 2 "$tmp/r.csv"
cut -d, -f1,4,7 "$tmp/out" >"$tmp/got"
printf 'commit,bench,value\nc2,a,3\nc3,a,4\n' >"$tmp/expected"
compare_ "$tmp/expected" "$tmp/got"

run_ 2 csv-merge --keep 0 "$h"
run_ 2 csv-merge --keep -3 "$h"
run_ 2 csv-merge --keep many "$h"

exit $fail
