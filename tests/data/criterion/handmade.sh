#!/bin/sh
# handmade.sh: writes the hand-built fixtures, the formats no Debian package
# can produce here, from their documented shapes (see
# tests/data/criterion/README.md):
#   old/criterion/   estimates.json with the capitalised keys of Criterion.rs
#                    0.2.x to 0.3.2 (Mean, Median, MedianAbsDev, Slope, StdDev)
#   cargo-criterion.jsonl   cargo-criterion --message-format=json lines
#   bad/             broken inputs, one case each
#   nested/criterion/  benchmarks named new, base, change and report inside
#                    the folder of another benchmark, and at the top
#   misc/            a bencher log with thousands separators, libtest
#                    decimals and interleaved output; libtest logs (padded
#                    names, MB/s); benchmarks printing to stdout; --quick
#                    bencher lines; a lone estimates.json
# SPDX-License-Identifier: MIT
set -eu
cd "$(dirname "$0")"
rm -rf old bad misc nested
mkdir -p old/criterion bad/criterion misc nested/criterion

est() { # est POINT LOW HIGH: one Estimate object, as serde_json writes it
    printf '{"confidence_interval":{"confidence_level":0.95,"lower_bound":%s,"upper_bound":%s},"point_estimate":%s,"standard_error":%s}' \
        "$2" "$3" "$1" 0.5
}
bench_json() { # bench_json DIR GROUP FUNCTION VALUE FULL_ID TITLE (JSON-escaped)
    mkdir -p "$1"
    printf '{"group_id":"%s","function_id":%s,"value_str":%s,"throughput":null,"full_id":"%s","directory_name":"%s","title":"%s"}' \
        "$2" "$3" "$4" "$5" "${1#*/criterion/}" "$6" >"$1/benchmark.json"
}

# Criterion.rs 0.3.2 and older: capitalised keys, Slope always present.
d=old/criterion/alloc/vec/new
bench_json "$d" alloc '"vec"' null alloc/vec alloc/vec
printf '{"Mean":%s,"Median":%s,"MedianAbsDev":%s,"Slope":%s,"StdDev":%s}' \
    "$(est 15.127549 15.0 15.25)" "$(est 15.1 14.9 15.3)" "$(est 0.25 0.125 0.5)" \
    "$(est 15.2 15.05 15.4)" "$(est 1.5 1.0 2.0)" >"$d/estimates.json"
d=old/criterion/alloc/huge/new
bench_json "$d" alloc '"huge"' null alloc/huge alloc/huge
printf '{"Mean":%s,"Median":%s,"MedianAbsDev":%s,"Slope":%s,"StdDev":%s}' \
    "$(est 6.707903313626593e17 1.1738800915137278e16 1.0e18)" "$(est 26450.0 1.25e-7 26451)" \
    "$(est 0.0 0.0 0.0)" "$(est 2.5e5 2.4e5 2.6e5)" "$(est 1.0 1.0 1.0)" >"$d/estimates.json"

# cargo-criterion 1.1.0 messages: reason first, then the documented keys.
ce() { printf '{"estimate":%s,"lower_bound":%s,"upper_bound":%s,"unit":"%s"}' "$@"; }
{
    printf '{"reason":"benchmark-complete","id":"norm","report_directory":"target/criterion/reports/norm","iteration_count":[30,60,90],"measured_values":[124200.0,248100.0,372900.0],"unit":"ns","throughput":[],"typical":%s,"mean":%s,"median":%s,"median_abs_dev":%s,"slope":%s,"change":null}\n' \
        "$(ce 3419.49 3375.24 3465.45 ns)" "$(ce 3420.1 3380.5 3461.25 ns)" "$(ce 3411.0 3390.75 3430.0 ns)" \
        "$(ce 25.5 12.0 40.125 ns)" "$(ce 3419.49 3375.24 3465.45 ns)"
    printf '{"reason":"benchmark-complete","id":"throughput/Bytes \\"q\\" <a&b> \303\274","report_directory":"target/criterion/reports/throughput/Bytes _q_ _a&b_ \303\274","iteration_count":[10,20],"measured_values":[1000.0,2000.0],"unit":"ns","throughput":[{"per_iteration":1024,"unit":"bytes"}],"typical":%s,"mean":%s,"median":%s,"median_abs_dev":%s,"slope":%s,"change":{"mean":{"estimate":0.0142,"lower_bound":-0.01,"upper_bound":0.03,"unit":"%%"},"median":{"estimate":0.01,"lower_bound":-0.02,"upper_bound":0.04,"unit":"%%"},"change":"NoChange"}}\n' \
        "$(ce 100.0 99.0 101.0 ns)" "$(ce 100.5 99.5 101.5 ns)" "$(ce 100.25 99.25 101.25 ns)" \
        "$(ce 1.5 1.0 2.0 ns)" "$(ce 100.0 99.0 101.0 ns)"
    printf '{"reason":"group-complete","group_name":"throughput","benchmarks":["throughput/Bytes"],"report_directory":"target/criterion/reports/throughput"}\n'
    # Flat sampling: slope is null and typical is the mean.
    printf '{"reason":"benchmark-complete","id":"slow/flat","report_directory":"target/criterion/reports/slow/flat","iteration_count":[5,5],"measured_values":[1.5e7,1.6e7],"unit":"ns","throughput":[],"typical":%s,"mean":%s,"median":%s,"median_abs_dev":%s,"slope":null,"change":null}\n' \
        "$(ce 3100000.0 3000000.0 3200000.0 ns)" "$(ce 3100000.0 3000000.0 3200000.0 ns)" \
        "$(ce 3050000.0 2990000.0 3300000.0 ns)" "$(ce 1.0e4 5.0e3 2.0e4 ns)"
    # A custom measurement keeps its unit.
    printf '{"reason":"benchmark-complete","id":"custom/cycles","report_directory":"target/criterion/reports/custom/cycles","iteration_count":[1,2],"measured_values":[7.0,14.0],"unit":"cycles","throughput":[],"typical":%s,"mean":%s,"median":%s,"median_abs_dev":%s,"slope":%s,"change":null}\n' \
        "$(ce 7.0 6.5 7.5 cycles)" "$(ce 7.25 6.75 7.75 cycles)" "$(ce 7 6 8 cycles)" \
        "$(ce 0.5 0.25 0.75 cycles)" "$(ce 7.0 6.5 7.5 cycles)"
} >cargo-criterion.jsonl

# Broken trees: each folder one case, next to two good benchmarks.
b=bad/criterion
e_ok="$(est 10.5 10.0 11.0)"
good() { printf '{"mean":%s,"median":%s,"median_abs_dev":%s,"slope":%s,"std_dev":%s}' \
    "$e_ok" "$e_ok" "$e_ok" "$e_ok" "$e_ok"; }
for name in good truncated missing_median null_mean null_point text_point no_bounds; do
    bench_json "$b/$name/new" "$name" null null "$name" "$name"
done
good >"$b/good/new/estimates.json"
good | head -c 100 >"$b/truncated/new/estimates.json"
printf '{"mean":%s,"median_abs_dev":%s,"slope":null,"std_dev":%s}' "$e_ok" "$e_ok" "$e_ok" \
    >"$b/missing_median/new/estimates.json"
printf '{"mean":null,"median":%s,"median_abs_dev":%s,"slope":null,"std_dev":%s}' "$e_ok" "$e_ok" "$e_ok" \
    >"$b/null_mean/new/estimates.json"
printf '{"mean":%s,"median":%s,"median_abs_dev":%s,"slope":null,"std_dev":%s}' \
    '{"confidence_interval":{"confidence_level":0.95,"lower_bound":null,"upper_bound":null},"point_estimate":null,"standard_error":null}' \
    "$e_ok" "$e_ok" "$e_ok" >"$b/null_point/new/estimates.json"
printf '{"mean":%s,"median":%s,"median_abs_dev":%s,"slope":null,"std_dev":%s}' \
    '{"confidence_interval":{"confidence_level":0.95,"lower_bound":1,"upper_bound":2},"point_estimate":"fast","standard_error":0}' \
    "$e_ok" "$e_ok" "$e_ok" >"$b/text_point/new/estimates.json"
printf '{"mean":%s,"median":%s,"median_abs_dev":%s,"slope":null,"std_dev":%s}' \
    '{"point_estimate":1.5,"standard_error":0}' "$e_ok" "$e_ok" "$e_ok" >"$b/no_bounds/new/estimates.json"
# No benchmark.json: named from the folder, with a note.
mkdir -p "$b/unnamed/new"
good >"$b/unnamed/new/estimates.json"
# benchmark.json broken, or without full_id.
bench_json "$b/bad_id/new" x null null x x
printf '{"group_id":"x","title":"x"}' >"$b/bad_id/new/benchmark.json"
good >"$b/bad_id/new/estimates.json"
mkdir -p "$b/bad_json/new"
printf '{"group_id":"x",' >"$b/bad_json/new/benchmark.json"
good >"$b/bad_json/new/estimates.json"

# Broken streams.
printf 'ok                      time:   [1.0000 ns 2.0000 ns 3.0000 ns]\nnan                     time:   [   NaN s    NaN s    NaN s]\n                        time:   [1.0 ns 2.0 ns 3.0 ns]\nlast                    time:   [1.0 ms 2.0 ms 3.0 ms]\n' \
    >bad/text.txt
printf 'test ok ... bench:          12 ns/iter (+/- 3)\nbench:           7 ns/iter (+/- 0)\ntest big ... bench: 1,234,567 ns/iter (+/- 1,000)\n' \
    >bad/bencher.txt
head -n 1 cargo-criterion.jsonl >bad/cargo-criterion.jsonl
head -n 1 cargo-criterion.jsonl | sed 's/"median":{[^}]*},//' >>bad/cargo-criterion.jsonl
head -n 1 cargo-criterion.jsonl | sed 's/"mean":{"estimate":[0-9.]*/"mean":{"estimate":null/' >>bad/cargo-criterion.jsonl
head -n 1 cargo-criterion.jsonl | sed 's/"mean":{"estimate":[0-9.]*/"mean":{"estimate":"3.5"/' >>bad/cargo-criterion.jsonl
sed -n 5p cargo-criterion.jsonl >>bad/cargo-criterion.jsonl
head -n 1 cargo-criterion.jsonl | head -c 120 >>bad/cargo-criterion.jsonl
: >bad/empty.txt
mkdir -p bad/empty-dir && : >bad/empty-dir/.keep

# Bencher output of criterion 0.6+ (thousands separators), libtest (decimals),
# and a benchmark that printed between "test NAME ... " and its result.
printf 'running 0 tests\n\ntest result: ok. 0 passed; 0 failed; 0 ignored\n\ntest big/1e6 ... bench:   1,672,496 ns/iter (+/- 12,345)\ntest libtest::sum ... bench:      18,794.12 ns/iter (+/- 440.25)\ntest noisy ... \nhello from the benchmark\nbench:          42 ns/iter (+/- 50)\ntest a ... b ... bench:           3 cycles/iter (+/- 1)\n' \
    >misc/bencher.txt
# libtest #[bench] output (the shape criterion-scan's bencher lines come
# from): names padded on the right to the longest test name, the #[test]
# functions "ignored" in bench mode, and " = M MB/s" after benchmarks that
# set b.bytes.  Older Rust: {:>11} integers; newer: {:>14} with decimals.
printf '\nrunning 4 tests\ntest tests::it_works ... ignored\ntest bench_copy      ... bench:       1,234 ns/iter (+/- 56) = 830 MB/s\ntest bench_x         ... bench:         100 ns/iter (+/- 5)\ntest bench_parse     ... bench:      18,794 ns/iter (+/- 440) = 54 MB/s\n\ntest result: ok. 0 passed; 0 failed; 1 ignored; 3 measured; 0 filtered out; finished in 4.02s\n\n' \
    >misc/libtest.txt
printf '\nrunning 2 tests\ntest bench_copy ... bench:       1,234.50 ns/iter (+/- 56.25) = 830 MB/s\ntest bench_x    ... bench:         100.00 ns/iter (+/- 5.00)\n\ntest result: ok. 0 passed; 0 failed; 0 ignored; 2 measured; 0 filtered out; finished in 1.23s\n\n' \
    >misc/libtest-decimals.txt
# Criterion.rs bencher output of benchmarks that print to stdout: "test
# NAME ... " is printed when measuring starts and the result when it ends,
# so the output lands in between, on that line or on lines of its own.
printf 'test fib ... hello from bench\nbench:         213 ns/iter (+/- 8)\n\ntest fib2 ... \nnoise line\n\nmore noise\nbench:         215 ns/iter (+/- 9)\n\ntest fib3 ... noisebench:           5 ns/iter (+/- 1)\n\n' \
    >misc/bencher-noise.txt
# Criterion.rs 0.4 to 0.8.2 with --quick skip "test NAME ... ": bare results.
printf 'bench:           7 ns/iter (+/- 0)\n\nbench:       1,234 ns/iter (+/- 12)\n\n' >misc/bencher-quick.txt
# One estimates.json read on its own (0.3.3+ keys), with --bench NAME.
printf '{"mean":%s,"median":%s,"median_abs_dev":%s,"slope":null,"std_dev":%s}' \
    "$(est 22257.05172413793 21920.430213464697 30280.032840722495)" \
    "$(est 25993.587356321837 22247.531510673234 29932.73790229885)" "$e_ok" "$e_ok" \
    >misc/estimates.json

# Benchmarks whose names are Criterion's own folder names: bench_function
# ("grp") has the folder grp/ (with new/, base/, change/, report/), and the
# group "grp" with the functions new, base, change and report puts theirs
# inside it (grp/new/new/...); bench_function("report") shares the top
# report/ with the summary.  A second run: base/ is a copy of new/, change/
# holds the relative change of the mean and median (fractions).
n=nested/criterion
full() { # full POINT: a 0.3.3+ estimates.json around POINT
    printf '{"mean":%s,"median":%s,"median_abs_dev":%s,"slope":%s,"std_dev":%s}' \
        "$(est "$1.5" "$1" "$1.75")" "$(est "$1.25" "$1" "$1.5")" "$(est 0.5 0.25 0.75)" \
        "$(est "$1.5" "$1" "$1.75")" "$(est 1.5 1.0 2.0)"
}
change() {
    printf '{"mean":%s,"median":%s}' "$(est 0.0125 -0.01 0.035)" "$(est 0.005 -0.02 0.03)"
}
bench_dir() { # bench_dir DIR GROUP FUNCTION(JSON) FULL_ID POINT
    for sub in new base; do
        bench_json "$1/$sub" "$2" "$3" null "$4" "$4"
        sed "s|\"directory_name\":\"[^\"]*/$sub\"|\"directory_name\":\"${1#*/criterion/}\"|" \
            "$1/$sub/benchmark.json" >"$1/$sub/benchmark.json.tmp"
        mv "$1/$sub/benchmark.json.tmp" "$1/$sub/benchmark.json"
        full "$5" >"$1/$sub/estimates.json"
    done
    mkdir -p "$1/change" "$1/report"
    change >"$1/change/estimates.json"
    printf '<html></html>\n' >"$1/report/index.html"
}
bench_dir "$n/grp" grp null grp 100
bench_dir "$n/grp/new" grp '"new"' grp/new 200
bench_dir "$n/grp/base" grp '"base"' grp/base 300
bench_dir "$n/grp/change" grp '"change"' grp/change 400
bench_dir "$n/grp/report" grp '"report"' grp/report 500
bench_dir "$n/report" report null report 600
printf '<html></html>\n' >"$n/report/index.html"
