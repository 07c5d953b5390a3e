#!/bin/sh
# bench-gate on the real history of tests/data/rustychickpeas (73 benches
# on GitHub-hosted runners): the commits that go red are those where a
# lasting change happened, every commit's verdicts in --replay are those
# of --commit, and a pull request's single run is judged as one.
. "$abs_top_srcdir/tests/cli/setup.sh"

h=$data/rustychickpeas/github.csv

run_ 0 bench-gate --replay "$h"
cp "$tmp/out" "$tmp/replay"
grep_ '^commit,bench,metric,verdict,since,change_pct,base,value,noise_pct,note$' "$tmp/replay"
# What goes red, and since when.  c9ce06e88daf moved the builder benches
# for good (builder_add_relationships/1000 from -32 % to +2 % of its median,
# in two steps); b9afb371591c is the third point at the new level, where
# that is sure (builder_add_nodes_with_labels/1000 among them: 113, then
# 121, 140 and more, +21 % since c9ce06e88daf).  bfddabca7409 moved the
# snapshot benches: get_degree and
# traversal tenfold, found at once, and get_property +40 %, which moved
# with many others on bfddabca7409 and 9dc72ad91112 (as a kind of runner
# would) and so waits for a third point, 22f456950fe7.  The rest of the
# history is noise: ae72e4971428 ran every bench 25 % faster once,
# 1450aab4ef7d has single runs 20-30 % slow.
awk -F, '$4 == "regressed" { print $1 " " $5 }' "$tmp/replay" | sort -u >"$tmp/red"
cat >"$tmp/want" <<'WANT'
22f456950fe7 bfddabca7409
b9afb371591c c9ce06e88daf
bfddabca7409 bfddabca7409
WANT
compare_ "$tmp/want" "$tmp/red"
# The tenfold steps are found at once; each change is reported once.
grep_ '^bfddabca7409,snapshot_get_degree/100,mean,regressed,bfddabca7409,' "$tmp/replay"
grep_ '^9dc72ad91112,snapshot_get_degree/100,mean,ok,,.*,"regressed since bfddabca7409, +989 %"$' "$tmp/replay"
grep_ '^22f456950fe7,snapshot_get_property/100,mean,regressed,bfddabca7409,' "$tmp/replay"
n=$(grep -c '^[^,]*,builder_add_relationships/1000,mean,regressed,' "$tmp/replay" || true)
[ "$n" -eq 1 ] || fail_ "builder_add_relationships/1000 regressed $n times"
# The run 25 % faster is taken for what it is: no change of its own.  It
# only confirms, as a third point, the lasting -20 % of bfs/1000000 (from
# +18 % of its median to 0 since c9ce06e88daf, settled at b9afb371591c).
grep '^ae72e4971428,[^,]*,[^,]*,\(regressed\|improved\),' "$tmp/replay" | cut -d, -f2,4,5 | sort -u >"$tmp/got"
printf '%s\n' bfs/1000000,improved,b9afb371591c >"$tmp/want"
compare_ "$tmp/want" "$tmp/got"
nogrep_ '^1450aab4ef7d,[^,]*,[^,]*,regressed,' "$tmp/replay"
grep_ '^1450aab4ef7d,builder_add_nodes/100000,mean,suspect,' "$tmp/replay"

# --replay is --commit for every commit, row for row.
for c in $(cut -d, -f1 "$tmp/replay" | sed 1d | uniq); do
    st=0
    bench-gate --commit "$c" --format csv "$h" >"$tmp/one" || st=$?
    [ "$st" -le 1 ] || fail_ "bench-gate --commit $c: exit $st"
    { echo 'bench,metric,verdict,since,change_pct,base,value,noise_pct,note'; grep "^$c," "$tmp/replay" | cut -d, -f2-; } >"$tmp/want"
    compare_ "$tmp/want" "$tmp/one"
    want_st=0
    grep -q "^$c,[^,]*,[^,]*,regressed," "$tmp/replay" && want_st=1
    [ "$st" -eq "$want_st" ] || fail_ "bench-gate --commit $c: exit $st, expected $want_st"
done
# A prefix names a commit; the newest is the default.
run_ 0 bench-gate --format csv "$h"
cp "$tmp/out" "$tmp/newest"
run_ 0 bench-gate --format csv --commit 1450aab "$h"
compare_ "$tmp/newest" "$tmp/out"

# A pull request: one run judged against the history of its base.  Its
# own noise is what the history shows, so a run 25 % slower on a quiet
# bench is suspect, and one twice as slow regresses (both its metrics).
grep '^1450aab4ef7d,' "$h" | sed 's/^1450aab4ef7d,/feedfacefeed,/' >"$tmp/pr"
awk -F, -v OFS=, '$4 == "snapshot_get_degree/100" { $7 = $7 * 1.25 } $4 == "builder_finalize/100" { $7 = $7 * 2.2 } 1' \
    "$tmp/pr" >"$tmp/pr2"
cat "$h" "$tmp/pr2" >"$tmp/with-pr.csv"
run_ 1 bench-gate --base 1450aab4ef7d "$tmp/with-pr.csv"
grep_ 'Commit `feedfacefeed`, one run, judged against the history up to `1450aab4ef7d`' "$tmp/out"
grep_ '^| snapshot_get_degree/100 | mean | .* | suspect |' "$tmp/out"
grep_ '^| builder_finalize/100 | mean | .* | \*\*regressed\*\* | feedfacefeed |' "$tmp/out"
n=$(grep -c '| \*\*regressed\*\* |' "$tmp/out" || true)
[ "$n" -eq 2 ] || fail_ "$n regressions in the pull request, expected 2"
# --pr: the same against the whole history before it.
run_ 1 bench-gate --pr "$tmp/with-pr.csv"
grep_ '^| builder_finalize/100 | mean | .* | \*\*regressed\*\* | feedfacefeed |' "$tmp/out"
exit $fail
