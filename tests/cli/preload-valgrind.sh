#!/bin/sh
# dhat-preload.so counts what Valgrind's DHAT counts: total blocks and
# bytes (and the global peak) of deterministic programs, run live under
# both.  Named differences, each tested here:
#  - Valgrind counts malloc(0) as 1 byte, we count 0;
#  - at exit Valgrind runs __libc_freeres, which frees libc's own blocks,
#    so t-end is not compared;
#  - this library has thread-local storage, which makes the dynamic
#    loader's per-thread DTV 16 bytes larger.
. "$abs_top_srcdir/tests/cli/setup.sh"
. "$abs_top_srcdir/tests/cli/preload-common.sh"

command -v valgrind >/dev/null 2>&1 || skip_ "valgrind is not installed"
valgrind -q --tool=none true 2>/dev/null || skip_ "valgrind does not run here"
[ -n "$PYTHON" ] || skip_ "python3 is needed to read the files"

cd "$tmp"
# Valgrind adds these to the client's environment; programs that copy
# their environment (python) allocate according to its size.
vgenv="GLIBCPP_FORCE_NEW=1 GLIBCXX_FORCE_NEW=1 LD_LIBRARY_PATH=/usr/lib/debug"

# compare_vg_ NAME BLOCKS_DIFF BYTES_DIFF PEAK CMD...: Valgrind's totals
# minus ours must be exactly BLOCKS_DIFF and BYTES_DIFF; if PEAK is "peak",
# the global peaks (bytes and blocks at t-gmax) must agree too.
compare_vg_() {
    name=$1 dk=$2 db=$3 peakcheck=$4
    shift 4
    valgrind --tool=dhat --dhat-out-file="$tmp/vg.$name" "$@" >/dev/null 2>"$tmp/vg.$name.err" ||
        fail_ "$name: valgrind failed"
    vt=$(sed -n 's/.*Total: *\([0-9,]*\) bytes in \([0-9,]*\) blocks.*/\1 \2/p' "$tmp/vg.$name.err" | tr -d ,)
    vg=$(sed -n 's/.*At t-gmax: *\([0-9,]*\) bytes in \([0-9,]*\) blocks.*/\1 \2/p' "$tmp/vg.$name.err" | tr -d ,)
    mkdir "$tmp/run.$name"
    (cd "$tmp/run.$name" && env $vgenv LD_PRELOAD="$lib" DHAT_FRAMES=0 "$@" >/dev/null) ||
        fail_ "$name: run under dhat-preload.so failed"
    set -- "$tmp/run.$name"/dhat.out.*
    check_files_ "$1"
    ours="$(field_ "$1" 2) $(field_ "$1" 3)"
    set -- $vt
    want="$(($1 - db)) $(($2 - dk))"
    [ "$ours" = "$want" ] ||
        fail_ "$name: totals (bytes blocks) $ours, valgrind $vt, expected $want"
    set -- $tmp/run.$name/dhat.out.*
    peak="$(field_ "$1" 4) $(field_ "$1" 5)"
    # The peak: the same blocks, and bytes apart by at most the named
    # difference (it counts only if its block was live at the peak).
    set -- $peak $vg
    pd=$(($3 - $1))
    if [ "$peakcheck" = peak ] && { [ "$2" != "$4" ] ||
        [ "$pd" -lt "$((db < 0 ? db : 0))" ] || [ "$pd" -gt "$((db > 0 ? db : 0))" ]; }; then
        fail_ "$name: peak (bytes blocks) $peak, valgrind $vg"
    fi
    printf '%s: ours %s, valgrind %s; peak %s, valgrind %s\n' "$name" "$ours" "$vt" "$peak" "$vg"
}

# Small C programs with known patterns.  entry-points makes one malloc(0).
compare_vg_ entry 0 1 peak "$tp/entry-points" valgrind
compare_vg_ workload 0 0 peak "$tp/alloc-workload" 1 3000
# Threads: our library has TLS, so the loader's per-thread DTV block is one
# slot (16 bytes) larger in total than under Valgrind.
compare_vg_ threads 0 -16 peak "$tp/lifecycle" cross-free

# Debian's sort on a fixed input.
awk 'BEGIN { for (i = 0; i < 3000; i++) printf "%d line %d\n", (i * 7919) % 3001, i }' >"$tmp/in.txt"
compare_vg_ sort 0 0 peak sort "$tmp/in.txt"

# A fixed python3 workload, if Debian's python3 is there.  Python's
# allocations depend on its environment, hence the same variables.
if [ -x /usr/bin/python3 ]; then
    PYTHONHASHSEED=0
    export PYTHONHASHSEED
    compare_vg_ python 0 0 peak /usr/bin/python3 -S -c 'import json; print(len(json.dumps(sorted(str(i) for i in range(2000)))))'
fi

exit $fail
