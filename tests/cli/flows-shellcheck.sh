#!/bin/sh
# The flows are POSIX sh, clean under shellcheck (skipped without it).
. "$abs_top_srcdir/tests/cli/setup.sh"

command -v shellcheck >/dev/null 2>&1 || skip_ "shellcheck not installed"
for f in \
    "$abs_top_builddir/scripts/benchtrack-collect" \
    "$abs_top_builddir/scripts/benchtrack-allocs" \
    "$abs_top_builddir/scripts/benchtrack-plot" \
    "$abs_top_builddir/scripts/benchtrack-check" \
    "$abs_top_srcdir/scripts/action-steps.sh" \
    "$abs_top_srcdir/bench/sample/demo.sh" \
    "$abs_top_srcdir/bench/sample/generate.sh"; do
    [ -f "$f" ] || { fail_ "$f: missing"; continue; }
    shellcheck --shell=sh "$f" >"$tmp/out" 2>&1 || {
        fail_ "shellcheck: $f"
        head -n 40 "$tmp/out" >&2
    }
done
exit $fail
