#!/bin/sh
# generate.sh: makes bench/sample/results, the history that `make demo`
# and the README's charts are drawn from.  For each revision of the sample
# (r1..r4: the cargo features rev2, rev3, rev4 of Cargo.toml, each a small
# deliberate change to src/lib.rs) it runs the Criterion benchmarks, runs
# the allocation pass (benchtrack-allocs, hence dhat-run), and keeps what
# benchtrack-collect reads: new/benchmark.json, new/estimates.json and the
# DHAT files (dhat-heap.json, the span Criterion times, and a baseline only
# where that span was not clear), plus a "stamp" file with the revision's commit id, version,
# date and toolchain.
#
# Needs cargo and Debian's librust-criterion-dev (the build is offline,
# see .cargo/config.toml) and benchtrack's programs on PATH, for example
#   PATH=$PWD/_build/src:$PWD/_build/scripts:$PWD/_build/preload:$PATH bench/sample/generate.sh
# The commit ids are made up (the revisions are not commits of benchtrack):
# the first 12 hex digits of the SHA-1 of "benchtrack-sample rN".
# SPDX-License-Identifier: MIT

set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=$here/results
work=$(mktemp -d "${TMPDIR:-/tmp}/benchtrack-sample.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$here"

# revision NAME FEATURES VERSION
revision() {
    name=$1
    features=$2
    tag=$3
    crit=$work/$name
    printf '== %s (features: %s)\n' "$name" "${features:-none}"
    set -- --bench sample
    [ -z "$features" ] || set -- "$@" --features "$features"
    CRITERION_HOME=$crit cargo bench "$@" >"$work/$name.log" 2>&1 ||
        { cat "$work/$name.log"; exit 1; }
    grep 'time:' "$work/$name.log"
    bin=$(cargo bench --no-run --message-format=json "$@" 2>/dev/null |
        sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -n 1)
    [ -x "$bin" ] || { echo "generate.sh: no bench binary" >&2; exit 1; }
    # --frames 0: one program point per whole-run profile keeps the pass
    # fast (dhat-process.json, which collect does not read, is not kept).
    benchtrack-allocs --frames 0 --criterion-dir "$crit" "$bin"

    rm -rf "${out:?}/$name"
    # Only what benchtrack-collect reads: no reports, samples or baselines.
    (cd "$crit" && find . -type f \( -path '*/new/benchmark.json' -o -path '*/new/estimates.json' \
        -o -name 'dhat-heap.json' -o -name 'dhat-baseline.json' \) -print) |
        while IFS= read -r f; do
            mkdir -p "$out/$name/criterion/$(dirname "$f")"
            cp "$crit/$f" "$out/$name/criterion/$f"
        done
    {
        printf 'commit=%s\n' "$(printf 'benchtrack-sample %s' "$name" | sha1sum | cut -c 1-12)"
        printf 'version=%s\n' "$tag"
        printf 'date=%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
        printf 'rustc=%s\n' "$(rustc --version)"
    } >"$out/$name/stamp"
}

revision r1 "" v0.1.0
revision r2 rev2 ""
revision r3 rev3 ""
revision r4 rev4 v0.2.0
echo "generate.sh: wrote $out"
