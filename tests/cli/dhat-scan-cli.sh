#!/bin/sh
# The command line: --help, --version, usage errors (exit 2), a failed
# write to standard output (exit 1), and every long option of --help
# documented in the man page.
# SPDX-License-Identifier: MIT
. "$abs_top_srcdir/tests/cli/setup.sh"
good=$data/dhat/valgrind/basic.dhat
man=$abs_top_srcdir/man/dhat-scan.1

run_ 0 dhat-scan --help
grep_ '^Usage: dhat-scan \[OPTION\]\.\.\. \[FILE\]\.\.\.$' "$tmp/out"
compare_ /dev/null "$tmp/err"
cp "$tmp/out" "$tmp/help"
run_ 0 dhat-scan -h
compare_ "$tmp/help" "$tmp/out"

run_ 0 dhat-scan --version
grep_ "^dhat-scan (benchtrack) $BENCHTRACK_VERSION\$" "$tmp/out"
run_ 0 dhat-scan -V
grep_ "^dhat-scan (benchtrack) $BENCHTRACK_VERSION\$" "$tmp/out"

# Every long option in --help is in the man page, and the other way round.
sed -n 's/^ *\(-[A-Za-z], \)\{0,1\}\(--[a-z-]*\).*/\2/p' "$tmp/help" | sort -u >"$tmp/help-opts"
[ -s "$tmp/help-opts" ] || fail_ "no options found in --help"
while read -r o; do
    pat=$(printf '%s' "$o" | sed 's/-/\\\\-/g')
    grep -q -e "$pat" "$man" || fail_ "$o is in --help, not in dhat-scan.1"
done <"$tmp/help-opts"
sed -n '/^\.SH OPTIONS/,/^\.SH /p' "$man" | grep -o '\\-\\-[a-z][a-z-]*' | sed 's/\\//g' |
    sort -u >"$tmp/man-opts"
while read -r o; do
    grep -q -e "^ *\(-[A-Za-z], \)\{0,1\}$o" "$tmp/help" || fail_ "$o is in dhat-scan.1, not in --help"
done <"$tmp/man-opts"

# Usage errors: exit 2 and a pointer to --help.
for args in '--no-such-option' '-x' '--top' '--top=-1' '--by=peak --top' '--csv'; do
    # shellcheck disable=SC2086
    run_ 2 dhat-scan $args "$good"
done
run_ 2 dhat-scan --by=lines --top 1 "$good"
grep_ "^Try 'dhat-scan --help' for more information\.\$" "$tmp/err"

# Standard output that cannot be written: exit 1 with a message.
if [ -w /dev/full ]; then
    dhat-scan "$good" >/dev/full 2>"$tmp/err" && fail_ ">/dev/full: exit 0"
    grep_ '^dhat-scan: write error' "$tmp/err"
    dhat-scan --top 3 "$good" >/dev/full 2>"$tmp/err" && fail_ "--top >/dev/full: exit 0"
    grep_ '^dhat-scan: write error' "$tmp/err"
    dhat-scan --help >/dev/full 2>"$tmp/err" && fail_ "--help >/dev/full: exit 0"
    grep_ '^dhat-scan: write error' "$tmp/err"
fi

exit $fail
