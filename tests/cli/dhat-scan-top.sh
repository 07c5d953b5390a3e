#!/bin/sh
# --top N [--by blocks|bytes|peak] [--csv]: the heaviest program points of
# each file with their frames, in either order of pps and ftbl, from files
# and pipes.
# SPDX-License-Identifier: MIT
. "$abs_top_srcdir/tests/cli/setup.sh"
d=$data/dhat
cd "$d"

# Golden outputs (checked by hand against basic.c: line 22 is the loop of
# three malloc(8), line 19 the malloc(100) realloc'd to 200).
run_ 0 dhat-scan --top 2 -b basic valgrind/basic.dhat
compare_ expected/top-basic.txt "$tmp/out"
run_ 0 dhat-scan --top 3 --by bytes --csv -b basic valgrind/basic.dhat
compare_ expected/top-basic-bytes.csv "$tmp/out"
run_ 0 dhat-scan --top 10 dhat-rs/dhat-heap.json preload/dhat.out.json valgrind/adhoc.dhat
compare_ expected/top-formats.txt "$tmp/out"

# --by peak ranks by bytes live at t-gmax: basic's realloc'd block (200).
run_ 0 dhat-scan --top 1 --by peak valgrind/basic.dhat
grep_ '^  #1  2 blocks (28.6%), 300 bytes (80.6%), at t-gmax 200 bytes' "$tmp/out"
grep_ 'main (basic\.c:19)$' "$tmp/out"

# ftbl before pps: the same listing from the file (read twice) and from a
# pipe (the frame table spooled to a temporary file).
run_ 0 dhat-scan --top 3 -b p preload/dhat.out.json
sed 's|^preload/dhat.out.json:|-:|' "$tmp/out" >"$tmp/from-file"
cat preload/dhat.out.json | dhat-scan --top 3 -b p >"$tmp/from-pipe" 2>"$tmp/err" || fail_ "pipe"
compare_ "$tmp/from-file" "$tmp/from-pipe"
grep_ '^        0x4013b0: "quoted\\\\frame" (odd.c:1)$' "$tmp/from-pipe"

# Ties go to the earlier program point, so N = 1 picks the same every
# time; N above the number of points lists them all.
printf '{"dhatFileVersion":2,"mode":"heap","bklt":false,"pps":[{"tb":1,"tbk":5,"fs":[2]},{"tb":1,"tbk":5,"fs":[1]}],"ftbl":["[root]","a","b"]}' >"$tmp/tie.json"
run_ 0 dhat-scan --top 1 "$tmp/tie.json"
grep_ '^        b$' "$tmp/out"
nogrep_ '^        a$' "$tmp/out"
run_ 0 dhat-scan --top 1000000 --csv "$tmp/tie.json"
[ "$(wc -l <"$tmp/out")" -eq 3 ] || fail_ "--top above the number of points"

# A program point with no frames, and a frame holding a control byte.
printf '{"dhatFileVersion":2,"mode":"heap","bklt":false,"ftbl":["[root]","x\\ty"],"pps":[{"tb":1,"tbk":1,"fs":[]},{"tb":1,"tbk":1,"fs":[1]}]}' >"$tmp/odd.json"
run_ 0 dhat-scan --top 2 "$tmp/odd.json"
grep_ '^        (no frames)$' "$tmp/out"
grep_ '^        x\\x09y$' "$tmp/out"

# Usage errors.
run_ 2 dhat-scan --top 0 valgrind/basic.dhat
run_ 2 dhat-scan --top x valgrind/basic.dhat
run_ 2 dhat-scan --top 3 --by size valgrind/basic.dhat
run_ 2 dhat-scan --csv valgrind/basic.dhat

exit $fail
