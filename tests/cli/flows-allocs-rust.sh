#!/bin/sh
# benchtrack-allocs on the real Criterion benchmarks of bench/sample
# (criterion 0.3, Debian's librust-criterion-dev, built offline): each
# count is exactly what one run of the routine allocates, worked out below
# from the code, and the peak is the benchmark's own.  Revision 1 and
# revision 2 (cargo feature rev2) of the sample are both checked.
# Skipped when cargo or Debian's crate registry is missing (CI installs
# both).
. "$abs_top_srcdir/tests/cli/setup.sh"

PATH=$abs_top_builddir/src:$abs_top_builddir/preload:$PATH
command -v dhat-run >/dev/null 2>&1 || skip_ "dhat-run not built"
command -v dhat-scan >/dev/null 2>&1 || skip_ "dhat-scan not built"
command -v cargo >/dev/null 2>&1 || skip_ "cargo is not installed"
registry=/usr/share/cargo/registry
ls -d "$registry"/criterion-0.3* >/dev/null 2>&1 ||
    skip_ "$registry has no criterion (Debian package librust-criterion-dev)"
unset LD_PRELOAD DHAT_OUT DHAT_FRAMES DHAT_ONLY DHAT_CRITERION_OUT || true

# Build in a copy (the source tree may be read-only), without its results
# or target folder.  The target directory outlives the test, shared with
# preload-rust.sh, so that later runs do not rebuild criterion.
mkdir "$tmp/crate"
(cd "$abs_top_srcdir/bench/sample" && cp -R Cargo.toml .cargo src benches "$tmp/crate/")
chmod -R u+w "$tmp/crate"
target=${BENCHTRACK_CARGO_TARGET_DIR:-${TMPDIR:-/tmp}/benchtrack-rust-target.$(id -u)}
cd "$tmp/crate"

# bench_binary [FEATURES]: builds the sample's bench binary; its path in
# $bin.
bench_binary() {
    features=${1:-}
    set -- --offline --bench sample
    [ -z "$features" ] || set -- "$@" --features "$features"
    if ! CARGO_TARGET_DIR="$target" timeout 900 cargo bench --no-run --message-format=json "$@" \
        >"$tmp/build.json" 2>"$tmp/build.log"; then
        if grep -q 'no matching package\|failed to select a version\|failed to load source' "$tmp/build.log"; then
            tail -n 5 "$tmp/build.log" >&2
            skip_ "the crates in $registry do not satisfy the sample"
        fi
        tail -n 30 "$tmp/build.log" >&2
        return 1
    fi
    bin=$(sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' "$tmp/build.json" | tail -n 1)
}

# The results benchtrack-allocs needs: each benchmark's
# new/benchmark.json (as cargo bench would write it; only the title and
# the full id matter), in a folder named criterion, where dhat-scan names
# a profile by the benchmark's id.
for id in fib/20 squares/100 squares/10000 join_numbers 'words: \"distinct\" <set>' push_full/1000; do
    d=$tmp/criterion/$(printf '%s' "$id" | tr -c 'A-Za-z0-9_\n' _)
    mkdir -p "$d/new"
    printf '{"full_id":"%s","title":"%s"}\n' "$id" "$id" >"$d/new/benchmark.json"
done

# allocs_ FEATURES: runs the pass on that revision; the benchmarks' rows
# (allocs,alloc_bytes,peak_bytes,peak_blocks,end_bytes,end_blocks, by
# name) in $tmp/rows.
allocs_() {
    bench_binary "$1" || { fail_ "cargo bench --no-run failed (features: ${1:-none})"; return 1; }
    [ -x "$bin" ] || { fail_ "no bench binary"; return 1; }
    run_ 0 benchtrack-allocs --frames 0 -c "$tmp/criterion" "$bin"
    grep_ ': 6 benchmarks profiled$' "$tmp/out"
    [ ! -s "$tmp/err" ] || { fail_ "benchtrack-allocs warned"; cat "$tmp/err" >&2; }
    find "$tmp/criterion" -name dhat-heap.json -exec dhat-scan -r "$tmp/criterion" {} + >"$tmp/rows" ||
        fail_ "dhat-scan"
}

# row_ BENCH VALUES...: BENCH's row is one of VALUES.
row_() {
    b=$1
    shift
    got=$(awk -F, -v b="$b" '
        { bench = $1; sub(/^"/, "", bench); sub(/"$/, "", bench); gsub(/""/, "\"", bench) }
        bench == b { sub(/^("([^"]|"")*"|[^,]*),/, ""); print }' "$tmp/rows")
    for want do
        [ "$got" != "$want" ] || return 0
    done
    fail_ "$b: got '$got', expected '$*'"
}

# Revision 1.
allocs_ "" || exit $fail
# fib(20) is plain recursion: no allocation, no peak, nothing kept (the
# one-sample Vec<f64> of Criterion's test mode is made before the timing).
row_ fib/20 '0,0,0,0,0,0'
# squares(n), revision 1, pushes n u64s into Vec::new().  RawVec grows to
# max(2 x capacity, needed, 4) for elements of 2..1024 bytes
# (alloc/src/raw_vec.rs: grow_amortized, min_non_zero_cap): capacities 4,
# 8, 16, 32, 64, 128: one malloc and 5 reallocs, each counted at its new
# size, 8 x (4 + ... + 128) = 2016 bytes; the largest block, 1024 bytes,
# is the peak (a realloc changes the live heap by the difference).
row_ squares/100 '6,2016,1024,1,0,0'
# n = 10000: capacities 4 to 16384, 13 blocks, 8 x (32768 - 4) = 262112
# bytes, peak 16384 x 8 = 131072.
row_ squares/10000 '13,262112,131072,1,0,0'
# join_numbers(200): collect() of a Map over a Range (TrustedLen) sizes
# the Vec<String> once: 200 x 24 = 4800 bytes; 200 strings, one block each:
# 10 x 1 + 90 x 2 + 100 x 3 = 490 bytes where u32::to_string allocates the
# digits exactly (Rust 1.87 on), 200 x 8 = 1600 before (String::new grown
# by one push_str: max(0, len, 8) for bytes); join() reserves the exact
# length once: 490 + 199 commas = 689 bytes.  202 blocks, all live when
# the joined string is made: the peak is all of them.
row_ join_numbers '202,5979,5979,202,0,0' '202,7089,7089,202,0,0'
# distinct_words: 20 x 9 words, each copied to a String (180 blocks), and
# a HashSet of 8 distinct words whose table grows at the 1st, 4th and 8th
# (hashbrown: 4, 8, 16 buckets): 183 blocks.  (Bytes and peak depend on
# hashbrown's layout, not checked.)
[ "$(awk -F, '/^"words/ { print $2 }' "$tmp/rows")" = 183 ] || fail_ "words: expected 183 blocks"
# iter_batched: the setup's Vec of 1000 u32 (4000 bytes, full) is not
# counted; the routine's push reallocates it to max(2 x 1000, 1001) = 2000
# elements, 8000 bytes: one allocation, and the heap rises 4000 bytes
# above its level with no more blocks.  Criterion drops the output after
# the timing: nothing kept.
row_ push_full/1000 '1,8000,4000,0,0,0'

# Revision 2 sizes the vector once: with_capacity(n), then extend() from a
# TrustedLen iterator, which never grows it.
allocs_ rev2 || exit $fail
row_ squares/100 '1,800,800,1,0,0'
row_ squares/10000 '1,80000,80000,1,0,0'
row_ fib/20 '0,0,0,0,0,0'
row_ join_numbers '202,5979,5979,202,0,0' '202,7089,7089,202,0,0'
exit $fail
