#!/bin/sh
# Benchmark names: --bench; the full_id of the nearest new/benchmark.json in
# a Criterion.rs tree; else the directory relative to --root (default: the
# current directory); "-" for standard input.
# SPDX-License-Identifier: MIT
. "$abs_top_srcdir/tests/cli/setup.sh"
d=$data/dhat
crit=$d/criterion/target/criterion

# The Criterion.rs id, not the lossy directory name: parse_json/64 is
# "parse/json/64", dup_2 is "dup #2" (the title, as its full_id "dup"
# repeats).  nojson/ has no benchmark.json, so the --root rule names it.
run_ 0 dhat-scan --root "$crit" "$crit/parse_json/64/dhat-heap.json" "$crit/dup_2/new/dhat-heap.json" \
    "$crit/nojson/x/dhat-heap.json"
cut -d, -f1 "$tmp/out" >"$tmp/names"
printf 'bench\nparse/json/64\ndup #2\nnojson/x\n' >"$tmp/exp"
compare_ "$tmp/exp" "$tmp/names"

# dup and dup_2 share the full_id "dup": two benchmarks, two rows, named
# as criterion-scan names them, not one row of two "runs" with an interval.
run_ 0 dhat-scan "$crit/dup/new/dhat-heap.json" "$crit/dup_2/new/dhat-heap.json"
printf 'bench,allocs,alloc_bytes,peak_bytes,peak_blocks,end_bytes,end_blocks\n' >"$tmp/exp"
printf 'dup,20,1491,1250,15,1000,10\ndup #2,44,4748,4112,2,16,1\n' >>"$tmp/exp"
compare_ "$tmp/exp" "$tmp/out"

# The same through relative paths from inside the tree.
(cd "$crit/parse_json" && dhat-scan 64/dhat-heap.json) >"$tmp/out" || fail_ "relative path"
grep_ '^parse/json/64,9,' "$tmp/out"

# --root: the directory relative to it; a file right in it takes the
# directory's own name; a file outside it, the directory as written.
run_ 0 dhat-scan --root "$d" "$d/valgrind/basic.dhat" "$d/dhat-rs/dhat-heap.json"
cut -d, -f1 "$tmp/out" >"$tmp/names"
printf 'bench\nvalgrind\ndhat-rs\n' >"$tmp/exp"
compare_ "$tmp/exp" "$tmp/names"
run_ 0 dhat-scan --root "$d/valgrind" "$d/valgrind/basic.dhat"
grep_ '^valgrind,7,' "$tmp/out"
run_ 0 dhat-scan --root "$d/valgrind/runs" "$d/dhat-rs/dhat-heap.json"
grep_ "^$d/dhat-rs,9," "$tmp/out"
(cd "$d" && dhat-scan ./valgrind/runs/run-100.dhat) >"$tmp/out" || fail_ "default root"
grep_ '^valgrind/runs,100,' "$tmp/out"

# --bench overrides everything, and gathers the files as runs of one.
run_ 0 dhat-scan --bench 'we"ird, name' "$crit/parse_json/64/dhat-heap.json"
grep_ '^"we""ird, name",9,' "$tmp/out"

# Standard input.
run_ 0 dhat-scan - <"$d/valgrind/basic.dhat"
grep_ '^-,7,372,' "$tmp/out"

# A bad benchmark.json is an error for that file only.
mkdir -p "$tmp/target/criterion/b/new"
cp "$d/valgrind/basic.dhat" "$tmp/target/criterion/b/dhat-heap.json"
echo '{"title":"b"}' >"$tmp/target/criterion/b/new/benchmark.json"
run_ 1 dhat-scan "$tmp/target/criterion/b/dhat-heap.json" "$d/valgrind/leak.dhat"
grep_ 'benchmark.json: no full_id string' "$tmp/err"
grep_ ',20,1491,' "$tmp/out"

# A missing --root is a usage error.
run_ 2 dhat-scan --root "$tmp/no/such/dir" "$d/valgrind/basic.dhat"

exit $fail
