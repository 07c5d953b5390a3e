#!/bin/sh
# dhat-run --criterion: the profile of the span Criterion times in test
# mode holds the routine's allocations and nothing of the harness's, for
# each of Criterion's loops, and is not written when the span is ambiguous.
# The bench binary is the C stand-in for a Criterion one
# (tests/cli/flows-fakebench.c): before its four clock reads it makes the
# harness's own allocation, as criterion's Routine::bench does.
. "$abs_top_srcdir/tests/cli/setup.sh"
. "$abs_top_srcdir/tests/cli/preload-common.sh"

bench=$abs_top_builddir/tests/cli/flows-fakebench
[ -x "$bench" ] || skip_ "no $bench"
command -v dhat-scan >/dev/null 2>&1 || skip_ "dhat-scan not built"
cd "$tmp"

# span_ NAME: runs benchmark NAME in test mode under dhat-run --criterion,
# the span's profile in $tmp/span.json (removed first).
span_() {
    rm -f "$tmp/span.json"
    run_ 0 "$dhatrun" -o "$tmp/run.json" --criterion "$tmp/span.json" -- \
        "$bench" --bench --test "^$1\$"
    grep_ '^Success$' "$tmp/out"
}

# expect_ NAME ROW: the span of NAME has the dhat-scan row ROW
# (allocs,alloc_bytes,peak_bytes,peak_blocks,end_bytes,end_blocks).
expect_() {
    span_ "$1"
    if [ ! -s "$tmp/span.json" ]; then
        fail_ "$1: no span profile"
        return
    fi
    dhat-scan --bench x "$tmp/span.json" >"$tmp/row" || fail_ "$1: dhat-scan"
    printf 'bench,allocs,alloc_bytes,peak_bytes,peak_blocks,end_bytes,end_blocks\nx,%s\n' "$2" >"$tmp/want"
    compare_ "$tmp/want" "$tmp/row"
}

# iter: the routine's 10 blocks of 32..41 bytes (365 bytes, all live at
# once, freed before the span ends); the harness's 8-byte block, made
# before the timing, is not counted, though the whole run's profile has it.
expect_ 'alloc/10' '10,365,365,10,0,0'
dhat-scan --bench x "$tmp/run.json" >"$tmp/whole" || fail_ "dhat-scan run.json"
[ "$(awk -F, 'NR == 2 { print $2 }' "$tmp/whole")" -ge 11 ] || fail_ "the whole run counts less than 11"
# A routine that allocates nothing reads 0, peak included.
expect_ none '0,0,0,0,0,0'
# iter_batched: the setup's 4000-byte block is made before the span (not
# counted); the routine reallocates it to 8000 bytes: one allocation, and
# the live heap rises 4000 bytes above its level at the span's start with
# no more blocks.  The output is dropped after the timing, before the
# growth is reckoned: nothing kept.
expect_ batched '1,8000,4000,0,0,0'
# iter_custom (two clock reads): the routine's 2 blocks of 100 bytes,
# never freed, are kept.
expect_ custom '2,200,200,2,200,2'
grep_ 'clock reads 1 to 2 of 2' "$tmp/span.json"

# A routine that reads the clock itself makes the span ambiguous: no
# profile, and a line on stderr that says why.
span_ 'clock/2'
[ ! -e "$tmp/span.json" ] || fail_ "a span profile for an ambiguous run"
grep_ '^dhat-criterion: the timed span is ambiguous: clock reads during the benchmark: 5$' "$tmp/err"

# Not a test-mode run: nothing, silently.
rm -f "$tmp/span.json"
run_ 0 "$dhatrun" -o "$tmp/run.json" --criterion "$tmp/span.json" -- "$bench" --bench --list
[ ! -e "$tmp/span.json" ] || fail_ "a span profile for a list-mode run"
[ ! -s "$tmp/err" ] || fail_ "list mode: unexpected stderr"
# A process dhat-preload.so does not profile (--only) has no span.
run_ 0 "$dhatrun" -o "$tmp/run.json" --only 'no-such-*' --criterion "$tmp/span.json" -- \
    "$bench" --bench --test '^none$'
[ ! -e "$tmp/span.json" ] || fail_ "a span profile for an unprofiled process"
# The variable is not inherited by a run without the option.
DHAT_CRITERION_OUT=$tmp/span.json
export DHAT_CRITERION_OUT
run_ 0 "$dhatrun" -o "$tmp/run.json" -- "$bench" --bench --test '^none$'
unset DHAT_CRITERION_OUT
[ ! -e "$tmp/span.json" ] || fail_ "DHAT_CRITERION_OUT inherited"
run_ 2 "$dhatrun" --criterion
grep_ 'requires an argument' "$tmp/err"
run_ 2 "$dhatrun" --criterion= true
grep_ 'needs a file name' "$tmp/err"
exit $fail
