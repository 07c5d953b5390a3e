# tests/cli/setup.sh: sourced by every shell test.
#
# Gives each test a private scratch folder ($tmp), the C locale, and small
# helpers.  A test runs commands, compares what they print with what it
# expects, and ends with "exit $fail".  Exit 77 means skipped.
# SPDX-License-Identifier: MIT

set -eu
LC_ALL=C
export LC_ALL
: "${abs_top_srcdir:?run the tests through make check}"
: "${abs_top_builddir:?run the tests through make check}"
data="$abs_top_srcdir/tests/data"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/benchtrack-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail=0

# Under the sanitizers a leak is a failure too.
# A distinct exit status, so that a sanitizer report is never mistaken for
# the exit 1 a test expects from bad input.
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:exitcode=86}
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:exitcode=86}
export ASAN_OPTIONS UBSAN_OPTIONS

# fail_ MESSAGE: record a failure and go on.
fail_() {
    printf 'FAIL: %s\n' "$*" >&2
    fail=1
}

# skip_ REASON: the whole test is skipped.
skip_() {
    printf 'SKIP: %s\n' "$*" >&2
    exit 77
}

# run_ STATUS CMD...: runs CMD with stdout in $tmp/out and stderr in
# $tmp/err, and records a failure unless it exits with STATUS.
run_() {
    want=$1
    shift
    set +e
    "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    set -e
    if [ "$got" -ne "$want" ]; then
        fail_ "exit $got, expected $want: $*"
        sed 's/^/  stderr: /' "$tmp/err" | head -n 20 >&2
    fi
}

# compare_ EXPECTED ACTUAL: records a failure, with a diff, when the two
# files differ.
compare_() {
    if ! cmp -s "$1" "$2"; then
        fail_ "$2 differs from $1"
        diff -u "$1" "$2" | head -n 40 >&2 || true
    fi
}

# grep_ PATTERN FILE: records a failure unless FILE has a line matching the
# basic regular expression PATTERN.
grep_() {
    if ! grep -q -e "$1" "$2"; then
        fail_ "no line matching '$1' in $2"
        head -n 20 "$2" | sed 's/^/  /' >&2
    fi
}

# nogrep_ PATTERN FILE: the opposite.
nogrep_() {
    if grep -q -e "$1" "$2"; then
        fail_ "unexpected line matching '$1' in $2"
    fi
}
