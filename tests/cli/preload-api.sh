#!/bin/sh
# dhat-preload.h: "this call allocates exactly N times", snapshots, reset;
# and the API does nothing when the library is not loaded.
. "$abs_top_srcdir/tests/cli/setup.sh"
. "$abs_top_srcdir/tests/cli/preload-common.sh"

run_ 0 "$tp/api-count"
grep_ 'not preloaded' "$tmp/out"

run_ 0 "$dhatrun" -o "$tmp/api.%p" "$tp/api-count"
grep_ 'build_list(10) allocated 11 blocks' "$tmp/out"
set -- "$tmp"/api.*.built
[ -f "$1" ] || fail_ "no snapshot file"
check_files_ "$1"
# The snapshot carries its label, and the final profile is written too.
grep_ '"label":"built"' "$1"
[ "$(count_files_ "$tmp/api.[0-9]*")" = 2 ] || fail_ "expected the snapshot and the final file"

# A process excluded by DHAT_ONLY sees the API as inactive.
run_ 0 "$dhatrun" --only nothing-matches -o "$tmp/none.%p" "$tp/api-count"
grep_ 'not preloaded' "$tmp/out"
[ "$(count_files_ "$tmp/none.*")" = 0 ] || fail_ "an excluded process wrote a file"

exit $fail
