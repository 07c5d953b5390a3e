#!/bin/sh
# A csv-merge -o killed by SIGKILL cannot remove its temporary file
# (.NAME.tmpXXXXXX, as big as the history): the next run into the same
# file removes it.  It is recognised by its name, six letters or digits
# after ".NAME.tmp", and by being a regular file; it is removed under the
# writers' lock, so it cannot belong to a live writer.  Nothing else is
# touched.
. "$abs_top_srcdir/tests/cli/setup.sh"

mkdir "$tmp/r"
printf 'commit,bench,metric,value\naaaaaaaaaaaa,b,mean,1\n' >"$tmp/r/h.csv"
printf 'commit,bench,metric,value\nbbbbbbbbbbbb,b,mean,2\n' >"$tmp/new.csv"

# A writer holding its temporary file (it waits on a FIFO), killed.
mkfifo "$tmp/fifo"
csv-merge -o "$tmp/r/h.csv" "$tmp/r/h.csv" "$tmp/fifo" 2>/dev/null &
pid=$!
n=0
while [ $n -lt 500 ] && ! ls -A "$tmp/r" | grep -q '^\.h\.csv\.tmp'; do
    sleep 0.01
    n=$((n + 1))
done
kill -KILL $pid
wait $pid 2>/dev/null || true
killed=$(ls -A "$tmp/r" | grep '^\.h\.csv\.tmp' || true)
[ -n "$killed" ] || fail_ "the killed writer left no temporary file to clean"

# Planted ones: a full-size copy named as ours is stale; the others are not
# ours (another name, the wrong length or letters, not a regular file).
cp "$tmp/r/h.csv" "$tmp/r/.h.csv.tmpAb3dE9"
for keep in .h.csv.tmpAb3dE .h.csv.tmpAb3dE90 .h.csv.tmpAb-dE9 .g.csv.tmpAb3dE9 \
    h.csv.tmpAb3dE9 .h.csv.lockAb3dE9; do
    echo keep >"$tmp/r/$keep"
done
mkdir "$tmp/r/.h.csv.tmpDir123"
ln -s h.csv "$tmp/r/.h.csv.tmpLnk123"

run_ 0 csv-merge -o "$tmp/r/h.csv" "$tmp/r/h.csv" "$tmp/new.csv"
grep_ '^aaaaaaaaaaaa,' "$tmp/r/h.csv"
grep_ '^bbbbbbbbbbbb,' "$tmp/r/h.csv"
(cd "$tmp/r" && ls -A | LC_ALL=C sort) >"$tmp/listing"
LC_ALL=C sort >"$tmp/want" <<'LIST'
.g.csv.tmpAb3dE9
.h.csv.lockAb3dE9
.h.csv.tmpAb-dE9
.h.csv.tmpAb3dE
.h.csv.tmpAb3dE90
.h.csv.tmpDir123
.h.csv.tmpLnk123
h.csv
h.csv.tmpAb3dE9
LIST
compare_ "$tmp/want" "$tmp/listing"

# The same through a symbolic link: the stale files are beside the target.
ln -s r/h.csv "$tmp/link.csv"
cp "$tmp/r/h.csv" "$tmp/r/.h.csv.tmpZZZZZZ"
run_ 0 csv-merge -o "$tmp/link.csv" "$tmp/link.csv" "$tmp/new.csv"
[ -e "$tmp/r/.h.csv.tmpZZZZZZ" ] && fail_ "stale file beside a link's target kept"

exit $fail
