#!/bin/sh
# criterion-scan on bencher lines: real 0.3.6 output, thousands separators,
# libtest decimals, output between a name and its result, custom units.
# SPDX-License-Identifier: MIT
. "$abs_top_srcdir/tests/cli/setup.sh"
d="$data/criterion"

run_ 0 criterion-scan "$d/real/bencher.txt"
compare_ "$d/expected/real-bencher.csv" "$tmp/out"
[ -s "$tmp/err" ] && fail_ "stderr not empty"
if command -v python3 >/dev/null 2>&1; then
    python3 "$abs_top_srcdir/tests/cli/criterion-scan-expect.py" bencher "$d/real/bencher.txt" \
        "$tmp/out" || fail_ "bencher rows differ"
fi

# Median N, interval N-D (not below 0) to N+D, written exactly.
cat >"$tmp/want" <<'OUT'
bench,metric,unit,value,ci_low,ci_high
big/1e6,median,ns,1672496,1660151,1684841
libtest::sum,median,ns,18794.12,18353.87,19234.37
noisy,median,ns,42,0,92
a ... b,median,cycles,3,2,4
OUT
run_ 0 criterion-scan <"$d/misc/bencher.txt"
compare_ "$tmp/want" "$tmp/out"
# N±D in decimal: 0.3-0.1 is 0.2, not 0.19999999999999998.
printf 'test c ... bench:   0.3 ns/iter (+/- 0.1)\n' | criterion-scan >"$tmp/out"
printf 'bench,metric,unit,value,ci_low,ci_high\nc,median,ns,0.3,0.2,0.4\n' >"$tmp/want"
compare_ "$tmp/want" "$tmp/out"
exit $fail
