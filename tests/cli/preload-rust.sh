#!/bin/sh
# A Rust Criterion benchmark reaches dhat-preload.so's API through dlsym
# (tests/preload/rust-criterion): built offline against Debian's crates,
# run under dhat-run --only so that cargo itself is not profiled.
# Skipped when cargo or Debian's crate registry is missing (CI has no Rust).
. "$abs_top_srcdir/tests/cli/setup.sh"
. "$abs_top_srcdir/tests/cli/preload-common.sh"

command -v cargo >/dev/null 2>&1 || skip_ "cargo is not installed"
registry=/usr/share/cargo/registry
ls -d "$registry"/criterion-0.3* >/dev/null 2>&1 ||
    skip_ "$registry has no criterion (Debian package librust-criterion-dev)"
ls -d "$registry"/libc-0.2* >/dev/null 2>&1 ||
    skip_ "$registry has no libc (Debian package librust-libc-dev)"

# Build in a copy (the source tree may be read-only).  The target directory
# outlives the test so that later runs do not rebuild criterion (about 90 s
# here); it is outside the build tree, which distclean must leave empty.
cp -R "$abs_top_srcdir/tests/preload/rust-criterion" "$tmp/crate"
chmod -R u+w "$tmp/crate"
target=${BENCHTRACK_CARGO_TARGET_DIR:-${TMPDIR:-/tmp}/benchtrack-rust-target.$(id -u)}
cd "$tmp/crate"
if ! CARGO_TARGET_DIR="$target" timeout 600 cargo build --offline --benches -q >"$tmp/build.log" 2>&1; then
    if grep -q 'no matching package\|failed to select a version\|failed to load source' "$tmp/build.log"; then
        sed 's/^/  /' "$tmp/build.log" | tail -n 5 >&2
        skip_ "the crates in $registry do not satisfy the example"
    fi
    fail_ "cargo build failed"
    tail -n 30 "$tmp/build.log" >&2
    exit $fail
fi

# Without the library, the benchmark runs and says so.
run_ 0 env CARGO_TARGET_DIR="$target" cargo bench --offline -q --bench allocs -- --test
grep_ 'dhat-preload: not loaded' "$tmp/out"

# With it, the benchmark asserts its own allocation count and writes a
# snapshot; only the benchmark binary (allocs-HASH) is profiled.
mkdir "$tmp/prof"
run_ 0 env CARGO_TARGET_DIR="$target" "$dhatrun" --only 'allocs-*' -o "$tmp/prof/%e.%p" \
    cargo bench --offline -q --bench allocs -- --test
grep_ 'build(100) allocated 101 blocks' "$tmp/out"
set -- "$tmp"/prof/*
[ -e "$1" ] || fail_ "no profile written"
check_files_ "$@"
ls "$tmp/prof" | grep -q 'build100' || fail_ "no snapshot file"
if ls "$tmp/prof" | grep -q '^cargo'; then
    fail_ "cargo was profiled"
fi

exit $fail
