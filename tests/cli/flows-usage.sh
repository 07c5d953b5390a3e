#!/bin/sh
# The flows' scripts: --help, --version, and usage errors (exit 2).
. "$abs_top_srcdir/tests/cli/setup.sh"

for prog in benchtrack-collect benchtrack-allocs benchtrack-plot benchtrack-check; do
    run_ 0 "$prog" --help
    grep_ "^Usage: $prog" "$tmp/out"
    run_ 0 "$prog" -h
    grep_ "^Usage: $prog" "$tmp/out"
    run_ 0 "$prog" --version
    grep_ "^$prog (benchtrack) $BENCHTRACK_VERSION\$" "$tmp/out"
    run_ 2 "$prog" --no-such-option
    grep_ "^$prog: unrecognized option '--no-such-option'" "$tmp/err"
    grep_ "Try '$prog --help'" "$tmp/err"
done

# A missing option argument, an extra operand, a bad number.
run_ 2 benchtrack-collect --machine
grep_ "requires an argument" "$tmp/err"
run_ 2 benchtrack-collect extra
grep_ "extra operand 'extra'" "$tmp/err"
run_ 2 benchtrack-collect --machine ../x
run_ 2 benchtrack-plot --max-points 0
run_ 2 benchtrack-plot --max-points=x
run_ 2 benchtrack-plot --machine a/b
run_ 2 benchtrack-check --threshold abc
run_ 2 benchtrack-check --threshold=
run_ 2 benchtrack-check --alloc-threshold=-1
run_ 2 benchtrack-check --results-dir
run_ 2 benchtrack-allocs
grep_ "no bench binary given" "$tmp/err"
run_ 2 benchtrack-allocs --frames x ./bin
exit $fail
