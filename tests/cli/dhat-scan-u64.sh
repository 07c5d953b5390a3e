#!/bin/sh
# dhat-scan counts are unsigned 64-bit: 2^64 - 1 is read and printed
# exactly, one more is too large, and no count may be negative, -0
# included, whichever way a program point is read (the fast path, or
# json-c for a program point with a string in it or cut by a read).
# SPDX-License-Identifier: MIT
. "$abs_top_srcdir/tests/cli/setup.sh"
d="$data/dhat"
p=dhat-scan

run_ 0 $p --bench max "$d/edge/u64-max.json"
printf '%s\n' bench,allocs,alloc_bytes,peak_bytes,peak_blocks,end_bytes,end_blocks \
    max,18446744073709551615,18446744073709551615,18446744073709551615,0,0,0 >"$tmp/want"
compare_ "$tmp/want" "$tmp/out"

for f in negative-zero negative-zero-json-c fs-negative-zero fs-too-large too-large-json-c; do
    run_ 1 $p --bench x "$d/bad/$f.json"
done
run_ 1 $p --bench x "$d/bad/negative-zero.json"
printf '%s\n' "$p: $d/bad/negative-zero.json:2: program point 0: eb is negative (-0)" >"$tmp/want"
compare_ "$tmp/want" "$tmp/err"
run_ 1 $p --bench x "$d/bad/negative-zero-json-c.json"
printf '%s\n' "$p: $d/bad/negative-zero-json-c.json:2: program point 0: ebk is negative (-0)" \
    >"$tmp/want"
compare_ "$tmp/want" "$tmp/err"
run_ 1 $p --bench x "$d/bad/fs-negative-zero.json"
printf '%s\n' "$p: $d/bad/fs-negative-zero.json:2: program point 0: fs[1] is not a frame index" \
    >"$tmp/want"
compare_ "$tmp/want" "$tmp/err"

# A program point that straddles the reader's 256 KiB buffer goes to
# json-c in two pieces; the text is still seen whole.
# straddle VALUE: a profile whose one program point has tb VALUE and
# begins a few bytes before the 256 KiB mark.
straddle() {
    head='{"dhatFileVersion":2,"mode":"heap","bklt":true,"pps":['
    {
        printf '%s' "$head"
        head -c $((262144 - ${#head} - 6)) /dev/zero | tr '\0' ' '
        printf '{"tb":%s,"tbk":1,"gb":0,"gbk":0,"eb":0,"ebk":0,"fs":[1]}],"ftbl":["[root]","f"]}\n' "$1"
    }
}
straddle -0 >"$tmp/neg.json"
run_ 1 $p --bench x "$tmp/neg.json"
printf '%s\n' "$p: $tmp/neg.json:1: program point 0: tb is negative (-0)" >"$tmp/want"
compare_ "$tmp/want" "$tmp/err"
straddle 18446744073709551615 >"$tmp/max.json"
run_ 0 $p --bench x "$tmp/max.json"
grep_ '^x,1,18446744073709551615,0,0,0,0$' "$tmp/out"
straddle 18446744073709551616 >"$tmp/over.json"
run_ 1 $p --bench x "$tmp/over.json"
grep_ "tb is too large for 64 bits" "$tmp/err"
exit $fail
