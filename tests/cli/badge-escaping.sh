#!/bin/sh
# Any label, message or bench name gives well-formed XML and valid JSON,
# with nothing executable.
. "$abs_top_srcdir/tests/cli/setup.sh"
. "$abs_top_srcdir/tests/cli/charts-lib.sh"

i=0
for text in '<script>alert(1)</script>' '"q" & '"'"'s'"'"'' "$(printf 'a\001b\033c\177d')" \
    'naïve 日本語 😀' "$(printf 'bad\377\300\257x')" ']]><!--'; do
    i=$((i + 1))
    run_ 0 badge --label "$text" --message "$text"
    cp "$tmp/out" "$tmp/b$i.svg"
    run_ 0 badge --label "$text" --message "$text" --format json
    cp "$tmp/out" "$tmp/b$i.json"
    if command -v python3 >/dev/null 2>&1; then
        python3 -c 'import json,sys; json.load(open(sys.argv[1], encoding="utf-8"))' "$tmp/b$i.json" ||
            fail_ "invalid JSON for $text"
    fi
done
svg_ok_ "$tmp"/b*.svg
cat "$tmp"/b*.svg >"$tmp/all"
nogrep_ '<script' "$tmp/all"
grep_ 'aria-label="&lt;script&gt;alert(1)&lt;/script&gt;: &lt;script&gt;' "$tmp/all"
grep_ '&quot;q&quot; &amp; &apos;s&apos;' "$tmp/all"
grep_ 'a�b�c�d' "$tmp/all"
grep_ 'naïve 日本語 😀' "$tmp/all"
grep_ 'bad���x' "$tmp/all"
grep_ '"label":"a�b�c�d"' "$tmp/b3.json"
grep_ '"label":"bad���x"' "$tmp/b5.json"

# Bench names in -d mode.
printf 'bench,metric,unit,value\n"<b>&""x""</b>",mean,ns,1\n"<b>&""x""</b>",mean,ns,2\n' >"$tmp/h.csv"
run_ 0 badge -d "$tmp/img" "$tmp/h.csv"
ls "$tmp/img" >"$tmp/files"
printf '_b___x___b__time_badge.svg\n' >"$tmp/want"
compare_ "$tmp/want" "$tmp/files"
svg_ok_ "$tmp"/img/*.svg

exit $fail
