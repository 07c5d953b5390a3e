#!/bin/sh
# generate.sh: makes the Valgrind DHAT fixtures of tests/data/dhat from the
# small C programs in src/, whose allocations are known (see the comment at
# the top of each).  Each run leaves NAME.dhat (the profile) and
# NAME.stderr (what Valgrind printed, with its "Total:", "At t-gmax:" and
# "At t-end:" summary lines, which the tests compare with dhat-scan).
#
# Needs a C compiler, valgrind (3.19 made the committed files) and its
# <valgrind/dhat.h>.  Run it from anywhere; it rewrites the files in
# tests/data/dhat/valgrind/.  The tests never run it.
# SPDX-License-Identifier: MIT

set -eu
LC_ALL=C
export LC_ALL

here=$(cd "$(dirname "$0")" && pwd)
out=$here/valgrind
cc=${CC:-cc}
command -v valgrind >/dev/null || { echo "generate.sh: valgrind is needed" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/dhat-fixtures.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out" "$out/runs"

# -O0 and -fno-builtin keep every call the source shows.
for prog in basic leak threads runs adhoc copy; do
    $cc -g -O0 -fno-builtin -pthread -o "$tmp/$prog" "$here/src/$prog.c"
done

# run NAME MODE PROGRAM [ARG]...: one profile, run from the temporary
# directory so that the recorded command is "./PROGRAM".
run() {
    name=$1 mode=$2
    shift 2
    (cd "$tmp" && valgrind --tool=dhat --mode="$mode" --dhat-out-file="$out/$name.dhat" \
        "$@" 2>"$out/$name.stderr")
}

run basic heap ./basic
run leak heap ./leak
run threads heap ./threads
run adhoc ad-hoc ./adhoc
run copy copy ./copy
for n in 100 110 120; do
    run "runs/run-$n" heap ./runs "$n"
done
chmod 644 "$out"/*.dhat "$out"/runs/*.dhat
echo "generate.sh: wrote $(ls "$out"/*.dhat "$out"/runs/*.dhat | wc -l) profiles in $out"
