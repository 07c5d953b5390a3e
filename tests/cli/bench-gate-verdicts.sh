#!/bin/sh
# bench-gate: the verdicts on constructed histories, in CSV: a step
# reported once at its start, an outlier only suspect, allocation counts
# and instruction counts exact and reported once, gaps, a change of
# machine, the run effect, and --replay against --commit.
. "$abs_top_srcdir/tests/cli/setup.sh"

hdr=commit,version,date,bench,metric,unit,value,ci_low,ci_high,allocs,allocs_ci_low,allocs_ci_high,rustc,machine
# gen MACHINE: rows from "commit bench metric unit value allocs" lines.
gen() {
    awk -v m="$1" -v hdr="$hdr" 'BEGIN { print hdr }
        { printf "%s,,2026-01-01T00:00:00Z,%s,%s,%s,%s,,,%s,,,rustc 1.0,%s\n", $1, $2, $3, $4, $5 == "-" ? "" : $5, $6 == "-" ? "" : $6, m }'
}
# A quiet bench, a bench that steps +30 % at c13 and one with an outlier at
# c13, a bench whose allocation count goes 50 -> 51 at c14, a Cachegrind
# count, and a gap.
awk 'BEGIN {
    split("100 101 99 100 102 98 100 101 99 100 101 99", q, " ")
    for (i = 1; i <= 18; i++) {
        c = sprintf("c%02d", i)
        v = q[(i - 1) % 12 + 1]
        printf "%s quiet mean ns %s 7\n", c, v
        printf "%s step mean ns %s -\n", c, (i >= 13 ? v * 1.3 : v)
        printf "%s blip mean ns %s -\n", c, (i == 13 ? v * 1.4 : v)
        printf "%s alloc mean ns %s %d\n", c, v, (i >= 14 ? 51 : 50)
        printf "%s alloc median ns %s %d\n", c, v, (i >= 14 ? 51 : 50)
        printf "%s cg instructions instr %d -\n", c, (i >= 16 ? 1010000 : 1000000)
        printf "%s gap mean ns %s -\n", c, (i == 15 ? "-" : v)
    }
}' | gen m >"$tmp/h.csv"

run_ 0 bench-gate --replay "$tmp/h.csv"
cp "$tmp/out" "$tmp/replay"
# The step: suspect at c13, regressed at c14 since c13, then the past.
grep_ '^c13,step,mean,suspect,,' "$tmp/replay"
grep_ '^c14,step,mean,regressed,c13,31\.30,100,131\.3,3\.91,"shift +30\.6 % over 2 points, noise 3\.9 %"$' "$tmp/replay"
grep_ '^c18,step,mean,ok,,.*,"regressed since c13, +31 %"$' "$tmp/replay"
n=$(grep -c '^[^,]*,step,mean,regressed,' "$tmp/replay" || true)
[ "$n" -eq 1 ] || fail_ "the step regressed $n times"
# The outlier: suspect, and nothing after it.
grep_ '^c13,blip,mean,suspect,,40\.00,' "$tmp/replay"
nogrep_ '^[^,]*,blip,[^,]*,\(regressed\|improved\),' "$tmp/replay"
nogrep_ '^[^,]*,quiet,[^,]*,\(regressed\|improved\|suspect\),' "$tmp/replay"
# Allocation counts: exact, at once, once; from the mean row.
grep_ '^c14,alloc,allocs,regressed,c14,2\.00,50,51,,exact count$' "$tmp/replay"
grep_ '^c15,alloc,allocs,ok,,0\.00,51,51,,"regressed since c14, +2 %"$' "$tmp/replay"
n=$(grep -c '^[^,]*,alloc,allocs,' "$tmp/replay")
[ "$n" -eq 18 ] || fail_ "$n allocation rows for alloc, expected 18 (one per commit)"
nogrep_ '^[^,]*,step,allocs,' "$tmp/replay"
run_ 0 bench-gate --replay --alloc-threshold 2 "$tmp/h.csv"
grep_ '^c14,alloc,allocs,ok,' "$tmp/out"
# An instruction count moves by 1 %: beyond the 0.5 % it may.
grep_ '^c16,cg,instructions,regressed,c16,1\.00,1000000,1010000,' "$tmp/replay"
run_ 0 bench-gate --replay --instr-threshold 2 "$tmp/h.csv"
nogrep_ '^c16,cg,instructions,regressed' "$tmp/out"
# A gap: not measured at c15 is removed there, and back at c16.
grep_ '^c15,gap,mean,removed,,,101,,,$' "$tmp/replay"
grep_ '^c16,gap,mean,ok,' "$tmp/replay"

# The exit status of one commit: 1 only with a regression.
run_ 1 bench-gate --commit c14 "$tmp/h.csv"
grep_ '^| step | mean | 100.00 ns | 131.30 ns | +31.3% | \*\*regressed\*\* | c13 |' "$tmp/out"
grep_ '^| alloc | allocs | 50 | 51 | +2.0% | \*\*regressed\*\* | c14 |' "$tmp/out"
grep_ '^2 regressed, 0 improved, 0 suspect, ' "$tmp/out"
run_ 0 bench-gate --commit c13 "$tmp/h.csv"
run_ 0 bench-gate --commit c15 --format csv "$tmp/h.csv"
# Deterministic, whatever the locale.
LC_ALL=de_DE.UTF-8 bench-gate --replay "$tmp/h.csv" >"$tmp/again" 2>/dev/null || true
compare_ "$tmp/replay" "$tmp/again"

# Another machine's rows are left out, and the default machine is that of
# the last row.  A new machine's series are all new.
{
    cat "$tmp/h.csv"
    printf 'c19 step mean ns 500 9\n' | gen other | sed 1d
} >"$tmp/two.csv"
run_ 0 bench-gate --format csv "$tmp/two.csv"
cat >"$tmp/want" <<'WANT'
bench,metric,verdict,since,change_pct,base,value,noise_pct,note
step,mean,new,,,,500,,
step,allocs,new,,,,9,,
WANT
compare_ "$tmp/want" "$tmp/out"
run_ 0 bench-gate --machine m --format csv "$tmp/two.csv"
grep_ '^step,mean,ok,' "$tmp/out"
nogrep_ 500 "$tmp/out"
run_ 2 bench-gate --machine nosuch "$tmp/two.csv"
grep_ 'no rows for machine nosuch' "$tmp/err"

# A run slower on every bench at once is the runner, not the code: with
# eight benches or more, the median series' shift is taken out first.
awk 'BEGIN {
    for (i = 1; i <= 14; i++)
        for (b = 1; b <= 10; b++)
            printf "c%02d b%d mean ns %s -\n", i, b, (100 + (i * b) % 3) * ((i >= 13) ? 1.5 : 1)
}' | gen m >"$tmp/runner.csv"
run_ 0 bench-gate --format csv "$tmp/runner.csv"
nogrep_ ',regressed,' "$tmp/out"
run_ 0 bench-gate "$tmp/runner.csv"
grep_ '^This run was +50.0 % on the median series' "$tmp/out"
exit $fail
