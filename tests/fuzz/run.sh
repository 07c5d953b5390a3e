#!/bin/sh
# tests/fuzz/run.sh: fuzz the CSV reader with libFuzzer (clang) for
# SECONDS (default 60).  Needs clang and its fuzzer runtime (Debian:
# clang, libclang-rt-14-dev or the clang package's runtime).
# SPDX-License-Identifier: MIT
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$here/../..
seconds=${1:-60}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
printf '#define PACKAGE "benchtrack"\n#define PACKAGE_NAME "benchtrack"\n#define PACKAGE_VERSION "fuzz"\n#define _GNU_SOURCE 1\n' >"$out/config.h"
clang -g -O1 -fsanitize=fuzzer,address,undefined -I"$out" -I"$top/lib" \
    "$here/fuzz_csv.c" "$top/lib/csv.c" "$top/lib/cli.c" "$top/lib/strmap.c" -o "$out/fuzz_csv"
mkdir "$out/corpus"
cp "$top"/tests/data/csv-merge/*.csv "$out/corpus/"
"$out/fuzz_csv" -max_total_time="$seconds" -max_len=512 "$out/corpus"
