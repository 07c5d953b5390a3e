#!/bin/sh
# No message quotes more than a few dozen bytes of a value read from the
# input, nor a control character raw: a 10 MB field in a history, a CSV
# header, a cargo bench log or a DHAT file gives a short line that ends
# the quotation with "...".
# SPDX-License-Identifier: MIT
. "$abs_top_srcdir/tests/cli/setup.sh"

big=$(head -c 10000000 /dev/zero | tr '\0' x)
[ ${#big} -eq 10000000 ] || skip_ "the shell cannot hold a 10 MB string"

# short_ PATTERN: stderr has a line matching PATTERN, the quotation in it
# is cut, and no line of stderr is 300 bytes or longer.
short_() {
    grep_ "$1" "$tmp/err"
    grep_ 'xxx\.\.\.' "$tmp/err"
    if awk 'length($0) >= 300 { bad = 1 } END { exit !bad }' "$tmp/err"; then
        fail_ "a line of $(wc -c <"$tmp/err") bytes of stderr is 300 bytes or longer"
    fi
}

# A history whose bench name and value are 10 MB each.
h=commit,version,date,bench,metric,unit,value,ci_low,ci_high,allocs,allocs_ci_low,allocs_ci_high,rustc,machine
{
    echo "$h"
    printf 'abc,,2026-01-01T00:00:00Z,%s,mean,ns,%s,,,,,,,m\n' "$big" "$big"
} >"$tmp/history.csv"
run_ 1 sparkline "$tmp/history.csv"
short_ "^sparkline: $tmp/history.csv:2: bench 'x*\.\.\.': value 'x*\.\.\.' is not a number\$"
run_ 1 badge "$tmp/history.csv"
short_ "^badge: $tmp/history.csv:2: bench 'x*\.\.\.': value 'x*\.\.\.' is not a number\$"

# A time that is not positive, with a control character in the name.
{
    echo "$h"
    printf 'abc,,2026-01-01T00:00:00Z,"a\033[2Jb%s",mean,ns,-1,,,,,,,m\n' "$big"
} >"$tmp/negative.csv"
run_ 1 sparkline "$tmp/negative.csv"
short_ "^sparkline: $tmp/negative.csv:2: bench 'a?\[2Jbx*\.\.\.': time -1 is not positive\$"
if grep -q "$(printf '\033')" "$tmp/err"; then fail_ "an escape character in a message"; fi

# csv-merge: a header with a 10 MB column name twice.
printf 'bench,%s,%s\n' "$big" "$big" >"$tmp/dup.csv"
run_ 1 csv-merge "$tmp/dup.csv"
short_ "^csv-merge: $tmp/dup.csv:1: duplicate column name 'x*\.\.\.'\$"

# criterion-scan: a 10 MB estimate in cargo bench text, a 10 MB negative
# bencher value, and a cargo-criterion message with a 10 MB id.
printf 'b1                      time:   [1 ns %s ns 3 ns]\n' "$big" >"$tmp/text.txt"
run_ 1 criterion-scan "$tmp/text.txt"
short_ "^criterion-scan: $tmp/text.txt:1: time: estimate is not a number: x*\.\.\.\$"
printf 'test b ... bench: -%s ns/iter (+/- 1)\n' "$(echo "$big" | tr x 9)" >"$tmp/bencher.txt"
run_ 1 criterion-scan "$tmp/bencher.txt"
grep_ "^criterion-scan: $tmp/bencher.txt:1: bench: value is negative: -9*\.\.\.\$" "$tmp/err"
[ "$(wc -c <"$tmp/err")" -lt 300 ] || fail_ "criterion-scan: long message for a bencher line"
e='{"estimate":-5.0,"lower_bound":-6.0,"upper_bound":-4.0,"unit":"ns"}'
printf '{"reason":"benchmark-complete","id":"%s","unit":"ns","typical":%s,"mean":%s,"median":%s}\n' \
    "$big" "$e" "$e" "$e" >"$tmp/cc.jsonl"
run_ 1 criterion-scan "$tmp/cc.jsonl"
short_ "^criterion-scan: $tmp/cc.jsonl:1: x*\.\.\.: mean: estimate is negative: -5 ns\$"

# dhat-scan: a 10 MB mode.
printf '{"dhatFileVersion":2,"mode":"%s","bklt":true,"pps":[],"ftbl":["[root]"]}\n' "$big" \
    >"$tmp/mode.json"
run_ 1 dhat-scan --bench b "$tmp/mode.json"
short_ "^dhat-scan: $tmp/mode.json:1: unknown mode \"x*\.\.\.\" (not heap, copy or ad-hoc)\$"
exit $fail
