#!/bin/sh
# criterion-scan: --help, --version, usage errors, a failed write, and every
# long option of --help documented in the man page.
# SPDX-License-Identifier: MIT
. "$abs_top_srcdir/tests/cli/setup.sh"
tree="$data/criterion/real/criterion"

run_ 0 criterion-scan --help
grep_ '^Usage: criterion-scan ' "$tmp/out"
grep_ '--metrics' "$tmp/out"
[ -s "$tmp/err" ] && fail_ "--help wrote to stderr"
run_ 0 criterion-scan -h

run_ 0 criterion-scan --version
grep_ "^criterion-scan (benchtrack) $BENCHTRACK_VERSION\$" "$tmp/out"
run_ 0 criterion-scan -V

# Usage errors: exit 2 and a hint, nothing on stdout.
for args in "--no-such-option" "--metrics=mean,nope" "-m ''" "--metrics=" \
    "--baseline=" "--baseline=a/b" "--baseline=.." "--baseline=change" "-x"; do
    eval "run_ 2 criterion-scan $args \"\$tree\""
    grep_ "Try 'criterion-scan --help' for more information" "$tmp/err"
    [ -s "$tmp/out" ] && fail_ "output on a usage error: $args"
done
run_ 2 criterion-scan --metrics
run_ 2 criterion-scan --no-such-option
grep_ "^criterion-scan: unrecognized option '--no-such-option'\$" "$tmp/err"
run_ 2 criterion-scan -x
grep_ "^criterion-scan: invalid option -- 'x'\$" "$tmp/err"
run_ 2 criterion-scan --metrics
grep_ "^criterion-scan: option '--metrics' requires an argument\$" "$tmp/err"
run_ 2 criterion-scan --baseline=a/b
grep_ "^criterion-scan: invalid baseline name 'a/b'\$" "$tmp/err"
# change/ holds relative changes (fractions), which are no times.
run_ 2 criterion-scan --baseline change "$tree"
grep_ "^criterion-scan: invalid baseline name 'change': Criterion's change/ folders hold relative changes, not times\$" "$tmp/err"
run_ 2 criterion-scan --metrics=mean,nope "$tree"
grep_ "^criterion-scan: unknown metric 'nope' in --metrics\$" "$tmp/err"

# Repeated metrics count once; the order given is the order written.
run_ 0 criterion-scan -m median,mean,median "$tree"
sed -n '2,3p' "$tmp/out" | cut -d, -f1-2 >"$tmp/got"
printf 'custom/ticks,median\ncustom/ticks,mean\n' >"$tmp/want"
compare_ "$tmp/want" "$tmp/got"

# A write that fails is an error.
if [ -w /dev/full ]; then
    run_ 1 sh -c 'criterion-scan "$1" >/dev/full' sh "$tree"
    grep_ '^criterion-scan: write error' "$tmp/err"
    run_ 1 sh -c 'criterion-scan --help >/dev/full'
fi

# Every long option of --help is in the man page.
man="$abs_top_srcdir/man/criterion-scan.1"
criterion-scan --help | grep -o -e '--[a-z][a-z-]*' | sort -u >"$tmp/opts"
[ -s "$tmp/opts" ] || fail_ "no long options in --help"
while read -r opt; do
    # roff writes the hyphens as \-.
    pat=$(printf '%s' "$opt" | sed 's/-/\\\\-/g')
    grep -q -e "$pat" "$man" || fail_ "$opt is not in the man page"
done <"$tmp/opts"
exit $fail
