#!/bin/sh
# dhat-scan reads operands as streams, so a pipe is a fine operand
# (dhat-scan <(...)); but the benchmark.json it looks up in a Criterion.rs
# tree must be a regular file: a FIFO there is refused, named, without
# blocking, and so is a link to a device.
# SPDX-License-Identifier: MIT
. "$abs_top_srcdir/tests/cli/setup.sh"
d="$data/dhat"
p=dhat-scan
command -v timeout >/dev/null || skip_ "no timeout(1)"
command -v mkfifo >/dev/null || skip_ "no mkfifo(1)"

crit="$tmp/target/criterion"
mkdir -p "$crit/fifo/new" "$crit/zero/new" "$crit/ok/new"
for b in fifo zero ok; do
    cp "$d/valgrind/basic.dhat" "$crit/$b/dhat-heap.json"
done
mkfifo "$crit/fifo/new/benchmark.json" "$crit/ok/new/sample.json" "$crit/stray"
ln -s /dev/zero "$crit/zero/new/benchmark.json"
printf '{"group_id":"ok","function_id":null,"value_str":null,"throughput":null,"full_id":"ok","directory_name":"ok","title":"ok"}' \
    >"$crit/ok/new/benchmark.json"

run_ 1 timeout 20 $p "$crit/fifo/dhat-heap.json" "$crit/zero/dhat-heap.json" \
    "$crit/ok/dhat-heap.json"
r='not a regular file (a FIFO, a device or a folder): refused'
cat >"$tmp/want" <<ERR
$p: $crit/fifo/dhat-heap.json: cannot read the benchmark id from $crit/fifo/new/benchmark.json: $r
$p: $crit/zero/dhat-heap.json: cannot read the benchmark id from $crit/zero/new/benchmark.json: $r
ERR
compare_ "$tmp/want" "$tmp/err"
printf '%s\n' bench,allocs,alloc_bytes,peak_bytes,peak_blocks,end_bytes,end_blocks \
    ok,7,372,224,3,32,1 >"$tmp/want"
compare_ "$tmp/want" "$tmp/out"

# A pipe operand is read as a file would be (--bench names it).
mkfifo "$tmp/pipe"
cat "$d/valgrind/basic.dhat" >"$tmp/pipe" &
run_ 0 timeout 20 $p --bench piped "$tmp/pipe"
wait
printf '%s\n' bench,allocs,alloc_bytes,peak_bytes,peak_blocks,end_bytes,end_blocks \
    piped,7,372,224,3,32,1 >"$tmp/want"
compare_ "$tmp/want" "$tmp/out"

# An endless operand of zero bytes is no JSON: refused at once.
ln -s /dev/zero "$tmp/zero"
run_ 1 timeout 20 $p "$tmp/zero"
grep_ "^$p: $tmp/zero:1: " "$tmp/err"
exit $fail
