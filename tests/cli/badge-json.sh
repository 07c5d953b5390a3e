#!/bin/sh
# badge --format json: the shields.io endpoint JSON.
. "$abs_top_srcdir/tests/cli/setup.sh"
charts="$data/charts"

run_ 0 badge -b bfs/1000000 --format json "$data/rustychickpeas/github.csv"
printf '{"schemaVersion":1,"label":"time","message":"283.70 ms (+5.7%%)","color":"red"}\n' >"$tmp/want"
compare_ "$tmp/want" "$tmp/out"
run_ 0 badge --format json --label build --message passing --color brightgreen
printf '{"schemaVersion":1,"label":"build","message":"passing","color":"brightgreen"}\n' >"$tmp/want"
compare_ "$tmp/want" "$tmp/out"
run_ 0 badge --format json --label 'a/b "c"' --message m --color '#ABC' --label-color blue
printf '{"schemaVersion":1,"label":"a/b \\"c\\"","message":"m","color":"abc","labelColor":"007ec6"}\n' >"$tmp/want"
compare_ "$tmp/want" "$tmp/out"
run_ 0 badge --format json -b bfs/1000000 --label speed --color 123456 "$data/rustychickpeas/github.csv"
printf '{"schemaVersion":1,"label":"speed","message":"283.70 ms (+5.7%%)","color":"123456"}\n' >"$tmp/want"
compare_ "$tmp/want" "$tmp/out"
if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["schemaVersion"] == 1' "$tmp/out" ||
        fail_ "not JSON"
fi

exit $fail
