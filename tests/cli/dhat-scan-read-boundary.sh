#!/bin/sh
# A program point cut by the end of a 256 KiB read means what it means
# whole: "tb":8- is refused wherever the reads end (json-c took it for 8
# when "8" ended one read and "-" began the next; found by fuzzing).
# SPDX-License-Identifier: MIT
. "$abs_top_srcdir/tests/cli/setup.sh"

# dhat NUMBER: a profile whose one program point has tb NUMBER, starting
# on the last byte of the first 256 KiB.
dhat() {
    head='{"dhatFileVersion":2,"mode":"heap","verb":"Allocated","bklt":false,"bkacc":false,"tu":"instrs","Mtu":"instr","cmd":"'
    tail='","pid":1,"te":1,"tg":1,"pps":[{"tbk":1,"tb":'
    printf '%s' "$head"
    head -c $((262144 - 1 - ${#head} - ${#tail})) /dev/zero | tr '\0' x
    printf '%s%s,"fs":[1]}],"ftbl":["[root]","f"]}\n' "$tail" "$1"
}
dhat 8- >"$tmp/bad.dhat"
dhat 81 >"$tmp/good.dhat"
[ "$(head -c 262144 "$tmp/bad.dhat" | tail -c 1)" = 8 ] || fail_ "the test file has no 8 at the mark"

run_ 1 dhat-scan -b b "$tmp/bad.dhat"
grep_ "bad.dhat:1: pps: invalid JSON: number expected" "$tmp/err"
run_ 0 dhat-scan -b b "$tmp/good.dhat"
printf 'bench,allocs,alloc_bytes,peak_bytes,peak_blocks,end_bytes,end_blocks\nb,1,81,,,,\n' >"$tmp/exp"
compare_ "$tmp/exp" "$tmp/out"

exit $fail
