#!/bin/sh
# sparkline carries the same data as the Python original: for every bench
# of the real github.csv, the values in each SVG (data-values) are the
# newest 50 mean times in ns (with --ops, as 1e9/ns), computed here
# independently with Python's csv module; and with --ops, which draws
# operations per second as the original did, they reproduce the y
# coordinates of the line it drew for builder_add_nodes/100000.
. "$abs_top_srcdir/tests/cli/setup.sh"
. "$abs_top_srcdir/tests/cli/charts-lib.sh"
have_python_ || skip_ "python3 not found"

run_ 0 sparkline -d "$tmp/img" "$data/rustychickpeas/github.csv"
[ -s "$tmp/err" ] && fail_ "unexpected messages: $(cat "$tmp/err")"
svg_ok_ "$tmp"/img/*.svg

cat >"$tmp/check.py" <<'PY'
import csv, os, re, sys

def expected(path, max_points=50, ops=False):
    series = {}
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["metric"] == "mean":
                v = float(row["value"])
                series.setdefault(row["bench"], []).append(1e9 / v if ops else v)
    return {b: v[-max_points:] for b, v in series.items()}

def carried(svg):
    with open(svg, encoding="utf-8") as f:
        m = re.search(r'data-values="([^"]*)"', f.read())
    return [float(x) for x in m.group(1).split()]

def main(csv_path, img, max_points, ops="time", only=None):
    want = expected(csv_path, int(max_points), ops == "ops")
    if only is not None:
        want = {only: want[only]}
    bad = 0
    for bench, values in want.items():
        name = bench.replace("/", "_").replace("\\", "_")
        got = carried(os.path.join(img, name + "_time.svg"))
        if len(got) != len(values) or any(
                abs(g - w) > 1e-9 * abs(w) for g, w in zip(got, values)):
            print(f"{bench}: got {got[:3]}... ({len(got)}), want {values[:3]}... ({len(values)})")
            bad += 1
    files = sorted(os.listdir(img))
    if len(files) != len(want):
        print(f"{len(files)} files for {len(want)} benches")
        bad += 1
    print(f"{len(want)} benches checked, {bad} bad")
    return 1 if bad else 0

sys.exit(main(*sys.argv[1:]))
PY
python3 "$tmp/check.py" "$data/rustychickpeas/github.csv" "$tmp/img" 50 || fail_ "values differ from the CSV"
run_ 0 sparkline --ops -d "$tmp/ops" "$data/rustychickpeas/github.csv"
xml_ok_ "$tmp"/ops/*.svg
[ -s "$tmp/err" ] && fail_ "unexpected messages: $(cat "$tmp/err")"
python3 "$tmp/check.py" "$data/rustychickpeas/github.csv" "$tmp/ops" 50 ops ||
    fail_ "--ops values differ from the CSV"

# The original's line for builder_add_nodes/100000: its y is
# 23 + 89 - (v - lo) / (hi - lo) * 89 (plot.py's 120 px layout), one decimal.
cat >"$tmp/orig.py" <<'PY'
import re, sys
ours = open(sys.argv[1], encoding="utf-8").read()
theirs = open(sys.argv[2], encoding="utf-8").read()
v = [float(x) for x in re.search(r'data-values="([^"]*)"', ours).group(1).split()]
pts = re.search(r'<polyline[^>]* points="([^"]*)"', theirs).group(1).split()
ys = [p.split(",")[1] for p in pts]
lo, hi = min(v), max(v)
mine = ["%.1f" % (23 + 89 - (x - lo) / (hi - lo) * 89) for x in v]
if mine != ys:
    print("ours:  ", mine)
    print("theirs:", ys)
    sys.exit(1)
print(len(ys), "points agree with the original")
PY
python3 "$tmp/orig.py" "$tmp/ops/builder_add_nodes_100000_time.svg" \
    "$charts/original/builder_add_nodes_100000_time.svg" || fail_ "not the original's line"

# More than 50 points: the newest 50 in file order (--max-points too).
python3 - "$data/rustychickpeas/github.csv" "$tmp/long.csv" <<'PY'
import sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines(True)
with open(sys.argv[2], "w", encoding="utf-8") as out:
    out.write(lines[0])
    for _ in range(4):
        out.writelines(lines[1:])
PY
for b in bfs/1000000 snapshot_get_property/100; do
    run_ 0 sparkline -d "$tmp/long" -b "$b" "$tmp/long.csv"
    python3 "$tmp/check.py" "$tmp/long.csv" "$tmp/long" 50 time "$b" || fail_ "$b: not the newest 50"
    run_ 0 sparkline -d "$tmp/long7" -b "$b" --max-points 7 "$tmp/long.csv"
    python3 "$tmp/check.py" "$tmp/long.csv" "$tmp/long7" 7 time "$b" || fail_ "$b: not the newest 7"
    svg_ok_ "$tmp"/long/*.svg "$tmp"/long7/*.svg
    rm -rf "$tmp/long" "$tmp/long7"
done

exit $fail
