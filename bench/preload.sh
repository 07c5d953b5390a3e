#!/bin/sh
# bench/preload.sh: what dhat-preload.so costs, as ratios to the plain run.
#
# Usage: bench/preload.sh [BUILDDIR]
# Runs tests/preload/alloc-workload (malloc/free pairs, mixed sizes, four
# call sites, one of them calloc; see its source) with 1 and 4 threads:
# plain, under dhat-preload.so with --frames 0 and --frames 8, and under
# valgrind --tool=dhat and heaptrack when they are installed.  Prints the
# best wall time of RUNS runs (and CPU time, user+sys) and the ratio to the
# plain run measured in the same invocation, and the spread (slowest wall
# time over the best).  The plain, --frames 0 and --frames 8 runs take
# turns, so that a busy moment on a shared machine slows all three alike.
# Valgrind and heaptrack run VG_OPS operations (fewer: they are slow) and
# are compared with a plain run of the same size.
#
# Environment: OPS (default 10000000), VG_OPS (2000000), RUNS (7),
# TOOLS ("valgrind heaptrack"; empty to skip them).
# SPDX-License-Identifier: MIT

set -eu
. "$(dirname "$0")/bencher.sh"
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
RUNS=${RUNS:-7}
TOOLS=${TOOLS-valgrind heaptrack}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-preload.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# once CMD...: sets $w and $c to the wall and CPU time (ms) of one run.
once() {
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
}

# keep NAME: folds $w and $c into the best wall and CPU times and the
# worst wall time kept under NAME (variables wall_NAME, cpu_NAME, worst_NAME).
keep() {
    eval "bw=\${wall_$1:-} bc=\${cpu_$1:-} ww=\${worst_$1:-}"
    if [ -z "$bw" ] || [ "$w" -lt "$bw" ]; then bw=$w; fi
    if [ -z "$bc" ] || [ "$c" -lt "$bc" ]; then bc=$c; fi
    if [ -z "$ww" ] || [ "$w" -gt "$ww" ]; then ww=$w; fi
    eval "wall_$1=\$bw cpu_$1=\$bc worst_$1=\$ww"
}

# measure N CMD...: sets $wall and $cpu (ms) to the best of N runs.
measure() {
    n=$1
    shift
    unset wall_m cpu_m worst_m
    i=0
    while [ $i -lt "$n" ]; do
        once "$@"
        keep m
        i=$((i + 1))
    done
    wall=$wall_m cpu=$cpu_m
}

ms_to_s() {
    awk -v ms="$1" 'BEGIN { print ms / 1000 }'
}

ratio() {
    awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'
}

row() {
    # row THREADS WHAT OPS WALL CPU BASEWALL BASECPU TARGET [WORST]
    printf '%-7s %-26s %9s %9s %9s %7s %7s %7s  %s\n' "$1" "$2" "$3" "$4" "$5" \
        "$(ratio "$4" "$6")x" "$(ratio "$5" "$7")x" "$(ratio "${9:-$4}" "$4")x" "$8"
}

printf 'dhat-preload.so overhead on %s (%s CPUs), best of %s runs\n' \
    "$(uname -m)" "$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?')" "$RUNS"
printf '%-7s %-26s %9s %9s %9s %7s %7s %7s  %s\n' threads run ops wall_ms cpu_ms wall cpu spread \
    target
for t in 1 4; do
    unset wall_p cpu_p worst_p wall_0 cpu_0 worst_0 wall_8 cpu_8 worst_8
    i=0
    while [ $i -lt "$RUNS" ]; do
        once "$prog" $t "$OPS"
        keep p
        once env LD_PRELOAD="$lib" DHAT_FRAMES=0 DHAT_OUT="$tmp/f0" "$prog" $t "$OPS"
        keep 0
        once env LD_PRELOAD="$lib" DHAT_FRAMES=8 DHAT_OUT="$tmp/f8" "$prog" $t "$OPS"
        keep 8
        i=$((i + 1))
    done
    pw=$wall_p pc=$cpu_p
    row $t plain "$OPS" $pw $pc $pw $pc "" $worst_p
    tgt0=1.15 tgt8=3
    [ $t = 1 ] || { tgt0=1.5; tgt8=6; }
    row $t "dhat-preload --frames 0" "$OPS" $wall_0 $cpu_0 $pw $pc "<= ${tgt0}x" $worst_0
    row $t "dhat-preload --frames 8" "$OPS" $wall_8 $cpu_8 $pw $pc "<= ${tgt8}x" $worst_8
    bencher_ "preload/plain-${t}t" "$(ms_to_s "$pw")"
    bencher_ "preload/frames0-${t}t" "$(ms_to_s "$wall_0")"
    bencher_ "preload/frames8-${t}t" "$(ms_to_s "$wall_8")"
    if [ -n "$TOOLS" ]; then
        measure "$RUNS" "$prog" $t "$VG_OPS"
        sw=$wall sc=$cpu
        row $t plain "$VG_OPS" $sw $sc $sw $sc ""
        for tool in $TOOLS; do
            case $tool in
            valgrind)
                command -v valgrind >/dev/null 2>&1 || continue
                measure 1 valgrind --tool=dhat --dhat-out-file="$tmp/vg" "$prog" $t "$VG_OPS"
                row $t "valgrind --tool=dhat" "$VG_OPS" $wall $cpu $sw $sc ""
                bencher_ "peer/valgrind-dhat-${t}t-${VG_OPS}ops" "$(ms_to_s "$wall")" ;;
            heaptrack)
                command -v heaptrack >/dev/null 2>&1 || continue
                measure 1 heaptrack -o "$tmp/ht" "$prog" $t "$VG_OPS"
                row $t "heaptrack" "$VG_OPS" $wall $cpu $sw $sc ""
                bencher_ "peer/heaptrack-${t}t-${VG_OPS}ops" "$(ms_to_s "$wall")"
                rm -f "$tmp"/ht* ;;
            esac
        done
    fi
done
