#!/bin/sh
# csv-merge -o replaces only a regular file: a directory, FIFO, socket or
# device, named directly or through a symbolic link, is refused with exit
# 1 and left as it was (renaming over /dev/null would destroy it).  A link
# to a regular file is followed: its target is replaced, the link stays.
. "$abs_top_srcdir/tests/cli/setup.sh"

printf 'commit,bench,metric,value\naaaaaaaaaaaa,b,mean,5\n' >"$tmp/new.csv"
mkdir "$tmp/dest"
mkfifo "$tmp/dest/fifo"
ln -s fifo "$tmp/dest/to-fifo"
mkdir "$tmp/dest/dir"
ln -s dir "$tmp/dest/to-dir"

# Nothing in the folder but what the test made: no temporary, no lock file.
listing() {
    (cd "$tmp/dest" && ls -A) >"$tmp/listing"
    printf 'dir\nfifo\nto-dir\nto-fifo\n' >"$tmp/want-listing"
    compare_ "$tmp/want-listing" "$tmp/listing"
}

fifo_ok=true
for target in fifo to-fifo; do
    # Should csv-merge open the FIFO to write, this timeout ends the wait.
    run_ 1 timeout 10 csv-merge -o "$tmp/dest/$target" "$tmp/new.csv"
    grep_ "^csv-merge: $tmp/dest/$target: .*FIFO, not a regular file" "$tmp/err"
    [ -p "$tmp/dest/fifo" ] || { fail_ "-o $target replaced the FIFO"; fifo_ok=false; }
    [ -L "$tmp/dest/to-fifo" ] || fail_ "-o $target replaced the link"
    listing
done
grep_ 'links to .*/fifo, a FIFO' "$tmp/err"

# The FIFO as both input and output: refused before anything is read from
# it (nothing writes to it, so a read would wait for ever).
run_ 1 timeout 10 csv-merge -o "$tmp/dest/fifo" "$tmp/dest/fifo" "$tmp/new.csv"
grep_ 'FIFO, not a regular file' "$tmp/err"
[ -p "$tmp/dest/fifo" ] || fail_ "-o fifo fifo replaced the FIFO"

for target in dir to-dir; do
    run_ 1 csv-merge -o "$tmp/dest/$target" "$tmp/new.csv"
    grep_ "^csv-merge: $tmp/dest/$target: .*directory, not a regular file" "$tmp/err"
    [ -d "$tmp/dest/dir" ] && [ -z "$(ls -A "$tmp/dest/dir")" ] || fail_ "-o $target wrote in dir"
    listing
done

# A socket, where python3 can make one.
if command -v python3 >/dev/null 2>&1 &&
    python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' \
        "$tmp/sock" 2>/dev/null; then
    run_ 1 csv-merge -o "$tmp/sock" "$tmp/new.csv"
    grep_ 'socket, not a regular file' "$tmp/err"
    [ -S "$tmp/sock" ] || fail_ "-o replaced the socket"
fi

# /dev/null, directly and through a link, only once the FIFOs showed that
# a special file is refused: a build that renamed over them would destroy
# the machine's /dev/null when run as root.
if $fifo_ok && [ -c /dev/null ]; then
    ln -s /dev/null "$tmp/to-null"
    for target in /dev/null "$tmp/to-null"; do
        run_ 1 csv-merge -o "$target" "$tmp/new.csv"
        grep_ 'character device, not a regular file' "$tmp/err"
        [ -c /dev/null ] || fail_ "-o $target replaced /dev/null"
    done
    [ -L "$tmp/to-null" ] || fail_ "-o replaced the link to /dev/null"
    ls -A /dev | grep -q '^\.null\.' && fail_ "a temporary file left in /dev"
fi

# A link to a regular file: the file is replaced in place, the link kept,
# the temporary and lock files made beside the file, not the link.
mkdir "$tmp/real" "$tmp/links"
printf 'commit,bench,metric,value\nbbbbbbbbbbbb,b,mean,6\n' >"$tmp/real/h.csv"
ln -s ../real/h.csv "$tmp/links/h.csv"
run_ 0 csv-merge -o "$tmp/links/h.csv" "$tmp/links/h.csv" "$tmp/new.csv"
[ -L "$tmp/links/h.csv" ] || fail_ "the link to a regular file was replaced"
grep_ '^bbbbbbbbbbbb,' "$tmp/real/h.csv"
grep_ '^aaaaaaaaaaaa,' "$tmp/real/h.csv"
[ "$(ls -A "$tmp/real")" = h.csv ] || fail_ "files left beside the link's target"
[ "$(ls -A "$tmp/links")" = h.csv ] || fail_ "files left beside the link"

exit $fail
