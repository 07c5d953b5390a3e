#!/bin/sh
# csv-merge -o: the output replaces FILE atomically, may name an input, and
# on any error FILE is left byte-identical with no temporary file behind.
. "$abs_top_srcdir/tests/cli/setup.sh"

h="$data/rustychickpeas"
mkdir "$tmp/results"
cp "$h/github.csv" "$tmp/results/github.csv"
chmod 640 "$tmp/results/github.csv"

# Append new rows to the history in place.
printf 'commit,bench,metric,value,machine\nfffffffffff0,new/bench,mean,5,github\n' >"$tmp/new.csv"
run_ 0 csv-merge -o "$tmp/results/github.csv" "$tmp/results/github.csv" "$tmp/new.csv"
[ -s "$tmp/out" ] && fail_ "-o also wrote to stdout"
tail -n 1 "$tmp/results/github.csv" >"$tmp/last"
printf 'fffffffffff0,,,new/bench,mean,,5,,,,,,,github\n' >"$tmp/expected"
compare_ "$tmp/expected" "$tmp/last"
[ "$(wc -l <"$tmp/results/github.csv")" -eq $(($(wc -l <"$h/github.csv") + 1)) ] ||
    fail_ "wrong number of rows after the append"
[ "$(stat -c %a "$tmp/results/github.csv")" = 640 ] || fail_ "permissions not kept"
[ "$(ls -A "$tmp/results" | wc -l)" -eq 1 ] || fail_ "temporary file left behind"

# Again: idempotent.
cp "$tmp/results/github.csv" "$tmp/before.csv"
run_ 0 csv-merge -o "$tmp/results/github.csv" "$tmp/results/github.csv" "$tmp/new.csv"
compare_ "$tmp/before.csv" "$tmp/results/github.csv"

# Every kind of bad input leaves the target untouched.
printf 'commit,bench\n"open\n' >"$tmp/bad1.csv"
printf 'commit,bench\na,b,c\n' >"$tmp/bad2.csv"
printf 'commit,commit\na,b\n' >"$tmp/bad3.csv"
: >"$tmp/bad4.csv"
printf 'commit,bench\na\000,b\n' >"$tmp/bad5.csv"
for bad in bad1 bad2 bad3 bad4 bad5 missing; do
    run_ 1 csv-merge -o "$tmp/results/github.csv" "$tmp/results/github.csv" "$tmp/$bad.csv"
    compare_ "$tmp/before.csv" "$tmp/results/github.csv"
    [ "$(ls -A "$tmp/results" | wc -l)" -eq 1 ] || fail_ "$bad: temporary file left behind"
    [ -s "$tmp/out" ] && fail_ "$bad: output on stdout"
done
# A missing key column too.
run_ 1 csv-merge --key commit,nope -o "$tmp/results/github.csv" "$tmp/results/github.csv"
compare_ "$tmp/before.csv" "$tmp/results/github.csv"

# The same command starts a history that does not exist yet...
run_ 0 csv-merge -o "$tmp/results/new.csv" "$tmp/results/new.csv" "$tmp/new.csv"
run_ 0 csv-merge "$tmp/new.csv"
compare_ "$tmp/out" "$tmp/results/new.csv"
# ...but only the -o target may be missing.
run_ 1 csv-merge -o "$tmp/results/new2.csv" "$tmp/results/other.csv" "$tmp/new.csv"
grep_ "other.csv: No such file or directory" "$tmp/err"
[ -e "$tmp/results/new2.csv" ] && fail_ "output written although an input is missing"
rm -f "$tmp/results/new.csv"

# A new file is created, in an existing directory only.
run_ 0 csv-merge -o "$tmp/results/local.csv" "$h/local.csv"
[ -f "$tmp/results/local.csv" ] || fail_ "-o did not create a new file"
run_ 1 csv-merge -o "$tmp/no/such/dir.csv" "$h/local.csv"
grep_ 'cannot create a temporary file' "$tmp/err"

exit $fail
