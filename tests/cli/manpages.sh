#!/bin/sh
# Every program's manual documents every long option its --help lists, and
# carries the package version.
. "$abs_top_srcdir/tests/cli/setup.sh"

checked=0
for page in "$abs_top_srcdir"/man/*.1; do
    prog=$(basename "$page" .1)
    command -v "$prog" >/dev/null 2>&1 || continue
    "$prog" --help >"$tmp/help" 2>&1 || fail_ "$prog --help failed"
    for opt in $(grep -o -e '--[a-z][a-z-]*' "$tmp/help" | sort -u); do
        # roff escapes the hyphens: \-\-option
        roff=$(printf '%s' "$opt" | sed 's/-/\\\\-/g')
        grep -q -e "$roff" "$page" || grep -q -e "$opt" "$page" ||
            fail_ "$prog: $opt is in --help but not in $page"
    done
    grep -q "^\.TH .*$BENCHTRACK_VERSION" "$page" ||
        fail_ "$page: .TH does not carry version $BENCHTRACK_VERSION"
    for section in NAME SYNOPSIS DESCRIPTION 'EXIT STATUS' EXAMPLES; do
        grep -q "^\.SH \"*$section" "$page" || fail_ "$page: no $section section"
    done
    checked=$((checked + 1))
done
[ "$checked" -gt 0 ] || fail_ "no manual page checked"
echo "checked $checked manual pages"
exit $fail
