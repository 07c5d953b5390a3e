#!/bin/sh
# dhat-preload.so: every allocation entry point, argument checks, failed
# allocations, errno across free, malloc_usable_size; and the same program
# gives the same results without the library.
. "$abs_top_srcdir/tests/cli/setup.sh"
. "$abs_top_srcdir/tests/cli/preload-common.sh"

run_ 0 "$tp/entry-points"
grep_ 'profiler absent' "$tmp/out"

for frames in 0 8; do
    for unwinder in eh_frame libunwind libgcc; do
        out="$tmp/ep.$frames.$unwinder"
        run_ 0 env DHAT_UNWINDER=$unwinder "$dhatrun" --frames $frames -o "$out" "$tp/entry-points"
        grep_ 'profiler active' "$tmp/out"
        check_files_ "$out"
    done
done
# With call sites, each entry point has its own frame, as in Valgrind files.
for fn in malloc calloc posix_memalign aligned_alloc memalign valloc pvalloc; do
    for unwinder in eh_frame libunwind libgcc; do
        grep_ "\"0x[0-9A-F]*: $fn+0x[0-9a-f]* (in [^\"]*dhat-preload.so)\"" "$tmp/ep.8.$unwinder"
    done
done
grep_ '"0x[0-9A-F]*: main+0x[0-9a-f]* (in [^"]*entry-points)"' "$tmp/ep.8.eh_frame"
grep_ '"0x[0-9A-F]*: main+0x[0-9a-f]* (in [^"]*entry-points)"' "$tmp/ep.8.libunwind"
grep_ '"0x[0-9A-F]*: main+0x[0-9a-f]* (in [^"]*entry-points)"' "$tmp/ep.8.libgcc"

# An interposer built with -O2 must not call itself (GCC turns malloc +
# memset into calloc): a calloc-heavy run finishes.
run_ 0 timeout 60 "$dhatrun" --frames 0 -o "$tmp/calloc" "$tp/alloc-workload" 1 20000

exit $fail
