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

# Another spelling of the same missing path starts a history too.
(cd "$tmp/results" && csv-merge -o ./spelled.csv spelled.csv ../new.csv) >"$tmp/out" 2>"$tmp/err" ||
    fail_ "./spelled.csv and spelled.csv are the same file"
[ -s "$tmp/results/spelled.csv" ] || fail_ "./spelled.csv not written"
rm -f "$tmp/results/spelled.csv"

# Through a symbolic link, the file it names is replaced and the link stays.
mkdir "$tmp/real"
cp "$data/csv-merge/old-layout.expected" "$tmp/real/h.csv"
ln -s ../real/h.csv "$tmp/results/link.csv"
run_ 0 csv-merge -o "$tmp/results/link.csv" "$tmp/results/link.csv" "$tmp/new.csv"
[ -L "$tmp/results/link.csv" ] || fail_ "-o replaced the symbolic link"
grep_ '^fffffffffff0,' "$tmp/real/h.csv"
[ "$(ls -A "$tmp/real" | wc -l)" -eq 1 ] || fail_ "temporary file left beside the link's target"
# A dangling link: the file it names is created.
ln -s ../real/fresh.csv "$tmp/results/dangling.csv"
run_ 0 csv-merge -o "$tmp/results/dangling.csv" "$tmp/results/dangling.csv" "$tmp/new.csv"
[ -L "$tmp/results/dangling.csv" ] && [ -s "$tmp/real/fresh.csv" ] ||
    fail_ "-o through a dangling link did not create its target"
rm -f "$tmp/results/link.csv" "$tmp/results/dangling.csv"

# "-o -" is standard output.
run_ 0 csv-merge -o - "$tmp/new.csv"
grep_ '^fffffffffff0,' "$tmp/out"
[ -e ./- ] && fail_ "-o - wrote a file named -"

# Killed while writing: the temporary file goes too, and the lock file.
# A big input keeps csv-merge busy long enough to be stopped while it
# holds both.  The signal handler is what this checks.
awk 'BEGIN { print "bench,metric,value"; for (i = 0; i < 300000; i++) print "b" i ",mean," i }' >"$tmp/big.csv"
csv-merge -o "$tmp/results/killed.csv" "$tmp/big.csv" "$tmp/big.csv" &
pid=$!
i=0
while [ "$i" -lt 200 ] && ! ls -A "$tmp/results" | grep -q '^\.killed'; do
    sleep 0.01
    i=$((i + 1))
done
kill -TERM "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
ls -A "$tmp/results" | grep -q '^\.killed' && fail_ "temporary file left after SIGTERM"

# A new file is created, in an existing directory only.
run_ 0 csv-merge -o "$tmp/results/local.csv" "$h/local.csv"
[ -f "$tmp/results/local.csv" ] || fail_ "-o did not create a new file"
run_ 1 csv-merge -o "$tmp/no/such/dir.csv" "$h/local.csv"
grep_ 'cannot create a temporary file' "$tmp/err"

exit $fail
