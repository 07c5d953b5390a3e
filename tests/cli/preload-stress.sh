#!/bin/sh
# dhat-preload.so under load and inside real programs: 16 threads doing
# 10 million allocations and frees, python3, git, gcc, bash.  No crash,
# hang or lost file, and every file parses.
. "$abs_top_srcdir/tests/cli/setup.sh"
. "$abs_top_srcdir/tests/cli/preload-common.sh"

cd "$tmp"
T="timeout 120"

# 16 threads, 10 million malloc+free pairs in all: totals exact.
run_ 0 $T "$dhatrun" --frames 0 -o "$tmp/th16.f0" "$tp/alloc-workload" 16 10000000
check_files_ "$tmp/th16.f0"
# 10 M blocks by the workload (+ its 16 x 256 final frees), plus stdio.
tbk=$(field_ "$tmp/th16.f0" 3)
[ "$tbk" -ge 10000000 ] && [ "$tbk" -le 10000100 ] || fail_ "16 threads: $tbk blocks"
# Live at exit: stdout's buffer and glibc's per-thread leftovers only.
[ "$(field_ "$tmp/th16.f0" 7)" -le 32 ] || fail_ "16 threads: blocks left live at exit"
# And with call stacks, fewer operations.
run_ 0 $T "$dhatrun" --frames 8 -o "$tmp/th16.f8" "$tp/alloc-workload" 16 1000000
check_files_ "$tmp/th16.f8"
grep_ '"0x[0-9A-F]*: calloc+0x[0-9a-f]* (in [^"]*dhat-preload.so)"' "$tmp/th16.f8"
grep_ '"0x[0-9A-F]*: alloc-workload+0x[0-9a-f]* (in [^"]*alloc-workload)"' "$tmp/th16.f8"

mkdir progs
prof="$tmp/progs/%e.%p"
# python3 (threads included).
if [ -x /usr/bin/python3 ]; then
    run_ 0 $T "$dhatrun" -o "$prof" /usr/bin/python3 -c '
import threading, json
def work():
    for i in range(2000):
        json.loads(json.dumps({"k": list(range(i % 50))}))
ts = [threading.Thread(target=work) for _ in range(4)]
[t.start() for t in ts]; [t.join() for t in ts]
print("done")'
    grep_ '^done$' "$tmp/out"
fi
# git, in a fresh repository.
if command -v git >/dev/null 2>&1; then
    git init -q "$tmp/repo"
    printf 'hello\n' >"$tmp/repo/f"
    run_ 0 $T "$dhatrun" -o "$prof" git -C "$tmp/repo" -c user.name=t -c user.email=t@e \
        commit -q --allow-empty -m test
    run_ 0 $T "$dhatrun" -o "$prof" git -C "$tmp/repo" log --oneline
fi
# gcc compiling a file (gcc runs cc1, as and collect2/ld).
if command -v gcc >/dev/null 2>&1; then
    printf '#include <stdio.h>\nint main(void) { puts("hi"); return 0; }\n' >"$tmp/hello.c"
    run_ 0 $T "$dhatrun" -o "$prof" gcc -O2 -o "$tmp/hello" "$tmp/hello.c"
    run_ 0 "$tmp/hello"
    grep_ '^hi$' "$tmp/out"
fi
# bash running a script that forks and execs.
if command -v bash >/dev/null 2>&1; then
    printf 'for i in 1 2 3; do x=$(echo $i | tr 1 a); done; echo "$x" | sort; exit 4\n' >"$tmp/s.sh"
    run_ 4 $T "$dhatrun" -o "$prof" bash "$tmp/s.sh"
fi
set -- "$tmp"/progs/*
[ -e "$1" ] || skip_ "none of python3, git, gcc, bash is installed"
check_files_ "$@"
printf '%d profiles from real programs\n' $#
# They all load in Valgrind's viewer too.
viewer=/usr/libexec/valgrind/dh_view.js
if [ -f "$viewer" ] && command -v node >/dev/null 2>&1; then
    run_ 0 node "$abs_top_srcdir/tests/preload/dh-view-check.js" "$viewer" "$@" \
        "$tmp/th16.f0" "$tmp/th16.f8"
    nogrep_ ': ERROR' "$tmp/out"
    loaded=$(grep -c ': OK$' "$tmp/out" || true)
    printf '%s files loaded in the viewer\n' "$loaded"
    [ "$loaded" = $(($# + 2)) ] || fail_ "only $loaded of $(($# + 2)) files loaded in the viewer"
else
    echo "node or $viewer missing: files not loaded in the viewer"
fi
for p in python3 git cc1 bash; do
    command -v "${p%1}" >/dev/null 2>&1 || continue
    ls "$tmp/progs" | grep -q "^$p" || ls "$tmp/progs" | grep -q "^${p}\." ||
        fail_ "no profile of $p: $(ls "$tmp/progs" | tr '\n' ' ')"
done

exit $fail
