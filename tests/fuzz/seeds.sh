#!/bin/sh
# tests/fuzz/seeds.sh: makes the seed corpus of a fuzz target from the
# test data, at fuzz time, so that no copy of it is committed.
#
#   seeds.sh TARGET DIR
#
# TARGET is csv, criterion_stream, criterion_tree or dhat; DIR (created)
# gets one file per seed: the test data the target's parser reads, and the
# small hand-made seeds of tests/fuzz/seeds/TARGET (edge cases and the
# inputs of past findings).
# SPDX-License-Identifier: MIT
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data=$here/../data
target=$1
dir=$2
mkdir -p "$dir"

n=0
add() { # add FILE...: copies each file as a new seed
    for f in "$@"; do
        n=$((n + 1))
        cp "$f" "$dir/seed-$n"
    done
}

case $target in
csv)
    find "$data/csv-merge" "$data/flows" "$data/criterion/expected" "$data/criterion/real" \
        "$data/dhat/expected" -type f \( -name '*.csv' -o -name '*.expected' \) -size -64k |
        sort >"$dir/.list"
    ;;
criterion_stream)
    # cargo bench text, bencher lines, cargo-criterion messages, and
    # estimates.json files read on their own.
    find "$data/criterion" "$data/flows" -type f \( -name '*.txt' -o -name '*.jsonl' -o \
        -name 'estimates.json' \) -size -64k | sort >"$dir/.list"
    ;;
criterion_tree)
    # One benchmark folder per seed: estimates.json, NUL, benchmark.json,
    # NUL, raw.csv (see fuzz_criterion_tree.c).
    : >"$dir/.list"
    find "$data/criterion" "$data/flows" "$data/dhat/criterion" -type f -name estimates.json |
        sort | while IFS= read -r f; do
        d=$(dirname "$f")
        n=$((n + 1))
        {
            cat "$f"
            printf '\000'
            [ ! -f "$d/benchmark.json" ] || cat "$d/benchmark.json"
            printf '\000'
            [ ! -f "$d/raw.csv" ] || head -c 4096 "$d/raw.csv"
        } >"$dir/tree-$n"
    done
    ;;
dhat)
    find "$data/dhat" "$data/flows" -type f \( -name '*.dhat' -o -name '*.json' -o \
        -name 'dhat.out.*' -o -name '*.txt' \) ! -name benchmark.json ! -name estimates.json \
        -size -64k | sort >"$dir/.list"
    ;;
*)
    echo "seeds.sh: unknown target '$target'" >&2
    exit 2
    ;;
esac
if [ -s "$dir/.list" ]; then
    while IFS= read -r f; do
        add "$f"
    done <"$dir/.list"
fi
rm -f "$dir/.list"
if [ -d "$here/seeds/$target" ]; then
    for f in "$here/seeds/$target"/*; do
        [ ! -f "$f" ] || add "$f"
    done
fi
