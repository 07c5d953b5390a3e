#!/bin/sh
# criterion-scan on cargo-criterion --message-format=json lines: every
# metric with its bounds and unit, checked by an independent reader.
# SPDX-License-Identifier: MIT
. "$abs_top_srcdir/tests/cli/setup.sh"
d="$data/criterion"
in="$d/cargo-criterion.jsonl"
all=typical,mean,median,slope,median_abs_dev

run_ 0 criterion-scan "$in"
cat >"$tmp/want" <<'OUT'
bench,metric,unit,value,ci_low,ci_high
norm,mean,ns,3420.1,3380.5,3461.25
norm,median,ns,3411,3390.75,3430
"throughput/Bytes ""q"" <a&b> ü",mean,ns,100.5,99.5,101.5
"throughput/Bytes ""q"" <a&b> ü",median,ns,100.25,99.25,101.25
slow/flat,mean,ns,3100000,3000000,3200000
slow/flat,median,ns,3050000,2990000,3300000
custom/cycles,mean,cycles,7.25,6.75,7.75
custom/cycles,median,cycles,7,6,8
OUT
compare_ "$tmp/want" "$tmp/out"
[ -s "$tmp/err" ] && fail_ "stderr not empty"

if command -v python3 >/dev/null 2>&1; then
    for m in mean,median $all typical slope; do
        run_ 0 criterion-scan --metrics=$m <"$in"
        python3 "$abs_top_srcdir/tests/cli/criterion-scan-expect.py" cargo-criterion "$in" $m \
            "$tmp/out" || fail_ "cargo-criterion rows differ ($m)"
    done
fi
# Flat sampling: no slope row; typical is the mean.  No std_dev in this
# format: nothing written for it.
run_ 0 criterion-scan --metrics=slope,std_dev "$in"
nogrep_ '^slow/flat,' "$tmp/out"
nogrep_ ',std_dev,' "$tmp/out"

# The format's documentation says slope "may be missing": like null.
sed -n 1p "$in" | sed 's/,"slope":{[^}]*}//' >"$tmp/noslope.jsonl"
run_ 0 criterion-scan --metrics=slope,mean "$tmp/noslope.jsonl"
printf 'bench,metric,unit,value,ci_low,ci_high\nnorm,mean,ns,3420.1,3380.5,3461.25\n' >"$tmp/want"
compare_ "$tmp/want" "$tmp/out"

# Mixed into a log (2>&1): the JSON lines are still found, the rest ignored;
# a time unit other than ns is converted.
{
    echo '   Compiling x v0.1.0'
    sed -n 1p "$in"
    echo 'Gnuplot not found, using plotters backend'
    echo '{"reason":"benchmark-complete","id":"us","unit":"us","typical":{"estimate":1.5,"lower_bound":1.25,"upper_bound":2,"unit":"us"},"mean":{"estimate":1.0012,"lower_bound":1e-3,"upper_bound":2,"unit":"us"},"median":{"estimate":1,"lower_bound":1,"upper_bound":1,"unit":"us"},"median_abs_dev":{"estimate":0,"lower_bound":0,"upper_bound":0,"unit":"us"},"slope":null,"change":null}'
} >"$tmp/log"
run_ 0 criterion-scan --metrics=mean "$tmp/log"
printf 'bench,metric,unit,value,ci_low,ci_high\nnorm,mean,ns,3420.1,3380.5,3461.25\nus,mean,ns,1001.2,1,2000\n' >"$tmp/want"
compare_ "$tmp/want" "$tmp/out"
exit $fail
