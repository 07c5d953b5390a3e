#!/bin/sh
# Two csv-merge -o runs into one history at once: writers take turns on
# the lock file beside the history, so every run's rows are kept (without
# it each read the old history and the last rename lost the other's row).
# A writer waiting for the lock leaves the holder's temporary file alone.
. "$abs_top_srcdir/tests/cli/setup.sh"

# A history long enough that reading it takes a while, so the two runs
# overlap.
awk 'BEGIN { print "commit,bench,metric,value"
             for (i = 0; i < 20000; i++) printf "%012d,b%d,mean,%d\n", 0, i, i + 1 }' >"$tmp/h.csv"
rounds=20
i=1
while [ $i -le $rounds ]; do
    printf 'commit,bench,metric,value\n%012d,a,mean,1\n' $i >"$tmp/a.csv"
    printf 'commit,bench,metric,value\n%012d,b,mean,2\n' $i >"$tmp/b.csv"
    timeout 60 csv-merge -o "$tmp/h.csv" "$tmp/h.csv" "$tmp/a.csv" 2>"$tmp/err-a" &
    pa=$!
    timeout 60 csv-merge -o "$tmp/h.csv" "$tmp/h.csv" "$tmp/b.csv" 2>"$tmp/err-b" &
    pb=$!
    wait $pa || fail_ "round $i: first merge failed: $(cat "$tmp/err-a")"
    wait $pb || fail_ "round $i: second merge failed: $(cat "$tmp/err-b")"
    i=$((i + 1))
done
for bench in a b; do
    n=$(grep -c ",$bench,mean," "$tmp/h.csv" || true)
    [ "$n" -eq $rounds ] || fail_ "$n rows of bench $bench kept, $rounds merged"
done
[ "$(wc -l <"$tmp/h.csv")" -eq $((20001 + 2 * rounds)) ] || fail_ "rows lost"
[ "$(ls -A "$tmp" | grep -c '^\.h\.csv')" -eq 0 ] || fail_ "temporary or lock file left behind"

# One writer holds the lock while it waits for its input (a FIFO nothing
# writes to yet); a second waits for it, and does not take the first's
# temporary file for one left by a killed writer.
mkfifo "$tmp/fifo"
timeout 60 csv-merge -o "$tmp/h.csv" "$tmp/h.csv" "$tmp/fifo" 2>"$tmp/err-a" &
pa=$!
n=0
while [ $n -lt 500 ] && ! ls -A "$tmp" | grep -q '^\.h\.csv\.tmp'; do
    sleep 0.01
    n=$((n + 1))
done
held=$(ls -A "$tmp" | grep '^\.h\.csv\.tmp' || true)
[ -n "$held" ] || fail_ "no temporary file while the first writer waits"
printf 'commit,bench,metric,value\n%012d,late,mean,3\n' 99 >"$tmp/late.csv"
timeout 60 csv-merge -o "$tmp/h.csv" "$tmp/h.csv" "$tmp/late.csv" 2>"$tmp/err-b" &
pb=$!
sleep 1
[ -n "$held" ] && [ ! -e "$tmp/$held" ] && fail_ "the waiting writer removed the holder's temporary file"
grep -q ',late,' "$tmp/h.csv" && fail_ "the second writer did not wait for the lock"
printf 'commit,bench,metric,value\n%012d,fifo,mean,4\n' 98 >"$tmp/fifo"
wait $pa || fail_ "the FIFO merge failed: $(cat "$tmp/err-a")"
wait $pb || fail_ "the waiting merge failed: $(cat "$tmp/err-b")"
grep_ ',fifo,mean,,4,' "$tmp/h.csv"
grep_ ',late,mean,,3,' "$tmp/h.csv"
[ "$(ls -A "$tmp" | grep -c '^\.h\.csv')" -eq 0 ] || fail_ "temporary or lock file left behind"

exit $fail
