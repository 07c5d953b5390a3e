#!/bin/sh
# bench-gate: the benches of one family ("fam/1" ... "fam/4", the
# parameterisations of one benchmark) are judged against each other as
# well as on their own.  On a runner that now and then slows the whole
# family by 25 %, a member's own +15 % is found against the others,
# dated at its start and reported once; when most of the family gets
# faster, the member that stayed where it was is not called slower.
. "$abs_top_srcdir/tests/cli/setup.sh"

hdr=commit,version,date,bench,metric,unit,value,ci_low,ci_high,allocs,allocs_ci_low,allocs_ci_high,rustc,machine
# history STEP FAST: 40 commits of four family members and two other
# benches.  The slow runner comes on about one commit in three
# (a fixed pseudo-random pattern) and slows the family by 25 %; each
# bench has its own +-1.5 % wobble.  fam/2 grows by STEP from c30 on;
# fam/1, fam/2 and fam/3 shrink by FAST from c30 on.
history() {
    awk -v step="$1" -v fast="$2" -v hdr="$hdr" 'BEGIN {
        print hdr
        split("0 0 1 0 0 1 1 0 0 0 1 0 0 1 0 0 0 1 1 0 0 1 0 0 0 0 1 0 1 0 1 1 0 0 1 1 0 0 0 1", slow, " ")
        split("0.01 -0.015 0.005 0.0 -0.01 0.015 -0.005 0.01 -0.01 0.0 0.005 -0.015", w, " ")
        for (i = 1; i <= 40; i++) {
            c = sprintf("c%02d", i)
            for (b = 1; b <= 6; b++) {
                name = b <= 4 ? "fam/" b : "other" b
                v = 1000 * b * (1 + w[(i + 3 * b) % 12 + 1])
                if (b <= 4 && slow[i] == "1") v *= 1.25
                if (b == 2 && i >= 30) v *= 1 + step
                if (b <= 3 && i >= 30) v *= 1 - fast
                printf "%s,,2026-01-01T00:00:00Z,%s,mean,ns,%.6g,,,,,,rustc 1.0,m\n", c, name, v
            }
        }
    }'
}

history 0.15 0 >"$tmp/step.csv"
run_ 0 bench-gate --replay "$tmp/step.csv"
cp "$tmp/out" "$tmp/replay"
# fam/2's own 15 % is found against its family, within two commits of
# c30, once.
grep '^c3[0-2],fam/2,mean,regressed,c30,' "$tmp/replay" >"$tmp/found" || fail_ "fam/2's step was not found by c32"
grep_ 'against its family' "$tmp/found"
n=$(grep -c '^[^,]*,fam/2,mean,regressed,' "$tmp/replay" || true)
[ "$n" -eq 1 ] || fail_ "fam/2 regressed $n times"
# Nothing else moved: the runner's 25 % is no change of anyone's.
nogrep_ '^[^,]*,fam/[134],mean,\(regressed\|improved\),' "$tmp/replay"
nogrep_ '^[^,]*,other[56],mean,\(regressed\|improved\),' "$tmp/replay"
nogrep_ '^c[0-2][0-9],fam/2,mean,\(regressed\|improved\),' "$tmp/replay"

# Three of four get 20 % faster.  Against the others fam/4 looks 25 %
# slower from c30 on, but it did not move: no regression.
history 0 0.20 >"$tmp/fast.csv"
run_ 0 bench-gate --replay "$tmp/fast.csv"
cp "$tmp/out" "$tmp/replay"
nogrep_ '^[^,]*,fam/4,mean,regressed,' "$tmp/replay"
exit $fail
