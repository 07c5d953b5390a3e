#!/bin/sh
# Optional live check: when valgrind and a C compiler are at hand, profile
# the fixture programs now and compare dhat-scan's totals with the summary
# Valgrind prints.  Skipped otherwise (the committed profiles are checked
# by dhat-scan-valgrind.sh in any case).
# SPDX-License-Identifier: MIT
. "$abs_top_srcdir/tests/cli/setup.sh"
src=$data/dhat/src
cc=${CC:-cc}
command -v valgrind >/dev/null 2>&1 || skip_ "valgrind is not installed"
command -v "$cc" >/dev/null 2>&1 || skip_ "no C compiler ($cc)"

summary() {
    sed -n "s/^==[0-9]*== $2: *\([0-9,]*\) [a-z]* in \([0-9,]*\) [a-z]*\$/\1 \2/p" "$1" | tr -d ,
}

for prog in basic leak; do
    "$cc" -g -O0 -fno-builtin -o "$tmp/$prog" "$src/$prog.c" || skip_ "cannot compile $prog.c"
    valgrind --tool=dhat --dhat-out-file="$tmp/$prog.dhat" \
        "$tmp/$prog" 2>"$tmp/$prog.stderr" || fail_ "valgrind $prog"
    set -- $(summary "$tmp/$prog.stderr" Total) $(summary "$tmp/$prog.stderr" 'At t-gmax') \
        $(summary "$tmp/$prog.stderr" 'At t-end')
    [ $# -eq 6 ] || { fail_ "$prog: no Valgrind summary"; continue; }
    run_ 0 dhat-scan -b "$prog" "$tmp/$prog.dhat"
    printf 'bench,allocs,alloc_bytes,peak_bytes,peak_blocks,end_bytes,end_blocks\n%s,%s,%s,%s,%s,%s,%s\n' \
        "$prog" "$2" "$1" "$3" "$4" "$5" "$6" >"$tmp/exp"
    compare_ "$tmp/exp" "$tmp/out"
done
# And the counts known from basic.c's source.
run_ 0 dhat-scan -b basic "$tmp/basic.dhat"
grep_ '^basic,7,372,224,3,32,1$' "$tmp/out"

exit $fail
