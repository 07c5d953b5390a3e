#!/bin/sh
# A signal handler that allocates (free(malloc(33)) on a 200 us timer,
# setitimer or timer_create) while the main loop allocates 3 million
# blocks: with and without call stacks, the blocks counted are exactly the
# program's own count of its mallocs, and the blocks live at the end
# exactly those it kept.
. "$abs_top_srcdir/tests/cli/setup.sh"
. "$abs_top_srcdir/tests/cli/preload-common.sh"

cd "$tmp"
for timer in itimer posix; do
    for frames in 0 8; do
        f=$tmp/$timer.f$frames
        run_ 0 timeout 300 "$dhatrun" --frames $frames -o "$f" "$tp/signals" $timer 3000000
        read -r _ mallocs _ live _ handler <"$tmp/out" || fail_ "$timer, --frames $frames: no counts"
        check_files_ "$f"
        tbk=$(field_ "$f" 3)
        ebk=$(field_ "$f" 7)
        # The test means nothing unless the handler ran, many times.
        [ "${handler:-0}" -ge 100 ] || fail_ "$timer, --frames $frames: the handler ran ${handler:-0} times"
        [ "$tbk" = "$mallocs" ] ||
            fail_ "$timer, --frames $frames: $tbk blocks counted, the program made $mallocs ($handler in the handler)"
        [ "$ebk" = "$live" ] ||
            fail_ "$timer, --frames $frames: $ebk blocks live at the end, the program kept $live"
    done
done
exit $fail
