#!/bin/sh
# dhat-scan on real Valgrind DHAT profiles: its totals must equal both the
# counts known from the programs' source (tests/data/dhat/src) and the
# summary Valgrind printed when it wrote each file.
# SPDX-License-Identifier: MIT
. "$abs_top_srcdir/tests/cli/setup.sh"
vg=$data/dhat/valgrind

# summary FILE WHAT: "BYTES BLOCKS" from Valgrind's "WHAT: N bytes in M
# blocks" line ("Total", "At t-gmax", "At t-end"), thousands separators
# removed.
summary() {
    sed -n "s/^==[0-9]*== $2: *\([0-9,]*\) [a-z]* in \([0-9,]*\) [a-z]*\$/\1 \2/p" "$1" | tr -d ,
}

# valgrind_row NAME: the totals row that Valgrind's summary implies.
valgrind_row() {
    set -- "$vg/$1.stderr" "$1"
    total=$(summary "$1" Total) gmax=$(summary "$1" 'At t-gmax') tend=$(summary "$1" 'At t-end')
    [ -n "$total" ] && [ -n "$gmax" ] && [ -n "$tend" ] || fail_ "no summary in $1"
    set -- "$2" $total $gmax $tend
    printf '%s,%s,%s,%s,%s,%s,%s\n' "$1" "$3" "$2" "$4" "$5" "$6" "$7"
}

header=bench,allocs,alloc_bytes,peak_bytes,peak_blocks,end_bytes,end_blocks

for name in basic leak threads; do
    run_ 0 dhat-scan --bench "$name" "$vg/$name.dhat"
    { echo "$header"; valgrind_row "$name"; } >"$tmp/exp"
    compare_ "$tmp/exp" "$tmp/out"
done

# The counts known from the source (see the comment atop each program).
run_ 0 dhat-scan --bench basic "$vg/basic.dhat"
printf '%s\nbasic,7,372,224,3,32,1\n' "$header" >"$tmp/exp"
compare_ "$tmp/exp" "$tmp/out"
run_ 0 dhat-scan --bench leak "$vg/leak.dhat"
printf '%s\nleak,20,1491,1250,15,1000,10\n' "$header" >"$tmp/exp"
compare_ "$tmp/exp" "$tmp/out"
for n in 100 110 120; do
    run_ 0 dhat-scan --bench runs "$vg/runs/run-$n.dhat"
    printf '%s\nruns,%s,%s,%s,%s,0,0\n' "$header" $n $((32 * n)) $((32 * n)) $n >"$tmp/exp"
    compare_ "$tmp/exp" "$tmp/out"
    { echo "$header"; valgrind_row "runs/run-$n" | sed 's|^runs/run-[0-9]*|runs|'; } >"$tmp/exp"
    compare_ "$tmp/exp" "$tmp/out"
done

# threads: pthread_create's own blocks make the total, so the known counts
# are checked per call site: 4 threads x 100 blocks of 64 bytes in worker,
# and main's one leaked block of 1000 bytes.
run_ 0 dhat-scan --top 100 --csv "$vg/threads.dhat"
awk -v RS='"' 'NR % 2 == 0 && /worker \(threads\.c/ { hit++ } END { exit hit != 1 }' "$tmp/out" ||
    fail_ "threads: worker's program point not listed once"
tr '\n' '\t' <"$tmp/out" | sed 's/\t\([^,"\t]*,[^,]*,heap,\)/\n\1/g' >"$tmp/rows"
grep_ '^[^,]*,[^,]*,heap,[0-9]*,400,25600,.*worker (threads\.c' "$tmp/rows"
grep_ '^[^,]*,[^,]*,heap,[0-9]*,1,1000,1000,1,1000,1,"[^"]*malloc[^"]*	0x[0-9A-F]*: main (threads\.c' "$tmp/rows"

# Copy and ad-hoc profiles count events: never summed as allocations, and
# reported under columns that say what they are.
run_ 0 dhat-scan --bench ev "$vg/adhoc.dhat" "$vg/copy.dhat"
set -- $(summary "$vg/adhoc.stderr" Total) $(summary "$vg/copy.stderr" Total)
printf 'bench,allocs,alloc_bytes,peak_bytes,peak_blocks,end_bytes,end_blocks,adhoc_events,adhoc_units,copy_calls,copy_bytes\nev,,,,,,,%s,%s,%s,%s\n' \
    "$2" "$1" "$4" "$3" >"$tmp/exp"
compare_ "$tmp/exp" "$tmp/out"
# adhoc.c: 5 events, 40 units; copy.c: at least its own 4 copies of 100 bytes.
grep_ '^ev,,,,,,,5,40,' "$tmp/out"

exit $fail
