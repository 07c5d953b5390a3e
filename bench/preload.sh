#!/bin/sh
# bench/preload.sh: what dhat-preload.so costs, as ratios to the plain run.
#
# Usage: bench/preload.sh [BUILDDIR]
# Runs tests/preload/alloc-workload (malloc/free pairs, mixed sizes, four
# call sites, one of them calloc; see its source) with 1 and 4 threads:
# plain, under dhat-preload.so with --frames 0 and --frames 8, and under
# valgrind --tool=dhat and heaptrack when they are installed.  Prints the
# best wall time of RUNS runs (and CPU time, user+sys) and the ratio to the
# plain run measured in the same invocation.  Valgrind and heaptrack run
# VG_OPS operations (fewer: they are slow) and are compared with a plain
# run of the same size.
#
# Environment: OPS (default 10000000), VG_OPS (2000000), RUNS (5),
# TOOLS ("valgrind heaptrack"; empty to skip them).
# SPDX-License-Identifier: MIT

set -eu
LC_ALL=C
export LC_ALL
b=${1:-}
if [ -z "$b" ]; then
    for d in . _build; do
        [ -f "$d/preload/.libs/dhat-preload.so" ] && b=$d && break
    done
fi
[ -n "$b" ] || { echo "bench/preload.sh: give the build directory" >&2; exit 2; }
lib=$(cd "$b/preload/.libs" && pwd)/dhat-preload.so
prog=$b/tests/preload/alloc-workload
[ -x "$prog" ] || make -s -C "$b" tests/preload/alloc-workload
OPS=${OPS:-10000000}
VG_OPS=${VG_OPS:-2000000}
RUNS=${RUNS:-5}
TOOLS=${TOOLS-valgrind heaptrack}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-preload.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# measure N CMD...: sets $wall and $cpu (ms) to the best of N runs.
measure() {
    n=$1
    shift
    wall= cpu=
    i=0
    while [ $i -lt "$n" ]; do
        s=$(date +%s%N)
        if command -v /usr/bin/time >/dev/null 2>&1; then
            /usr/bin/time -f '%U %S' -o "$tmp/time" "$@" >/dev/null 2>"$tmp/err" ||
                { cat "$tmp/err" >&2; exit 1; }
        else
            "$@" >/dev/null 2>"$tmp/err" || { cat "$tmp/err" >&2; exit 1; }
            echo 0 0 >"$tmp/time"
        fi
        e=$(date +%s%N)
        w=$(((e - s) / 1000000))
        c=$(awk '{ printf "%d", ($1 + $2) * 1000 }' "$tmp/time")
        if [ -z "$wall" ] || [ "$w" -lt "$wall" ]; then wall=$w; fi
        if [ -z "$cpu" ] || [ "$c" -lt "$cpu" ]; then cpu=$c; fi
        i=$((i + 1))
    done
}

ratio() {
    awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'
}

row() {
    # row THREADS WHAT OPS WALL CPU BASEWALL BASECPU TARGET
    printf '%-7s %-26s %9s %9s %9s %7s %7s  %s\n' "$1" "$2" "$3" "$4" "$5" \
        "$(ratio "$4" "$6")x" "$(ratio "$5" "$7")x" "$8"
}

printf 'dhat-preload.so overhead on %s (%s CPUs), best of %s runs\n' \
    "$(uname -m)" "$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?')" "$RUNS"
printf '%-7s %-26s %9s %9s %9s %7s %7s  %s\n' threads run ops wall_ms cpu_ms wall cpu target
for t in 1 4; do
    measure "$RUNS" "$prog" $t "$OPS"
    pw=$wall pc=$cpu
    row $t plain "$OPS" $pw $pc $pw $pc ""
    tgt0=1.15 tgt8=3
    [ $t = 1 ] || { tgt0=1.5; tgt8=6; }
    measure "$RUNS" env LD_PRELOAD="$lib" DHAT_FRAMES=0 DHAT_OUT="$tmp/f0" "$prog" $t "$OPS"
    row $t "dhat-preload --frames 0" "$OPS" $wall $cpu $pw $pc "<= ${tgt0}x"
    measure "$RUNS" env LD_PRELOAD="$lib" DHAT_FRAMES=8 DHAT_OUT="$tmp/f8" "$prog" $t "$OPS"
    row $t "dhat-preload --frames 8" "$OPS" $wall $cpu $pw $pc "<= ${tgt8}x"
    if [ -n "$TOOLS" ]; then
        measure "$RUNS" "$prog" $t "$VG_OPS"
        sw=$wall sc=$cpu
        row $t plain "$VG_OPS" $sw $sc $sw $sc ""
        for tool in $TOOLS; do
            case $tool in
            valgrind)
                command -v valgrind >/dev/null 2>&1 || continue
                measure 1 valgrind --tool=dhat --dhat-out-file="$tmp/vg" "$prog" $t "$VG_OPS"
                row $t "valgrind --tool=dhat" "$VG_OPS" $wall $cpu $sw $sc "" ;;
            heaptrack)
                command -v heaptrack >/dev/null 2>&1 || continue
                measure 1 heaptrack -o "$tmp/ht" "$prog" $t "$VG_OPS"
                row $t "heaptrack" "$VG_OPS" $wall $cpu $sw $sc ""
                rm -f "$tmp"/ht* ;;
            esac
        done
    fi
done
