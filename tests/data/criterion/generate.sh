#!/bin/sh
# generate.sh: makes the real Criterion.rs fixtures under real/ by building
# and running the bench crate in crate/ against Debian's criterion 0.3.6
# (package librust-criterion-dev), offline, in a temporary folder.
#
#   tests/data/criterion/generate.sh     (takes a minute or two)
#
# Runs, in this order:
#   1. cargo bench -- --output-format bencher  -> real/bencher.txt
#   2. cargo bench (plain, stdout not a TTY)   -> real/text.txt
#      then target/criterion is copied to real/criterion (only the files
#      criterion-scan reads: benchmark.json, estimates.json, raw.csv of
#      new/ and base/, and change/estimates.json)
#   3. cargo bench -- --color always under a pty (script) -> real/tty.txt
# Run 2 is the second run, so change/ and base/ exist and its text has
# change blocks.  The tests use the committed files only; CI needs no cargo.
# SPDX-License-Identifier: MIT

set -eu
here=$(cd "$(dirname "$0")" && pwd)
registry=${CARGO_REGISTRY_DIR:-/usr/share/cargo/registry}
[ -d "$registry/criterion-0.3.6" ] || {
    echo "generate.sh: $registry has no criterion-0.3.6 (apt-get install librust-criterion-dev)" >&2
    exit 1
}
work=$(mktemp -d "${TMPDIR:-/tmp}/criterion-fixture.XXXXXX")
trap 'rm -rf "$work"' EXIT

cp -R "$here/crate/." "$work/"
mkdir -p "$work/.cargo"
cat >"$work/.cargo/config.toml" <<CONFIG
[source.crates-io]
replace-with = "debian"
[source.debian]
directory = "$registry"
[net]
offline = true
CONFIG

cd "$work"
export CARGO_TARGET_DIR="$work/target"
export CARGO_TERM_COLOR=never
cargo build --offline --benches --release 2>"$work/build.log" || {
    cat "$work/build.log" >&2
    exit 1
}
bench() {
    cargo bench --offline --bench scan -- "$@"
}
bench --output-format bencher >"$work/bencher.txt" 2>>"$work/build.log"
bench >"$work/text.txt" 2>>"$work/build.log"

out="$here/real"
rm -rf "$out"
mkdir -p "$out/criterion"
cp "$work/bencher.txt" "$work/text.txt" "$out/"
# Copy only what criterion-scan reads, keeping the directory names.
(cd "$work/target/criterion" &&
    find . -type f \( -path '*/new/benchmark.json' -o -path '*/new/estimates.json' \
        -o -path '*/new/raw.csv' -o -path '*/base/benchmark.json' \
        -o -path '*/base/estimates.json' -o -path '*/change/estimates.json' \) -print) |
    while IFS= read -r f; do
        mkdir -p "$out/criterion/$(dirname "$f")"
        cp "$work/target/criterion/$f" "$out/criterion/$f"
    done

# A pty capture: colour sequences and \r-overwritten progress lines.
script -qec "cargo bench --offline --bench scan -- --color always" /dev/null \
    >"$out/tty.txt" 2>>"$work/build.log" </dev/null
# cargo's own status lines reach the pty too; keep only the bench binary's.
sed -n '/Running/,$p' "$out/tty.txt" | sed '1d' >"$work/tty.txt"
mv "$work/tty.txt" "$out/tty.txt"
echo "generate.sh: wrote $out" >&2
