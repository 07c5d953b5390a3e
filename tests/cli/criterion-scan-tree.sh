#!/bin/sh
# criterion-scan on a real target/criterion tree (Criterion.rs 0.3.6) and an
# old one (capitalised keys): rows checked against the JSON files by an
# independent reader, names from benchmark.json, stable bytes.
# SPDX-License-Identifier: MIT
. "$abs_top_srcdir/tests/cli/setup.sh"
# The independent reader needs python3; without it only the golden files
# are compared.
if command -v python3 >/dev/null 2>&1; then
    expect() { python3 "$abs_top_srcdir/tests/cli/criterion-scan-expect.py" "$@" || fail_ "expect $*"; }
else
    echo "note: no python3, rows checked against golden files only" >&2
    expect() { :; }
fi
d="$data/criterion"
tree="$d/real/criterion"
all=typical,mean,median,slope,median_abs_dev,std_dev

run_ 0 criterion-scan "$tree"
compare_ "$d/expected/real-tree.csv" "$tmp/out"
expect tree "$tree" mean,median "$tmp/out"
[ -s "$tmp/err" ] && fail_ "stderr not empty"

run_ 0 criterion-scan --metrics=$all "$tree"
expect tree "$tree" $all "$tmp/out"
run_ 0 criterion-scan --metrics=$all --baseline=base "$tree"
expect tree "$tree" $all "$tmp/out" base
run_ 0 criterion-scan --metrics=$all "$d/old/criterion"
compare_ "$d/expected/old-all.csv" "$tmp/out"
expect tree "$d/old/criterion" $all "$tmp/out"

# Names never come from folders: / " <>& kept, the 111-byte name whole,
# the colliding folders x_y and x_y_2 told apart, the repeated full id dup
# named by its titles.
run_ 0 criterion-scan "$tree"
cut -d, -f1 "$tmp/out" | uniq >"$tmp/names"
grep_ '^"weird/na""me <a&b>/x/y"$' "$tmp/names"
grep_ '^"weird/na""me <a&b>/x?y"$' "$tmp/names"
grep_ "^x\{70\}_y\{40\}\$" "$tmp/names"
grep_ '^medium_m\{70\}$' "$tmp/names"
grep_ '^dup$' "$tmp/names"
grep_ '^dup #2$' "$tmp/names"
nogrep_ '_2$' "$tmp/names"
# The custom measurement keeps its unit; flat sampling has no slope row and
# its typical is the mean.
grep_ '^custom/ticks,mean,ticks,' "$tmp/out"
run_ 0 criterion-scan -m typical,mean,slope "$tree"
nogrep_ '^slow/sleep,slope,' "$tmp/out"
t=$(grep '^slow/sleep,typical,' "$tmp/out" | cut -d, -f4-)
m=$(grep '^slow/sleep,mean,' "$tmp/out" | cut -d, -f4-)
[ -n "$t" ] && [ "$t" = "$m" ] || fail_ "slow/sleep typical '$t' is not its mean '$m'"

# A folder inside the tree, a benchmark's folder, its new/ folder, and a
# trailing slash all work.
run_ 0 criterion-scan "$tree/parse/"
expect tree "$tree/parse" mean,median "$tmp/out"
[ "$(wc -l <"$tmp/out")" -eq 5 ] || fail_ "parse/: expected 4 rows"
# A name does not depend on the other operands: dup_2 alone is still
# "dup #2" (its title is its full_id "dup" plus " #2"), dup alone "dup".
run_ 0 criterion-scan "$tree/dup_2"
cut -d, -f1 "$tmp/out" | uniq >"$tmp/names"
printf 'bench\ndup #2\n' >"$tmp/want"
compare_ "$tmp/want" "$tmp/names"
run_ 0 criterion-scan "$tree/dup_2/new"
grep_ '^dup #2,mean,' "$tmp/out"
run_ 0 criterion-scan "$tree/dup"
grep_ '^dup,mean,' "$tmp/out"
nogrep_ '^dup #2,' "$tmp/out"
run_ 0 criterion-scan "$tree/fib 10/new"
grep_ '^fib 10,median,' "$tmp/out"

# Benchmarks named new, base, change or report have their folders inside
# another benchmark's (grp/new/new/...) or in the top report/: all found,
# with whichever baseline, and from a baseline folder given as the operand.
n="$d/nested/criterion"
cat >"$tmp/want" <<'OUT'
bench,metric,unit,value,ci_low,ci_high
grp,mean,ns,100.5,100,100.75
grp/base,mean,ns,300.5,300,300.75
grp/change,mean,ns,400.5,400,400.75
grp/new,mean,ns,200.5,200,200.75
grp/report,mean,ns,500.5,500,500.75
report,mean,ns,600.5,600,600.75
OUT
run_ 0 criterion-scan -m mean "$n"
compare_ "$tmp/want" "$tmp/out"
[ -s "$tmp/err" ] && fail_ "nested: stderr not empty"
run_ 0 criterion-scan -m mean --baseline=base "$n"
compare_ "$tmp/want" "$tmp/out"
run_ 0 criterion-scan -m mean "$n/grp/new"
printf 'bench,metric,unit,value,ci_low,ci_high\ngrp,mean,ns,100.5,100,100.75\ngrp/new,mean,ns,200.5,200,200.75\n' >"$tmp/want"
compare_ "$tmp/want" "$tmp/out"

# Byte-identical whatever the order the folders were made in.
mkdir "$tmp/copy"
for dir in $(cd "$tree" && ls | sort -r | tr ' ' '@'); do
    dir=$(printf '%s' "$dir" | tr '@' ' ')
    cp -R "$tree/$dir" "$tmp/copy/"
done
run_ 0 criterion-scan "$tmp/copy"
compare_ "$d/expected/real-tree.csv" "$tmp/out"

# Two operands: one header, then the rows of each in turn.
criterion-scan "$d/old/criterion" >"$tmp/old.csv"
{ cat "$tmp/old.csv"; tail -n +2 "$d/expected/real-tree.csv"; } >"$tmp/want"
run_ 0 criterion-scan "$d/old/criterion" "$tree"
compare_ "$tmp/want" "$tmp/out"
exit $fail
