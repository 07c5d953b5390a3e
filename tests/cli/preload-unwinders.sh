#!/bin/sh
# dhat-preload.so's own stack walker (unwind.c, the default) and libunwind
# give the same profile: the same program points, with the same frames and
# counts, for programs built without frame pointers (Debian's sort and
# python3) and for our test programs.  Also the entry points' own names
# come first in every stack, whichever unwinder took it.
. "$abs_top_srcdir/tests/cli/setup.sh"
. "$abs_top_srcdir/tests/cli/preload-common.sh"

[ -n "$PYTHON" ] || skip_ "python3 is needed to read the files"
[ -e /usr/lib/x86_64-linux-gnu/libunwind.so.8 ] || [ -e /lib/x86_64-linux-gnu/libunwind.so.8 ] ||
    skip_ "libunwind.so.8 is not installed: nothing to compare with"
sites="$abs_top_srcdir/tests/preload/dhat-sites.py"
cd "$tmp"
seq 20000 | awk '{ print ($1 * 7919) % 20011 }' >numbers

# same_profile_ NAME COMMAND...: runs COMMAND under both unwinders.
same_profile_() {
    name=$1
    shift
    for u in eh_frame libunwind; do
        env PYTHONHASHSEED=0 DHAT_UNWINDER=$u "$dhatrun" --frames 12 -o "$tmp/$name.$u" "$@" \
            >/dev/null 2>"$tmp/$name.$u.err" ||
            fail_ "$name: the run with DHAT_UNWINDER=$u failed"
        "$PYTHON" "$sites" "$tmp/$name.$u" >"$tmp/$name.$u.sites" ||
            fail_ "$name: cannot read the profile of DHAT_UNWINDER=$u"
    done
    if cmp -s "$tmp/$name.eh_frame.sites" "$tmp/$name.libunwind.sites"; then
        printf '%s: %s program points, the same with both unwinders\n' \
            "$name" "$(wc -l <"$tmp/$name.eh_frame.sites")"
    else
        fail_ "$name: the unwinders disagree"
        diff "$tmp/$name.libunwind.sites" "$tmp/$name.eh_frame.sites" | head -20 >&2
    fi
}

same_profile_ entry "$tp/entry-points"
same_profile_ lifecycle "$tp/lifecycle" cross-free
same_profile_ sort sort -n numbers
if [ -x /usr/bin/python3 ]; then
    # python3 does not allocate quite the same from run to run (now and
    # then one more 128 KiB calloc), whatever the unwinder: a real
    # disagreement shows in every try, such a difference seldom twice.
    tries=0
    while :; do
        tries=$((tries + 1))
        failed=$fail
        fail=0
        same_profile_ python /usr/bin/python3 -S -c \
            'import json; print(len(json.dumps(sorted(str(i) for i in range(2000)))))'
        if [ "$fail" -eq 0 ] || [ "$tries" -eq 3 ]; then
            [ "$failed" -eq 0 ] || fail=$failed
            break
        fi
        fail=$failed
    done
fi

# Each entry point names itself first.
for fn in malloc calloc posix_memalign aligned_alloc memalign valloc pvalloc; do
    grep_ "^[0-9]* [0-9]* $fn+0x1 (in dhat-preload.so) | main+0x" "$tmp/entry.eh_frame.sites"
done
exit $fail
