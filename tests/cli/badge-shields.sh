#!/bin/sh
# badge draws the shields.io flat badge exactly: "build | passing" is
# byte-identical to shields' own and 88 px wide; widths come from the
# Verdana 11px table per code point, rounded to odd pixels.
. "$abs_top_srcdir/tests/cli/setup.sh"
. "$abs_top_srcdir/tests/cli/charts-lib.sh"

run_ 0 badge --label build --message passing --color brightgreen
svg_ok_ "$tmp/out"
compare_ "$charts/golden/shields-build-passing.svg" "$tmp/out"
cp "$tmp/out" "$tmp/bp.svg"
svg_ok_ "$tmp/bp.svg"
grep_ 'width="88" height="20"' "$tmp/bp.svg"
# Aliases and hex give the same colour.
for c in success 4c1 '#4c1' 4C1; do
    run_ 0 badge --label build --message passing --color "$c"
    svg_ok_ "$tmp/out"
    compare_ "$charts/golden/shields-build-passing.svg" "$tmp/out"
done

# width_ LABEL MESSAGE WIDTH [LABEL_WIDTH]: the badge's total width.
width_() {
    run_ 0 badge --label "$1" --message "$2"
    svg_ok_ "$tmp/out"
    got=$(sed -n 's/^<svg [^>]* width="\([0-9]*\)" height="20".*/\1/p' "$tmp/out")
    [ "$got" = "$3" ] || fail_ "'$1 | $2' is $got px wide, expected $3"
}
width_ build failing 80      # 33.35 -> 33
width_ build passing 88
width_ '' passing 51         # no label: the message alone
width_ coverage '96%' 96     # 50.17 -> 51 + 10; 25.82 -> 25 + 10
width_ '  build  ' ' passing ' 88 # texts are trimmed
# Non-ASCII is measured per code point: 'é' 6.55, '日' and '本' 11 each,
# and a code point the table lacks (an emoji) as 'm', 10.7.
width_ caf 'é' 44            # caf 16.21 -> 17 + 10; é 6.55 -> 7 + 10
width_ x '日本' 50           # x 6.51 -> 7 + 10; 日本 22 -> 23 + 10
width_ x '😀' 38             # 10.7 -> 11 + 10

# Colours: every shields name; light backgrounds get dark text.
for c in brightgreen green yellowgreen yellow orange red blue grey lightgrey \
    critical important informational inactive gray lightgray; do
    run_ 0 badge --label l --message m --color "$c"
    svg_ok_ "$tmp/out"
    grep_ 'fill="#fff" textLength' "$tmp/out"
done
run_ 0 badge --label l --message m --color ffffff
svg_ok_ "$tmp/out"
grep_ '<text x="[0-9]*" y="140" transform="scale(.1)" fill="#333"' "$tmp/out"
grep_ 'fill="#ccc" fill-opacity=".3"' "$tmp/out"
grep_ 'fill="#ffffff"/>' "$tmp/out"
run_ 0 badge --label l --message m --label-color 007EC6
svg_ok_ "$tmp/out"
grep_ '<rect width="[0-9]*" height="20" fill="#007ec6"/>' "$tmp/out"
# The default colour with --message is lightgrey.
run_ 0 badge --message hello
svg_ok_ "$tmp/out"
grep_ 'fill="#9f9f9f"' "$tmp/out"
grep_ 'aria-label="hello"><title>hello</title>' "$tmp/out"
for c in purple '#12' '#1234567' xyz ''; do
    run_ 2 badge --message m --color "$c"
    grep_ "invalid --color" "$tmp/err"
done

exit $fail
