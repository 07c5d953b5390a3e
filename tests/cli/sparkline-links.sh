#!/bin/sh
# sparkline -d DIR writes only inside DIR: an entry that is a symbolic link is
# replaced by the new file, never followed (a link planted in the folder
# made a run overwrite a file outside it); an entry that is a directory,
# FIFO or other special file is refused and left as it was.
# tests/cli/badge-links.sh runs this for badge (PROG and SUFFIX).
. "$abs_top_srcdir/tests/cli/setup.sh"
prog=${PROG:-sparkline}
sfx=${SUFFIX-}

cat >"$tmp/h.csv" <<'CSV'
commit,bench,metric,unit,value,machine
aaaaaaaaaaaa,parse,mean,ns,100,ci
bbbbbbbbbbbb,parse,mean,ns,110,ci
aaaaaaaaaaaa,load,mean,ns,200,ci
CSV
mkdir "$tmp/img" "$tmp/elsewhere"
echo precious >"$tmp/elsewhere/victim.svg"
ln -s ../elsewhere/victim.svg "$tmp/img/parse_time$sfx.svg"
# A dangling link must not create its target either.
ln -s ../elsewhere/created.svg "$tmp/img/load_time$sfx.svg"

run_ 0 "$prog" -d "$tmp/img" "$tmp/h.csv"
echo precious >"$tmp/want"
compare_ "$tmp/want" "$tmp/elsewhere/victim.svg"
[ -e "$tmp/elsewhere/created.svg" ] && fail_ "a dangling link's target was created"
[ "$(ls -A "$tmp/elsewhere")" = victim.svg ] || fail_ "files written outside the folder"
for name in parse load; do
    f="$tmp/img/${name}_time$sfx.svg"
    [ -L "$f" ] && fail_ "$name: the link is still there"
    [ -f "$f" ] && grep -q '<svg' "$f" || fail_ "$name: no new file in place of the link"
done
(cd "$tmp/img" && ls -A) >"$tmp/listing"
printf '%s\n' "load_time$sfx.svg" "parse_time$sfx.svg" >"$tmp/want-listing"
compare_ "$tmp/want-listing" "$tmp/listing"

# A FIFO or a directory in the way: refused, the whole batch written or
# none of it, the entry left as it was.
rm "$tmp/img/load_time$sfx.svg"
mkfifo "$tmp/img/load_time$sfx.svg"
cp "$tmp/img/parse_time$sfx.svg" "$tmp/before.svg"
# A new point, so that a file written anyway would differ.
echo 'cccccccccccc,parse,mean,ns,150,ci' >>"$tmp/h.csv"
run_ 1 timeout 10 "$prog" -d "$tmp/img" "$tmp/h.csv"
grep_ "^$prog: $tmp/img/load_time$sfx.svg: is a FIFO, not a regular file" "$tmp/err"
[ -p "$tmp/img/load_time$sfx.svg" ] || fail_ "the FIFO was replaced"
compare_ "$tmp/before.svg" "$tmp/img/parse_time$sfx.svg"
rm "$tmp/img/load_time$sfx.svg"
mkdir "$tmp/img/load_time$sfx.svg"
run_ 1 "$prog" -d "$tmp/img" "$tmp/h.csv"
grep_ "load_time$sfx.svg: is a directory, not a regular file" "$tmp/err"
[ -d "$tmp/img/load_time$sfx.svg" ] || fail_ "the directory was replaced"
(cd "$tmp/img" && ls -A) >"$tmp/listing"
compare_ "$tmp/want-listing" "$tmp/listing"

exit $fail
