#!/bin/sh
# criterion-scan on the text cargo bench prints: plain and under a pty
# (colour, \r progress), wrapped names, thrpt and change blocks, unit
# conversion; the typical values checked against the JSON of the same run.
# SPDX-License-Identifier: MIT
. "$abs_top_srcdir/tests/cli/setup.sh"
d="$data/criterion"

run_ 0 criterion-scan "$d/real/text.txt"
compare_ "$d/expected/real-text.csv" "$tmp/out"
[ -s "$tmp/err" ] && fail_ "stderr not empty"
if command -v python3 >/dev/null 2>&1; then
    python3 "$abs_top_srcdir/tests/cli/criterion-scan-expect.py" text "$d/real/text.txt" \
        "$d/real/criterion" "$tmp/out" || fail_ "text rows differ from the JSON"
fi
# Standard input, detected by content: the same rows.
run_ 0 criterion-scan <"$d/real/text.txt"
compare_ "$d/expected/real-text.csv" "$tmp/out"
run_ 0 criterion-scan - <"$d/real/text.txt"
compare_ "$d/expected/real-text.csv" "$tmp/out"
# --metrics does not hide the one metric text has.
run_ 0 criterion-scan --metrics=mean "$d/real/text.txt"
compare_ "$d/expected/real-text.csv" "$tmp/out"

# A pty capture: same benchmarks, and no escape or \r left.
run_ 0 criterion-scan "$d/real/tty.txt"
compare_ "$d/expected/real-tty.csv" "$tmp/out"
cut -d, -f1 "$tmp/out" >"$tmp/tty-names"
cut -d, -f1 "$d/expected/real-text.csv" >"$tmp/text-names"
compare_ "$tmp/text-names" "$tmp/tty-names"
if LC_ALL=C grep -q "$(printf '[\033\r]')" "$tmp/out"; then fail_ "escape or CR in output"; fi

# Units: ps, ns, us, µs, μs, ms, s to ns by decimal shifts (exact), a
# custom unit kept, CRLF line ends, a name holding "time:".
printf '%s\r\n' \
    'a                       time:   [999.99 ps 1.0012 ns 1.5 ns]' \
    'b                       time:   [998.12 ns 1.0012 us 1.0050 µs]' \
    'c                       time:   [1.1 μs 2.2 ms 12345 s]' \
    'time: d                 time:   [3 ticks 4 ticks 5 ticks]' \
    'thrpt:  [2.6462 GiB/s 3.0054 GiB/s 3.2125 GiB/s]' \
    '                 change:' \
    '                        time:   [+33.074% +56.877% +84.475%] (p = 0.00 < 0.05)' \
    '                        change: [-0.2521% +1.6377% +3.0000%] (p = 0.31 > 0.05)' \
    >"$tmp/units.txt"
cat >"$tmp/want" <<'OUT'
bench,metric,unit,value,ci_low,ci_high
a,typical,ns,1.0012,0.99999,1.5
b,typical,ns,1001.2,998.12,1005
c,typical,ns,2200000,1100,12345000000000
time: d,typical,ticks,4,3,5
OUT
run_ 0 criterion-scan "$tmp/units.txt"
compare_ "$tmp/want" "$tmp/out"
# A byte order mark is not part of the first name.
printf '\357\273\277fib 10                  time:   [1 ns 2 ns 3 ns]\n' >"$tmp/bom.txt"
run_ 0 criterion-scan "$tmp/bom.txt"
grep_ '^fib 10,typical,ns,2,1,3$' "$tmp/out"
exit $fail
