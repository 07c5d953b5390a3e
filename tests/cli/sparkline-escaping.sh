#!/bin/sh
# Any bench name gives well-formed XML with nothing executable: markup,
# quotes, ampersands, control characters (not even legal in XML 1.0),
# UTF-8, and bytes that are not UTF-8 at all.
. "$abs_top_srcdir/tests/cli/setup.sh"
. "$abs_top_srcdir/tests/cli/charts-lib.sh"

printf 'bench,metric,unit,value,version\n' >"$tmp/h.csv"
for name in '<script>alert(1)</script>' '"quoted" & '"'"'single'"'"'' \
    "$(printf 'ctl\001\002\033[31m\177end')" 'naïve/日本語/😀' \
    "$(printf 'bad\377\376utf8\300\257')" ']]><!--'; do
    for v in 100 120; do
        # CSV-quote the name (it may hold quotes).
        q=$(printf '%s' "$name" | sed 's/"/""/g')
        printf '"%s",mean,ns,%s,"v1<&>%s"\n' "$q" "$v" "$v" >>"$tmp/h.csv"
    done
done
run_ 0 sparkline -d "$tmp/img" "$tmp/h.csv"
n=$(ls "$tmp/img" | wc -l)
[ "$n" = 6 ] || fail_ "expected 6 files, got $n"
svg_ok_ "$tmp"/img/*.svg
cat "$tmp"/img/*.svg >"$tmp/all"
nogrep_ '<script' "$tmp/all"
grep_ '&lt;script&gt;alert(1)&lt;/script&gt;' "$tmp/all"
grep_ '&quot;quoted&quot; &amp; &apos;single&apos;' "$tmp/all"
grep_ 'naïve/日本語/😀' "$tmp/all"
grep_ ']]&gt;&lt;!--' "$tmp/all"
# Control characters and bad bytes become U+FFFD.
grep_ 'ctl���\[31m�end' "$tmp/all"
grep_ 'bad��utf8��' "$tmp/all"
# Tags with markup are not exact tags: no release marks.
nogrep_ 'releases' "$tmp/all"
# And the same for one series on standard output.
run_ 0 sparkline --bench '<script>alert(1)</script>' "$tmp/h.csv"
cp "$tmp/out" "$tmp/one.svg"
svg_ok_ "$tmp/one.svg"

# Messages do not pass control characters to the terminal.
printf 'bench,metric,unit,value\n"a\033[31mb",mean,ns,x\n' >"$tmp/ctl.csv"
run_ 1 sparkline "$tmp/ctl.csv"
grep_ "ctl.csv:2: bench 'a?\[31mb': value 'x' is not a number" "$tmp/err"

exit $fail
