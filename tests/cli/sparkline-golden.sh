#!/bin/sh
# sparkline's output is byte-stable: the same as the reviewed golden files,
# whatever the locale.
. "$abs_top_srcdir/tests/cli/setup.sh"
. "$abs_top_srcdir/tests/cli/charts-lib.sh"
g="$charts/golden"

check_() {
    expected=$1
    shift
    run_ 0 sparkline "$@"
    compare_ "$g/$expected" "$tmp/out"
}

check_ builder_add_nodes_100000_time.svg -b builder_add_nodes/100000 "$data/rustychickpeas/github.csv"
check_ builder_add_nodes_100000_time.txt -b builder_add_nodes/100000 --text "$data/rustychickpeas/github.csv"
check_ builder_add_nodes_100000_ops.svg -b builder_add_nodes/100000 --ops "$data/rustychickpeas/github.csv"
check_ snapshot_get_nodes_with_label_10000_raw.svg -b snapshot_get_nodes_with_label/10000 --raw "$data/rustychickpeas/local.csv"
check_ parse_json_allocs.svg -b parse/json --field allocs "$charts/allocs.csv"
svg_ok_ "$g"/*.svg

# -d writes the same bytes as stdout.
run_ 0 sparkline -d "$tmp/img" -b builder_add_nodes/100000 "$data/rustychickpeas/github.csv"
compare_ "$g/builder_add_nodes_100000_time.svg" "$tmp/img/builder_add_nodes_100000_time.svg"
run_ 0 sparkline -d "$tmp/img" "$charts/allocs.csv"
compare_ "$g/parse_json_allocs.svg" "$tmp/img/parse_json_allocs.svg"
svg_ok_ "$tmp"/img/*.svg

# A locale with a decimal comma changes nothing.
for loc in de_DE.UTF-8 fr_FR.UTF-8 C.UTF-8; do
    if locale -a 2>/dev/null | grep -qi "^$(echo "$loc" | sed 's/UTF-8/utf-\\?8/')\$"; then
        LC_ALL=$loc sparkline -b builder_add_nodes/100000 "$data/rustychickpeas/github.csv" >"$tmp/loc.svg" ||
            fail_ "LC_ALL=$loc failed"
        compare_ "$g/builder_add_nodes_100000_time.svg" "$tmp/loc.svg"
    fi
done

exit $fail
