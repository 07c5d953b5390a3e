#!/bin/sh
# Every program started with descriptor 0, 1 or 2 closed ("prog >&-"):
# its files never take their place.  A program whose results go to a
# closed stdout fails with a write error (csv-merge used to read its input
# as descriptor 1 and call it its own output); a run that writes files
# (-o, -d) and nothing to stdout succeeds (it used to write them and then
# fail); reading a closed stdin is a read error, not a read of some other
# file opened as descriptor 0.
. "$abs_top_srcdir/tests/cli/setup.sh"

# closed_ FD STATUS CMD...: run_ with descriptor FD closed.
closed_() {
    fd=$1
    want=$2
    shift 2
    run_ "$want" sh -c '
        fd=$1
        shift
        case $fd in
        0) exec "$@" <&- ;;
        1) exec "$@" >&- ;;
        2) exec "$@" 2>&- ;;
        esac' sh "$fd" "$@"
}

cat >"$tmp/h.csv" <<'CSV'
commit,bench,metric,unit,value,machine
aaaaaaaaaaaa,parse,mean,ns,100,ci
bbbbbbbbbbbb,parse,mean,ns,110,ci
CSV
printf 'commit,bench,metric,value\n"open\n' >"$tmp/bad.csv"

# csv-merge
closed_ 1 1 csv-merge "$tmp/h.csv"
grep_ '^csv-merge: write error' "$tmp/err"
nogrep_ 'input file is output file' "$tmp/err"
for fd in 0 1 2; do
    rm -f "$tmp/merged.csv"
    closed_ $fd 0 csv-merge -o "$tmp/merged.csv" "$tmp/h.csv"
    [ -s "$tmp/merged.csv" ] && grep -q '^bbbbbbbbbbbb,' "$tmp/merged.csv" ||
        fail_ "csv-merge -o with $fd closed: no output file"
    closed_ $fd 1 csv-merge -o "$tmp/merged.csv" "$tmp/merged.csv" "$tmp/bad.csv"
done
# Standard input named and closed: an error, not a second read of h.csv.
closed_ 0 1 csv-merge --key= -o "$tmp/twice.csv" "$tmp/h.csv" -
grep_ '^csv-merge: -: read error' "$tmp/err"
[ -e "$tmp/twice.csv" ] && fail_ "csv-merge read a closed stdin"

# sparkline and badge: to stdout, and -d
for prog in sparkline badge; do
    closed_ 1 1 $prog "$tmp/h.csv"
    grep_ "^$prog: write error" "$tmp/err"
    closed_ 0 1 $prog -
    for fd in 0 1 2; do
        rm -rf "$tmp/img"
        closed_ $fd 0 $prog -d "$tmp/img" "$tmp/h.csv"
        [ "$(ls -A "$tmp/img" 2>/dev/null)" != "" ] || fail_ "$prog -d with $fd closed: no files"
        [ $fd = 2 ] || [ ! -s "$tmp/err" ] || fail_ "$prog -d with $fd closed: messages"
    done
    closed_ 2 1 $prog "$tmp/bad.csv"
    [ -s "$tmp/out" ] && fail_ "$prog: output from bad input"
done

# criterion-scan and dhat-scan write to stdout only.
for cmd in "criterion-scan $data/criterion/misc/bencher.txt" \
    "dhat-scan $data/dhat/dhat-rs/dhat-heap.json"; do
    prog=${cmd%% *}
    # shellcheck disable=SC2086 # the command is split on purpose
    run_ 0 $cmd
    cp "$tmp/out" "$tmp/want"
    # shellcheck disable=SC2086
    closed_ 1 1 $cmd
    grep_ "^$prog: write error" "$tmp/err"
    # shellcheck disable=SC2086
    closed_ 0 0 $cmd
    compare_ "$tmp/want" "$tmp/out"
    # shellcheck disable=SC2086
    closed_ 2 0 $cmd
    compare_ "$tmp/want" "$tmp/out"
    closed_ 0 1 $prog -
    closed_ 2 1 $prog "$tmp/bad.csv"
done

exit $fail
