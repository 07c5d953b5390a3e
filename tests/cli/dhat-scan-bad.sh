#!/bin/sh
# Bad input: each kind gets "dhat-scan: FILE[:LINE]: message" and exit 1,
# and the good files given with it are still reported.
# SPDX-License-Identifier: MIT
. "$abs_top_srcdir/tests/cli/setup.sh"
bad=$data/dhat/bad
good=$data/dhat/valgrind/basic.dhat

# check FILE REGEX: FILE is refused with a message matching REGEX (after
# "dhat-scan: FILE"), in plain and in --top mode, beside a good file.
check() {
    for mode in totals top; do
        if [ $mode = totals ]; then
            run_ 1 dhat-scan -b x "$bad/$1" "$good"
            grep_ '^x,7,372,224,3,32,1$' "$tmp/out"
        else
            run_ 1 dhat-scan --top 2 "$good" "$bad/$1"
            grep_ '^  #2 ' "$tmp/out"
        fi
        grep_ "^dhat-scan: $bad/$1$2" "$tmp/err"
        [ "$(wc -l <"$tmp/err")" -eq 1 ] || fail_ "$1: more than one message"
    done
}

check not-json.txt ':1: not a DHAT profile: expected a JSON object$'
check array.json ':1: not a DHAT profile: expected a JSON object$'
check empty.json ': empty file, not a DHAT profile$'
check truncated.dhat ':23: unexpected end of file in pps (truncated file?)$'
check version3.dhat ':1: unsupported dhatFileVersion 3 (only version 2 is known)$'
check unknown-mode.dhat ':2: unknown mode "heapish"'
check no-tb.json ':3: program point 1 has no tb$'
check no-tbk.json ':2: program point 0 has no tbk$'
check no-gb.json ':2: program point 0 has no gb, but the file says it records block lifetimes'
check no-ftbl.json ': not a DHAT profile: no "ftbl" field$'
check negative.json ':2: program point 0: tbk is negative (-3)$'
check too-large.json ':2: program point 0: tb is too large for 64 bits$'
check sum-overflow.json ':3: program point 1: the sum of tb overflows 64 bits$'
check fs-outside.json ':3: program point 1: frame index 7 is outside ftbl (3 entries)$'
check fraction.json ':2: program point 0: tb is not an integer (double)$'
check string-number.json ':2: program point 0: tb is not an integer (string)$'
check counter-array.json ':2: program point 0: tbk is not an integer (array)$'
check pp-not-object.json ':2: program point 0 is not an object (int)$'
check duplicate-pps.json ':2: duplicate key "pps"$'
check trailing.json ':4: unexpected data after the top-level object$'

# A file that cannot be opened, and a directory.
run_ 1 dhat-scan "$tmp/missing" "$good"
grep_ "^dhat-scan: $tmp/missing: No such file or directory$" "$tmp/err"
grep_ ',7,372,' "$tmp/out"
run_ 1 dhat-scan "$tmp"
grep_ "^dhat-scan: $tmp: read error: Is a directory$" "$tmp/err"

# Truncated anywhere: every prefix of a real file is refused, never
# summed, never a crash.
size=$(wc -c <"$good")
n=0
while [ $n -lt "$size" ]; do
    head -c $n "$good" >"$tmp/cut"
    dhat-scan "$tmp/cut" >"$tmp/out" 2>"$tmp/err" && fail_ "prefix of $n bytes accepted"
    [ $? -eq 1 ] || fail_ "prefix of $n bytes: exit status not 1"
    grep -q '^dhat-scan: ' "$tmp/err" || fail_ "prefix of $n bytes: no message"
    n=$((n + 7))
done

# --by peak needs lifetimes, which ad-hoc files lack.
run_ 1 dhat-scan --top 3 --by peak "$data/dhat/valgrind/adhoc.dhat"
grep_ 'needs block lifetimes' "$tmp/err"

exit $fail
