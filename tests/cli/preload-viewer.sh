#!/bin/sh
# Every kind of file dhat-preload.so writes loads in Valgrind's own viewer
# (dh_view.js run headless under node).
. "$abs_top_srcdir/tests/cli/setup.sh"
. "$abs_top_srcdir/tests/cli/preload-common.sh"

viewer=/usr/libexec/valgrind/dh_view.js
[ -f "$viewer" ] || skip_ "$viewer is missing (Debian package valgrind)"
command -v node >/dev/null 2>&1 || skip_ "node is not installed"

cd "$tmp"
run_ 0 "$dhatrun" --frames 0 -o "$tmp/v.frames0" "$tp/entry-points"
run_ 0 "$dhatrun" --frames 12 -o "$tmp/v.frames12" "$tp/entry-points"
run_ 0 "$dhatrun" --frames 1 -o "$tmp/v.frames1" "$tp/alloc-workload" 4 20000
run_ 0 "$dhatrun" -o "$tmp/v.api.%n" "$tp/api-count"
run_ 0 "$dhatrun" -o "$tmp/v.dlopen" "$tp/lifecycle" dlopen
run_ 0 "$dhatrun" -o "$tmp/v.sort" sort "$abs_top_srcdir/README.md"
# An empty profile (a program that allocates nothing).
run_ 0 "$dhatrun" -o "$tmp/v.true" true
# A command line that needs escaping.
run_ 0 "$dhatrun" -o "$tmp/v.quote" sh -c 'printf "%s\n" "a\"b\\c	d" >/dev/null'

set -- "$tmp"/v.*
check_files_ "$@"
run_ 0 node "$abs_top_srcdir/tests/preload/dh-view-check.js" "$viewer" "$@"
cat "$tmp/out"
nogrep_ 'ERROR' "$tmp/out"
[ "$(grep -c ': OK$' "$tmp/out")" = $# ] || fail_ "not every file loaded"

# The checker itself rejects what the viewer rejects.
printf '{"dhatFileVersion":2}\n' >"$tmp/bad2.json"
run_ 1 node "$abs_top_srcdir/tests/preload/dh-view-check.js" "$viewer" "$tmp/bad2.json"
grep_ 'missing a field' "$tmp/out"

exit $fail
