# tests/cli/charts-lib.sh: sourced by the sparkline and badge tests, after
# setup.sh.  Checks that SVG files are well-formed XML and render.
# SPDX-License-Identifier: MIT

charts="$data/charts"

command -v xmllint >/dev/null 2>&1 ||
    skip_ "xmllint not found (Debian package libxml2-utils)"
command -v rsvg-convert >/dev/null 2>&1 ||
    skip_ "rsvg-convert not found (Debian package librsvg2-bin)"

# svg_ok_ FILE...: each FILE is well-formed XML and renders to a non-empty
# PNG.
svg_ok_() {
    for f in "$@"; do
        if ! xmllint --noout "$f" 2>"$tmp/xmllint.err"; then
            fail_ "$f is not well-formed XML"
            head -n 5 "$tmp/xmllint.err" >&2
            continue
        fi
        rm -f "$tmp/render.png"
        if ! rsvg-convert -o "$tmp/render.png" "$f" 2>"$tmp/rsvg.err" ||
            ! [ -s "$tmp/render.png" ]; then
            fail_ "$f does not render"
            head -n 5 "$tmp/rsvg.err" >&2
        fi
    done
}

# xml_ok_ FILE...: well-formed only (for many files at once: quick).
xml_ok_() {
    if ! xmllint --noout "$@" 2>"$tmp/xmllint.err"; then
        fail_ "not well-formed XML: $*"
        head -n 5 "$tmp/xmllint.err" >&2
    fi
}

# have_python_: python3 is there for the independent checks.
have_python_() {
    command -v python3 >/dev/null 2>&1
}
