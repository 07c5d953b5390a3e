#!/bin/sh
# benchtrack-collect and benchtrack-plot with a results folder that looks
# like an option (-r, -x/dir) and machine ids that hold a backslash, spaces
# or quotes: the files are named as given, the machine column holds the id
# byte for byte, collecting again changes nothing, and the charts are drawn.
. "$abs_top_srcdir/tests/cli/setup.sh"

for p in criterion-scan dhat-scan csv-merge sparkline badge; do
    command -v $p >/dev/null 2>&1 || skip_ "$p not built"
done
unset BENCH_MACHINE GITHUB_RUN_ID GITHUB_SHA SOURCE_DATE_EPOCH BENCHTRACK_DATE || true
BENCHTRACK_COMMIT=777777777777 BENCHTRACK_TAG= BENCHTRACK_RUSTC='rustc 1.0'
export BENCHTRACK_COMMIT BENCHTRACK_TAG BENCHTRACK_RUSTC
cp -R "$data/flows/criterion" "$tmp/crit"
cd "$tmp" || exit 99

# csv_field S: S as a CSV field.
csv_field() {
    case $1 in
        *[\",]*) printf '"%s"' "$(printf '%s' "$1" | sed 's/"/""/g')" ;;
        *) printf '%s' "$1" ;;
    esac
}

for m in 'win\tbox' "it's a \"box\",  two"; do
    for r in res -r -x/dir; do
        h=./$r/$m.csv
        BENCHTRACK_DATE=2026-01-07T00:00:00Z run_ 0 benchtrack-collect -m "$m" -r "$r" -c crit
        [ -f "$h" ] || { fail_ "no file '$h'"; continue; }
        grep -F -q -e "on machine $m, 1 with allocation data" "$tmp/out" ||
            fail_ "the summary names the machine otherwise: $(cat "$tmp/out")"
        # Every row of the three benches, mean and median, on this machine
        # (the column after rustc).
        n=$(grep -c -F -e ",rustc 1.0,$(csv_field "$m")" "$h") || true
        [ "$n" -eq 6 ] || fail_ "$h: $n rows with the machine '$m', expected 6"
        # Again, without the date: the history gives it back (its rows are
        # found by machine), and nothing changes.
        cp "$h" "$tmp/before.csv"
        run_ 0 benchtrack-collect -m "$m" -r "$r" -c crit
        compare_ "$tmp/before.csv" "$h"

        run_ 0 benchtrack-plot -q -m "$m" -r "$r" -o "$r/img"
        for f in alloc_10_time.svg alloc_10_time_badge.svg alloc_10_allocs.svg \
            alloc_10_allocs_badge.svg none_time.svg none_time_badge.svg README.md; do
            [ -s "./$r/img/$f" ] || fail_ "no ./$r/img/$f"
        done
        if [ -f "./$r/img/README.md" ]; then
            grep -F -q -e "# Benchmarks on \`$m\`" "./$r/img/README.md" ||
                fail_ "./$r/img/README.md: not titled with the machine '$m'"
        fi
        rm -rf "./$r"
    done
done
[ ! -e "$tmp/x" ] || fail_ "a folder x was made"
exit $fail
