#!/bin/sh
# dhat-scan reads every writer's layout: dhat-rs (pretty-printed,
# "rust-heap", "rust-ad-hoc"), benchtrack's preload layout with ftbl before
# pps, from files and from standard input; the fast path for plain program
# points and json-c agree (the unit test compares them point by point).
# SPDX-License-Identifier: MIT
. "$abs_top_srcdir/tests/cli/setup.sh"
d=$data/dhat
header=bench,allocs,alloc_bytes,peak_bytes,peak_blocks,end_bytes,end_blocks

# dhat-rs heap: 4 + 3 + 2 blocks, 1024 + 96 + 300 bytes, peak 512 + 64 +
# 200 bytes in 2 + 2 + 1 blocks, end 32 + 200 bytes in 1 + 1 blocks.
run_ 0 dhat-scan --bench rs "$d/dhat-rs/dhat-heap.json"
printf '%s\nrs,9,1420,776,5,232,2\n' "$header" >"$tmp/exp"
compare_ "$tmp/exp" "$tmp/out"
compare_ /dev/null "$tmp/err"

# dhat-rs ad hoc: 7 + 1 events of 70 + 5 units, in their own columns.
run_ 0 dhat-scan --bench rs "$d/dhat-rs/dhat-ad-hoc.json"
printf '%s,adhoc_events,adhoc_units\nrs,,,,,,,8,75\n' "$header" >"$tmp/exp"
compare_ "$tmp/exp" "$tmp/out"

# Both for one benchmark: one row.
run_ 0 dhat-scan --bench rs "$d/dhat-rs/dhat-heap.json" "$d/dhat-rs/dhat-ad-hoc.json"
printf '%s,adhoc_events,adhoc_units\nrs,9,1420,776,5,232,2,8,75\n' "$header" >"$tmp/exp"
compare_ "$tmp/exp" "$tmp/out"

# Preload layout, ftbl first: from the file, from a redirection, from a
# pipe; "-" and no operand both mean standard input.
printf '%s\np,44,4748,4112,2,16,1\n' "$header" >"$tmp/exp"
run_ 0 dhat-scan -b p "$d/preload/dhat.out.json"
compare_ "$tmp/exp" "$tmp/out"
run_ 0 dhat-scan -b p <"$d/preload/dhat.out.json"
compare_ "$tmp/exp" "$tmp/out"
cat "$d/preload/dhat.out.json" | dhat-scan -b p - >"$tmp/out" 2>"$tmp/err" || fail_ "pipe: exit $?"
compare_ "$tmp/exp" "$tmp/out"
printf '%s\n-,44,4748,4112,2,16,1\n' "$header" >"$tmp/exp"
run_ 0 dhat-scan <"$d/preload/dhat.out.json"
compare_ "$tmp/exp" "$tmp/out"

# A heap file without lifetimes ("bklt":false) has no peak or end figures.
sed 's/"bklt":true/"bklt":false/' "$d/valgrind/basic.dhat" >"$tmp/nobklt.dhat"
run_ 0 dhat-scan -b n "$tmp/nobklt.dhat"
printf '%s\nn,7,372,,,,\n' "$header" >"$tmp/exp"
compare_ "$tmp/exp" "$tmp/out"

# Output never depends on the locale or on a second run.
LC_ALL=de_DE.UTF-8 dhat-scan -b rs "$d/dhat-rs/dhat-heap.json" "$d/valgrind/runs/"*.dhat >"$tmp/a" 2>/dev/null ||
    fail_ "de_DE run failed"
LC_ALL=C dhat-scan -b rs "$d/dhat-rs/dhat-heap.json" "$d/valgrind/runs/"*.dhat >"$tmp/b"
compare_ "$tmp/a" "$tmp/b"

exit $fail
