#!/bin/sh
# Streaming: a 24 MB profile (100,000 program points, 50,000 frames) is
# summed exactly, in either order of pps and ftbl, from a file or a pipe,
# with memory that does not grow with the file (well under 64 MB), and
# --top keeps the right program points.
# SPDX-License-Identifier: MIT
. "$abs_top_srcdir/tests/cli/setup.sh"
gen=$data/dhat/make-big.sh
header=bench,allocs,alloc_bytes,peak_bytes,peak_blocks,end_bytes,end_blocks

sh "$gen" 100000 >"$tmp/big.dhat" 2>"$tmp/big.totals"
sh "$gen" 100000 ftbl-first >"$tmp/first.dhat" 2>/dev/null
sh "$gen" 10 >"$tmp/small.dhat" 2>/dev/null

{ echo "$header"; printf 'big,'; tr ' ' , <"$tmp/big.totals"; } >"$tmp/exp"
run_ 0 dhat-scan -b big "$tmp/big.dhat"
compare_ "$tmp/exp" "$tmp/out"
run_ 0 dhat-scan -b big "$tmp/first.dhat"
compare_ "$tmp/exp" "$tmp/out"
cat "$tmp/big.dhat" | dhat-scan -b big >"$tmp/out" 2>"$tmp/err" || fail_ "pipe: exit $?"
compare_ "$tmp/exp" "$tmp/out"

# --top 5: the five largest tbk values of the file, in order; the same list
# whichever comes first, ftbl or pps, from a file or a pipe.
grep -o '"tbk":[0-9]*' "$tmp/big.dhat" | cut -d: -f2 | sort -n -r | head -n 5 >"$tmp/exp-top"
run_ 0 dhat-scan --top 5 --csv -b big "$tmp/big.dhat"
awk -F, '$3 == "heap" { print $5 }' "$tmp/out" >"$tmp/got-top"
compare_ "$tmp/exp-top" "$tmp/got-top"
sed 's|^big,[^,]*,|big,F,|' "$tmp/out" >"$tmp/top-a"
run_ 0 dhat-scan --top 5 --csv -b big "$tmp/first.dhat"
sed 's|^big,[^,]*,|big,F,|' "$tmp/out" >"$tmp/top-b"
compare_ "$tmp/top-a" "$tmp/top-b"
cat "$tmp/first.dhat" | dhat-scan --top 5 --csv -b big >"$tmp/out" 2>"$tmp/err" || fail_ "pipe --top"
sed 's|^big,[^,]*,|big,F,|' "$tmp/out" >"$tmp/top-c"
compare_ "$tmp/top-a" "$tmp/top-c"
grep_ '^0x[0-9A-F]*: module_[0-9]*::function_[0-9]* (src/' "$tmp/top-c"

# Peak memory, from GNU time (not under the sanitizers, whose shadow memory
# would be measured too).
if [ -n "${ENABLE_SANITIZERS-x}" ] && [ -x /usr/bin/time ] &&
    /usr/bin/time -f %M true >/dev/null 2>&1; then
    rss() { # rss ARGS...: peak RSS in KB of dhat-scan ARGS
        /usr/bin/time -f %M -o "$tmp/rss" dhat-scan "$@" >/dev/null 2>&1 || fail_ "dhat-scan $*"
        tail -n 1 "$tmp/rss"
    }
    small=$(rss "$tmp/small.dhat")
    for args in "$tmp/big.dhat" "--top 10 $tmp/big.dhat" "--top 10 $tmp/first.dhat"; do
        # shellcheck disable=SC2086
        kb=$(rss $args)
        echo "peak RSS of dhat-scan $args: $kb KB (tiny file: $small KB)"
        [ "$kb" -lt 65536 ] || fail_ "dhat-scan $args: peak RSS $kb KB, not under 64 MB"
        [ "$kb" -lt $((small + 8192)) ] || fail_ "dhat-scan $args: memory grows with the file ($small -> $kb KB)"
    done
else
    echo "peak memory not measured (sanitizer build, or no GNU time)"
fi

exit $fail
