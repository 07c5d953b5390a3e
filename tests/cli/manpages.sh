#!/bin/sh
# Every manual page passes mandoc's lint without a warning and carries the
# package version; every program's page documents every long option its
# --help lists.  A page whose program was not built fails: a check that
# looked at nothing must not pass.
. "$abs_top_srcdir/tests/cli/setup.sh"

command -v mandoc >/dev/null 2>&1 || skip_ "mandoc not found (Debian package mandoc)"
# dhat-run is built in preload/, beside the library it loads.
PATH="$abs_top_builddir/preload:$PATH"

checked=0
for page in "$abs_top_srcdir"/man/*.1 "$abs_top_srcdir"/man/*.3; do
    mandoc -T lint -W warning "$page" >"$tmp/lint" 2>&1 || true
    [ -s "$tmp/lint" ] && fail_ "$(cat "$tmp/lint")"
    grep -q "^\.TH .*$BENCHTRACK_VERSION" "$page" ||
        fail_ "$page: .TH does not carry version $BENCHTRACK_VERSION"
    head -n 1 "$page" | grep -q '^\.\\" ' || fail_ "$page: no header comment"
    case $page in
    *.3)
        for section in NAME SYNOPSIS DESCRIPTION; do
            grep -q "^\.SH \"*$section" "$page" || fail_ "$page: no $section section"
        done
        checked=$((checked + 1))
        continue
        ;;
    esac
    prog=$(basename "$page" .1)
    if ! command -v "$prog" >/dev/null 2>&1; then
        fail_ "$page: $prog is not built"
        continue
    fi
    "$prog" --help >"$tmp/help" 2>&1 || fail_ "$prog --help failed"
    for opt in $(grep -o -e '--[a-z][a-z-]*' "$tmp/help" | sort -u); do
        # roff escapes the hyphens: \-\-option
        roff=$(printf '%s' "$opt" | sed 's/-/\\\\-/g')
        grep -q -e "$roff" "$page" || grep -q -e "$opt" "$page" ||
            fail_ "$prog: $opt is in --help but not in $page"
    done
    for section in NAME SYNOPSIS DESCRIPTION 'EXIT STATUS' EXAMPLES; do
        grep -q "^\.SH \"*$section" "$page" || fail_ "$page: no $section section"
    done
    checked=$((checked + 1))
done
total=$(ls "$abs_top_srcdir"/man/*.[13] | wc -l)
[ "$checked" -eq "$total" ] || fail_ "checked $checked of $total manual pages"
echo "checked $checked manual pages"
exit $fail
