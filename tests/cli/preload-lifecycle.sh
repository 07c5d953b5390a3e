#!/bin/sh
# dhat-preload.so across fork, exec, threads and exit paths: every process
# that exits normally writes its own file; _exit and abort write none.
. "$abs_top_srcdir/tests/cli/setup.sh"
. "$abs_top_srcdir/tests/cli/preload-common.sh"

cd "$tmp"
T="timeout 60"

# fork: parent and child each write their own profile.  The child's starts
# at the fork: it holds its 12345-byte block and not the parent's.
mkdir fork
run_ 0 $T "$dhatrun" -o "$tmp/fork/%p" "$tp/lifecycle" fork
set -- "$tmp"/fork/*
[ $# = 2 ] || fail_ "fork: expected 2 files, got $#"
check_files_ "$@"
grep -q '"tb":12345,' "$1" "$2" || fail_ "fork: the child's block is missing"
for f in "$@"; do
    if grep -q '"tb":12345,' "$f" && grep -q '"tb":54321,' "$f"; then
        fail_ "fork: $f holds both processes' blocks"
    fi
done

# fork while four threads allocate (their locks and counters must not
# break the child).
mkdir forkth
run_ 0 $T "$dhatrun" --frames 4 -o "$tmp/forkth/%p" "$tp/lifecycle" fork-threads
[ "$(count_files_ "$tmp/forkth/*")" = 2 ] || fail_ "fork-threads: expected 2 files"
check_files_ "$tmp"/forkth/*

# A chain of fork + exec: one file per process.
mkdir chain
run_ 0 $T "$dhatrun" -o "$tmp/chain/%p" "$tp/lifecycle" chain 5
[ "$(count_files_ "$tmp/chain/*")" = 6 ] || fail_ "chain: expected 6 files, got $(ls chain | wc -l)"
check_files_ "$tmp"/chain/*

# exit() from a thread other than main.
run_ 3 $T "$dhatrun" -o "$tmp/thexit" "$tp/lifecycle" thread-exit
check_files_ "$tmp/thexit"

# main returns through pthread_exit; the last thread ends the process.
run_ 0 $T "$dhatrun" -o "$tmp/pexit" "$tp/lifecycle" main-pthread-exit
check_files_ "$tmp/pexit"
grep_ '"tb":77,' "$tmp/pexit"

# Blocks freed by another thread than the one that made them: exact.
run_ 0 $T "$dhatrun" -o "$tmp/cross" "$tp/lifecycle" cross-free
check_files_ "$tmp/cross"
grep_ '"tb":16000,"tbk":1000,.*"eb":0,"ebk":0' "$tmp/cross"

# dlopen/dlclose of a library that allocates: its frames are named before
# it is unmapped.
run_ 0 $T "$dhatrun" -o "$tmp/dl" "$tp/lifecycle" dlopen
check_files_ "$tmp/dl"
if ! grep -q 'not available' "$tmp/out"; then
    grep_ 'deflateInit2*_+0x[0-9a-f]* (in [^"]*libz\.so' "$tmp/dl"
fi

# C++: exceptions still unwind with the profiler's unwinder loaded (it is
# loaded privately), and aligned new reaches aligned_alloc.
if command -v g++ >/dev/null 2>&1; then
    cat >"$tmp/cxx.cc" <<'CXX'
#include <cstdio>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>
struct alignas(64) Wide { char b[64]; };
static int depth(int n) {
    std::vector<std::string> v(3, std::string(40, 'x'));
    if (n == 0)
        throw std::runtime_error("bottom");
    return depth(n - 1) + (int)v.size();
}
int main() {
    int caught = 0;
    for (int i = 0; i < 100; i++) {
        try { depth(5); } catch (const std::exception &) { caught++; }
    }
    static Wide *volatile keep;
    keep = new Wide[3];
    keep[1].b[0] = 1;
    delete[] keep;
    std::printf("caught %d\n", caught);
    return caught == 100 ? 0 : 1;
}
CXX
    if g++ -std=c++17 -O1 -o "$tmp/cxx" "$tmp/cxx.cc" 2>"$tmp/cxx.err"; then
        run_ 0 $T "$dhatrun" --frames 12 -o "$tmp/cxxprof" "$tmp/cxx"
        grep_ '^caught 100$' "$tmp/out"
        check_files_ "$tmp/cxxprof"
        grep_ 'aligned_alloc+0x' "$tmp/cxxprof"
    fi
fi

# _exit and abort run no exit handlers: no file, and no crash beyond the
# abort itself.
run_ 0 $T "$dhatrun" -o "$tmp/uexit" "$tp/lifecycle" _exit
[ ! -e "$tmp/uexit" ] || fail_ "_exit wrote a file"
run_ 134 $T "$dhatrun" -o "$tmp/abort" "$tp/lifecycle" abort
[ ! -e "$tmp/abort" ] || fail_ "abort wrote a file"

# The peak with two threads that each hold at most 1 MiB: never above
# 2 MiB plus main's block and the threads' own (a thread's change counted
# twice, once flushed and once not, once made it 3 MiB), and at least the
# 1 MiB every iteration reaches.
for frames in 0 8; do
    run_ 0 $T "$dhatrun" --frames $frames -o "$tmp/peak.$frames" "$tp/lifecycle" peak-threads
    check_files_ "$tmp/peak.$frames"
    gb=$(field_ "$tmp/peak.$frames" 4)
    [ "$gb" -ge 1048576 ] && [ "$gb" -le $((2 * 1048576 + 65536)) ] ||
        fail_ "peak-threads, --frames $frames: peak $gb bytes, outside 1 MiB to 2 MiB + 64 KiB"
done

# Lifetimes.  With call stacks each block's is exact to the coarse clock
# (a few ms): the 1001-byte block lived 300 ms, the 2002-byte one 200 ms
# until the end.  Without, every block is one program point and each
# thread reads the clock every 64th allocation or free, so the sum holds
# those two and the block main keeps for the whole run (te), plus up to
# the 300 ms pause for each block allocated after it and freed after the
# next clock read (here one or two).
if [ -n "$PYTHON" ]; then
    for frames in 8 0; do
        run_ 0 $T "$dhatrun" --frames $frames -o "$tmp/life.$frames" "$tp/lifecycle" lifetime
        "$PYTHON" - "$tmp/life.$frames" $frames >"$tmp/life.$frames.out" 2>&1 <<'PY' ||
import json, sys
d = json.load(open(sys.argv[1]))
te, ms = d["te"], 1000
def near(what, got, want, slack=60 * ms, more=0):
    print("%s: tl %d us, expected %d to %d" % (what, got, want - slack, want + more + slack))
    if not want - slack <= got <= want + more + slack:
        sys.exit(1)
if sys.argv[2] == "8":
    by = {p["tb"]: p for p in d["pps"]}
    near("1001-byte block", by[1001]["tl"], 300 * ms)
    near("2002-byte block", by[2002]["tl"], 200 * ms)
else:
    near("all blocks", sum(p["tl"] for p in d["pps"]), 300 * ms + 200 * ms + te, more=600 * ms)
PY
            fail_ "lifetimes with --frames $frames: $(cat "$tmp/life.$frames.out")"
        cat "$tmp/life.$frames.out"
    done
fi

# Small blocks, even empty ones, bring the clock along as they are freed:
# 4000 of them that lived 300 ms average about 300 ms in both modes (their
# frees once went 4096 to a clock read, and came out at 2 ms).
if [ -n "$PYTHON" ]; then
    for frames in 8 0; do
        run_ 0 $T "$dhatrun" --frames $frames -o "$tmp/small.$frames" "$tp/lifecycle" lifetime-small
        "$PYTHON" - "$tmp/small.$frames" >"$tmp/small.$frames.out" 2>&1 <<'PY' ||
import json, sys
d = json.load(open(sys.argv[1]))
tl = sum(p["tl"] for p in d["pps"])
mean = tl / 4000
print("4000 small blocks: mean lifetime %d us, expected 240000 to 400000" % mean)
sys.exit(0 if 240000 <= mean <= 400000 else 1)
PY
            fail_ "small blocks with --frames $frames: $(cat "$tmp/small.$frames.out")"
        cat "$tmp/small.$frames.out"
    done
fi

# No temporary file is left behind anywhere.
if find "$tmp" -name '*.tmp[0-9]*' | grep -q .; then
    fail_ "temporary files left: $(find "$tmp" -name '*.tmp[0-9]*')"
fi

exit $fail
