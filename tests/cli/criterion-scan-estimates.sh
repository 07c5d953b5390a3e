#!/bin/sh
# criterion-scan on one estimates.json: named by --bench, or by the
# benchmark.json beside it.
# SPDX-License-Identifier: MIT
. "$abs_top_srcdir/tests/cli/setup.sh"
d="$data/criterion"

cat >"$tmp/want" <<'OUT'
bench,metric,unit,value,ci_low,ci_high
"my ""bench""",mean,ns,22257.05172413793,21920.430213464697,30280.032840722495
"my ""bench""",median,ns,25993.587356321837,22247.531510673234,29932.73790229885
OUT
run_ 0 criterion-scan --bench='my "bench"' "$d/misc/estimates.json"
compare_ "$tmp/want" "$tmp/out"
run_ 0 criterion-scan --bench='my "bench"' <"$d/misc/estimates.json"
compare_ "$tmp/want" "$tmp/out"
# Flat sampling: typical is the mean.
run_ 0 criterion-scan --bench=x -m typical,slope "$d/misc/estimates.json"
printf 'bench,metric,unit,value,ci_low,ci_high\nx,typical,ns,22257.05172413793,21920.430213464697,30280.032840722495\n' >"$tmp/want"
compare_ "$tmp/want" "$tmp/out"

# Without --bench: a file in a tree is named by its neighbour, with the
# unit from raw.csv; a lone file is an error.
run_ 0 criterion-scan "$d/real/criterion/custom_ticks/new/estimates.json"
grep_ '^custom/ticks,mean,ticks,' "$tmp/out"
run_ 0 criterion-scan --bench=T "$d/real/criterion/custom_ticks/new/estimates.json"
grep_ '^T,mean,ticks,' "$tmp/out"
# Named as in a tree scan: the second "dup" by its title.
run_ 0 criterion-scan "$d/real/criterion/dup_2/new/estimates.json"
cut -d, -f1 "$tmp/out" | uniq >"$tmp/names"
printf 'bench\ndup #2\n' >"$tmp/want"
compare_ "$tmp/want" "$tmp/names"
run_ 0 criterion-scan "$d/real/criterion/dup/new/estimates.json"
grep_ '^dup,mean,' "$tmp/out"
# A title cut at 100 bytes ("...") is not a name: the full id is.
run_ 0 criterion-scan "$d/real/criterion/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/new/estimates.json"
grep_ "^x\{70\}_y\{40\},mean," "$tmp/out"
run_ 1 criterion-scan "$d/misc/estimates.json"
grep_ 'misc/estimates.json: an estimates.json on its own needs --bench NAME' "$tmp/err"
run_ 1 criterion-scan <"$d/misc/estimates.json"
grep_ '^criterion-scan: -: an estimates.json on its own needs --bench NAME$' "$tmp/err"
# A change/estimates.json (real, Criterion.rs 0.3.6; and with the keys of
# 0.3.2 and older) holds relative changes of the mean and median, not
# times: refused, named or not.
m="relative changes, not times: a change/estimates.json (only mean and median, as fractions of the baseline); read new/estimates.json or a baseline's"
c="$d/real/criterion/dup/change/estimates.json"
for args in "--bench=X" ""; do
    run_ 1 criterion-scan $args "$c"
    printf 'criterion-scan: %s: %s\n' "$c" "$m" >"$tmp/want"
    compare_ "$tmp/want" "$tmp/err"
    [ "$(wc -l <"$tmp/out")" -eq 1 ] || fail_ "rows from a change/estimates.json ($args)"
done
run_ 1 criterion-scan --bench=X -m mean <"$c"
grep_ "^criterion-scan: -: $m\$" "$tmp/err"
sed 's/"mean"/"Mean"/; s/"median"/"Median"/' "$c" >"$tmp/old-change.json"
run_ 1 criterion-scan --bench=X "$tmp/old-change.json"
grep_ "^criterion-scan: $tmp/old-change.json: $m\$" "$tmp/err"

# Pretty-printed JSON is JSON too.
if command -v python3 >/dev/null 2>&1; then
    python3 -m json.tool "$d/misc/estimates.json" >"$tmp/pretty.json"
    run_ 0 criterion-scan --bench=p "$tmp/pretty.json"
    grep_ '^p,mean,ns,22257.05172413793,' "$tmp/out"
fi
exit $fail
