#!/bin/sh
# dhat-run: options, output templates, --only, exit status, LD_PRELOAD.
. "$abs_top_srcdir/tests/cli/setup.sh"
. "$abs_top_srcdir/tests/cli/preload-common.sh"

cd "$tmp"

# --help and --version go to stdout; bad usage exits 2.
run_ 0 "$dhatrun" --help
grep_ '^Usage: dhat-run' "$tmp/out"
run_ 0 "$dhatrun" --version
grep_ "^dhat-run (benchtrack) $BENCHTRACK_VERSION" "$tmp/out"
run_ 2 "$dhatrun"
grep_ 'missing command' "$tmp/err"
run_ 2 "$dhatrun" --bogus true
grep_ "unknown option '--bogus'" "$tmp/err"
run_ 2 "$dhatrun" --frames x true
grep_ 'number from 0 to 63' "$tmp/err"
run_ 2 "$dhatrun" --frames 64 true
run_ 2 "$dhatrun" -o
grep_ 'requires an argument' "$tmp/err"

# The command's exit status passes through, and nothing is written when
# the command cannot be executed.
run_ 3 "$dhatrun" -o "$tmp/st.%p" -- sh -c 'exit 3'
run_ 0 "$dhatrun" -o "$tmp/st.%p" -- true
run_ 127 "$dhatrun" -o "$tmp/none.%p" -- "$tmp/no-such-program"

# Template: %p, %e, %n and %%, with missing parent directories created.
run_ 0 "$dhatrun" -o "$tmp/a/b/%e-%p-%n-%%.json" --frames 0 -- "$tp/api-count"
set -- "$tmp"/a/b/api-count-*-1-%.json
[ -f "$1" ] || fail_ "no file from the %e-%p-%n-%% template: $(ls -R "$tmp/a" 2>&1)"
check_files_ "$1"
# With %n, the snapshot api-count writes takes number 1, the final one 2.
[ -f "$(echo "$1" | sed 's/-1-%/-2-%/')" ] || fail_ "no file with sequence number 2"

# A relative template is relative to the directory the program started
# in.  (bash, because Debian's sh, dash, ends with _exit and so writes no
# profile.)
if command -v bash >/dev/null 2>&1; then
    mkdir "$tmp/rel"
    (cd "$tmp/rel" && "$dhatrun" -o out/prof.%p bash -c 'cd / && echo x >/dev/null; true') ||
        fail_ "relative template run"
    [ "$(count_files_ "$tmp/rel/out/prof.*")" -ge 1 ] || fail_ "no file under the starting directory"
fi

# The default name is dhat.out.PID in the current directory.
mkdir "$tmp/def"
(cd "$tmp/def" && "$dhatrun" --frames 2 "$tp/api-count" >/dev/null) || fail_ "default run"
[ "$(count_files_ "$tmp/def/dhat.out.[0-9]*")" -ge 1 ] || fail_ "no dhat.out.PID file"

# --only: sh is not profiled, api-count (which sh runs) is.
mkdir "$tmp/only"
run_ 0 "$dhatrun" --only 'api-c*' -o "$tmp/only/%e.%p" -- sh -c "'$tp/api-count'; true"
[ "$(count_files_ "$tmp/only/api-count.*")" -ge 1 ] || fail_ "--only: api-count not profiled"
[ "$(count_files_ "$tmp/only/sh.*")$(count_files_ "$tmp/only/dash.*")" = 00 ] ||
    fail_ "--only: sh was profiled: $(ls "$tmp/only")"
grep_ 'allocated 11 blocks' "$tmp/out"

# An existing LD_PRELOAD entry is kept, after ours.
run_ 0 env LD_PRELOAD=libm.so.6 "$dhatrun" -o "$tmp/pre.%p" -- sh -c 'echo "$LD_PRELOAD"'
grep_ "^$lib:libm.so.6\$" "$tmp/out"

# A bad DHAT_FRAMES is reported and replaced by the default.
run_ 0 env DHAT_FRAMES=lots DHAT_OUT="$tmp/badframes" LD_PRELOAD="$lib" "$tp/api-count"
grep_ 'DHAT_FRAMES must be a number from 0 to 63; using 8' "$tmp/err"
grep_ '"frames":8' "$tmp/badframes"

# DHAT_PRELOAD_LIB overrides, and a missing library is an error.
run_ 1 env DHAT_PRELOAD_LIB="$tmp/missing.so" "$dhatrun" true
grep_ 'library not found' "$tmp/err"

exit $fail
