#!/bin/sh
# criterion-scan reads only regular files in a target/criterion tree: a
# FIFO or a link to a device where a file it reads should be is refused,
# named, without blocking or filling memory; a FIFO elsewhere in the tree
# does not matter.  An operand may still be a pipe (<(cargo bench)), and
# no input is read past 64 MiB.
# SPDX-License-Identifier: MIT
. "$abs_top_srcdir/tests/cli/setup.sh"
p=criterion-scan
command -v timeout >/dev/null || skip_ "no timeout(1)"
command -v mkfifo >/dev/null || skip_ "no mkfifo(1)"
good="$data/criterion/bad/criterion/good/new"

# bench NAME: a good benchmark folder NAME in the tree.
bench() {
    mkdir -p "$tmp/t/$1/new"
    cp "$good/estimates.json" "$good/benchmark.json" "$tmp/t/$1/new/"
    printf '{"group_id":"%s","function_id":null,"value_str":null,"throughput":null,"full_id":"%s","directory_name":"%s","title":"%s"}' \
        "$1" "$1" "$1" "$1" >"$tmp/t/$1/new/benchmark.json"
}
bench a_fifo
bench b_zero
bench c_named_fifo
bench d_raw_fifo
bench e_ok
bench f_dir
rm "$tmp/t/a_fifo/new/estimates.json" "$tmp/t/b_zero/new/estimates.json" \
    "$tmp/t/c_named_fifo/new/benchmark.json" "$tmp/t/f_dir/new/estimates.json"
mkfifo "$tmp/t/a_fifo/new/estimates.json" "$tmp/t/c_named_fifo/new/benchmark.json" \
    "$tmp/t/d_raw_fifo/new/raw.csv" "$tmp/t/e_ok/new/sample.json" "$tmp/t/e_ok/stray"
ln -s /dev/zero "$tmp/t/b_zero/new/estimates.json"
mkdir "$tmp/t/f_dir/new/estimates.json"

run_ 1 timeout 20 $p "$tmp/t"
t="$tmp/t"
r='not a regular file (a FIFO, a device or a folder): refused'
cat >"$tmp/want" <<ERR
$p: $t/a_fifo/new/estimates.json: $r
$p: $t/b_zero/new/estimates.json: $r
$p: $t/c_named_fifo/new/benchmark.json: $r
$p: $t/d_raw_fifo/new/raw.csv: $r
$p: $t/f_dir/new/estimates.json: $r
ERR
compare_ "$tmp/want" "$tmp/err"
printf '%s\n' bench,metric,unit,value,ci_low,ci_high e_ok,mean,ns,10.5,10,11 \
    e_ok,median,ns,10.5,10,11 >"$tmp/want"
compare_ "$tmp/want" "$tmp/out"

# The baseline folder itself as the operand.
run_ 1 timeout 20 $p "$t/a_fifo/new"
grep_ "^$p: $t/a_fifo/new/estimates.json: $r\$" "$tmp/err"

# An estimates.json operand whose neighbour is a FIFO.
run_ 1 timeout 20 $p "$t/c_named_fifo/new/estimates.json"
grep_ "^$p: $t/c_named_fifo/new/benchmark.json: $r\$" "$tmp/err"

# A pipe as an operand is what <(cargo bench) gives: read as before.
run_ 0 $p "$data/criterion/real/bencher.txt"
cp "$tmp/out" "$tmp/want"
mkfifo "$tmp/pipe"
cat "$data/criterion/real/bencher.txt" >"$tmp/pipe" &
run_ 0 timeout 20 $p "$tmp/pipe"
wait
compare_ "$tmp/want" "$tmp/out"

# An endless operand stops at 64 MiB, with a message.
ln -s /dev/zero "$tmp/zero"
# A limit on memory keeps a reader without the cap from taking the
# machine's (the sanitizers reserve too much address space for one).
limit=:
[ -n "${ENABLE_SANITIZERS-x}" ] && limit='ulimit -v 1048576'
run_ 1 sh -c "$limit; exec timeout 60 $p \"\$1\"" sh "$tmp/zero"
printf '%s\n' "$p: $tmp/zero: larger than 64 MiB: refused" >"$tmp/want"
compare_ "$tmp/want" "$tmp/err"
exit $fail
