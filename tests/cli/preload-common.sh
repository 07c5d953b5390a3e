# tests/cli/preload-common.sh: sourced by the dhat-preload tests after
# setup.sh.  Finds the library, dhat-run and the test programs in the build
# tree, and gives helpers that check the files the library writes.
# SPDX-License-Identifier: MIT

lib="$abs_top_builddir/preload/.libs/dhat-preload.so"
dhatrun="$abs_top_builddir/preload/dhat-run"
tp="$abs_top_builddir/tests/preload"
checker="$abs_top_srcdir/tests/preload/dhat-check.py"
[ -f "$lib" ] || skip_ "$lib not built"
[ -x "$dhatrun" ] || skip_ "$dhatrun not built"

# The library must not be preloaded into the test shell itself, nor into
# sanitized programs; the test programs are built without sanitizers.
unset LD_PRELOAD DHAT_OUT DHAT_FRAMES DHAT_ONLY DHAT_UNWINDER || true

PYTHON=
for p in python3 /usr/bin/python3; do
    if command -v "$p" >/dev/null 2>&1; then
        PYTHON=$p
        break
    fi
done

# check_files_ FILE...: every file is a valid profile; their summary lines
# go to $tmp/sums ("FILE tb tbk gb gbk eb ebk pps frames").
check_files_() {
    [ -n "$PYTHON" ] || skip_ "python3 is needed to check the JSON files"
    if ! "$PYTHON" "$checker" "$@" >"$tmp/sums"; then
        fail_ "invalid profile"
        grep INVALID "$tmp/sums" >&2 || true
    fi
}

# field_ FILE N: field N of FILE's summary line (2 = tb, 3 = tbk, ...).
field_() {
    awk -v f="$1" -v n="$2" '$1 == f { print $n }' "$tmp/sums"
}

# count_files_ GLOB: the number of files matching GLOB.
count_files_() {
    set -- $1
    if [ -e "$1" ]; then echo $#; else echo 0; fi
}
