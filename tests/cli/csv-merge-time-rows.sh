#!/bin/sh
# csv-merge refuses a time row (unit ns) whose value, ci_low or ci_high is
# not a positive decimal number (negative, 0, -0, NaN, infinite, text), or
# whose estimate lies outside its own interval: "FILE:LINE: message",
# exit 1, the -o file left byte-identical.  The charts refuse such a
# history, so it must not get into one.  Other units, and empty fields
# (not measured), are not times to check.
. "$abs_top_srcdir/tests/cli/setup.sh"

head='commit,bench,metric,unit,value,ci_low,ci_high,machine'
printf '%s\naaaaaaaaaaaa,b,mean,ns,100,99,101,m\n' "$head" >"$tmp/h.csv"
cp "$tmp/h.csv" "$tmp/before.csv"

# bad VALUE,CI_LOW,CI_HIGH MESSAGE
bad() {
    printf '%s\nbbbbbbbbbbbb,ok,mean,ns,5,4,6,m\nbbbbbbbbbbbb,b,mean,ns,%s,m\n' "$head" "$1" \
        >"$tmp/new.csv"
    run_ 1 csv-merge -o "$tmp/h.csv" "$tmp/h.csv" "$tmp/new.csv"
    printf 'csv-merge: %s:3: %s\n' "$tmp/new.csv" "$2" >"$tmp/want-err"
    compare_ "$tmp/want-err" "$tmp/err"
    compare_ "$tmp/before.csv" "$tmp/h.csv"
    [ "$(ls -A "$tmp" | grep -c '^\.h\.csv')" -eq 0 ] || fail_ "$1: temporary file left behind"
}
bad '-5,4,6' 'value -5 is not a positive time'
bad '-0,,' 'value -0 is not a positive time'
bad '0,,' 'value 0 is not a positive time'
bad '5,-0,6' 'ci_low -0 is not a positive time'
bad '5,4,-1e3' 'ci_high -1e3 is not a positive time'
bad 'nan,4,6' "value 'nan' is not a number"
bad 'NaN,,' "value 'NaN' is not a number"
bad '5,4,inf' "ci_high 'inf' is not a number"
bad '5,-inf,6' "ci_low '-inf' is not a number"
bad '1e999,,' "value '1e999' is not a number"
bad '0x10,,' "value '0x10' is not a number"
bad 'fast,,' "value 'fast' is not a number"
bad '3,4,6' 'value 3 is below ci_low 4'
bad '7,4,6' 'value 7 is above ci_high 6'
bad ',7,6' 'ci_low 7 is above ci_high 6'

# On standard output too, before a byte is written.
printf '%s\nbbbbbbbbbbbb,b,mean,ns,-1,,,m\n' "$head" >"$tmp/neg.csv"
run_ 1 csv-merge "$tmp/neg.csv"
[ -s "$tmp/out" ] && fail_ "output written for a bad time row"
grep_ "^csv-merge: $tmp/neg.csv:2: value -1 is not a positive time" "$tmp/err"

# Through --set: the row becomes a time once stamped.
printf 'commit,bench,metric,value\nbbbbbbbbbbbb,b,mean,-2\n' >"$tmp/nounit.csv"
run_ 0 csv-merge "$tmp/nounit.csv"
run_ 1 csv-merge --set unit=ns "$tmp/nounit.csv"
grep_ ':2: value -2 is not a positive time' "$tmp/err"

# A merged row: each row is good, but together (later non-empty fields
# win) the new estimate falls outside the old interval.  Written, it would
# be a history that csv-merge refuses to read back.
printf '%s\ncccccccccccc,b,mean,ns,100,99,101,m\ncccccccccccc,b,mean,ns,200,,,m\n' "$head" \
    >"$tmp/merge.csv"
run_ 1 csv-merge "$tmp/merge.csv"
grep_ ':2: value 200 is above ci_high 101' "$tmp/err"
# With its own interval, the new estimate replaces the old one whole.
printf '%s\ncccccccccccc,b,mean,ns,100,99,101,m\ncccccccccccc,b,mean,ns,200,190,210,m\n' "$head" \
    >"$tmp/merge.csv"
run_ 0 csv-merge "$tmp/merge.csv"
grep_ '^cccccccccccc,,,b,mean,ns,200,190,210,' "$tmp/out"

# Good ones: an interval that is one point, empty fields, other units.
cat >"$tmp/good.csv" <<CSV
$head
dddddddddddd,b,mean,ns,5,5,5,m
dddddddddddd,c,mean,ns,5,,,m
dddddddddddd,d,mean,ns,,,,m
dddddddddddd,e,mean,ns,1.5e-3,1e-3,2E-3,m
dddddddddddd,f,instructions,instr,0,0,0,m
dddddddddddd,g,mean,,-1,,,m
CSV
run_ 0 csv-merge -o "$tmp/h.csv" "$tmp/h.csv" "$tmp/good.csv"
[ "$(wc -l <"$tmp/h.csv")" -eq 8 ] || fail_ "good time rows not all merged"

exit $fail
