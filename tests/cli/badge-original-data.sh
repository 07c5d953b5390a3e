#!/bin/sh
# badge shows what the Python original showed: for every bench of the real
# github.csv the message is the newest mean time formatted as plot.py did,
# with the change from the point before, and the colour its verdict;
# computed here independently with Python's csv module.
. "$abs_top_srcdir/tests/cli/setup.sh"
. "$abs_top_srcdir/tests/cli/charts-lib.sh"
have_python_ || skip_ "python3 not found"

# The acceptance example, and the original's own badge for it.
run_ 0 badge --bench bfs/1000000 "$data/rustychickpeas/github.csv"
cp "$tmp/out" "$tmp/bfs.svg"
svg_ok_ "$tmp/bfs.svg"
grep_ 'aria-label="time: 283.70 ms (+5.7%)"' "$tmp/bfs.svg"
grep_ '<rect x="35" width="121" height="20" fill="#e05d44"/>' "$tmp/bfs.svg"
grep_ '>283.70 ms (+5.7%)</text>' "$charts/original/bfs_1000000_time_badge.svg"
grep_ 'fill="#e05d44"' "$charts/original/bfs_1000000_time_badge.svg"

run_ 0 badge -d "$tmp/img" "$data/rustychickpeas/github.csv"
svg_ok_ "$tmp"/img/*.svg

cat >"$tmp/check.py" <<'PY'
import csv, html, os, re, sys

def fmt_time(ns):
    if ns < 1e3:
        return f"{ns:.1f} ns"
    if ns < 1e6:
        return f"{ns / 1e3:.2f} \u03bcs"
    if ns < 1e9:
        return f"{ns / 1e6:.2f} ms"
    return f"{ns / 1e9:.2f} s"

series = {}
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    for row in csv.DictReader(f):
        if row["metric"] == "mean":
            series.setdefault(row["bench"], []).append(float(row["value"]))
bad = 0
colors = {}
for bench, v in series.items():
    msg = fmt_time(v[-1])
    color = "#9f9f9f"
    if len(v) >= 2:
        pct = (v[-1] - v[-2]) / v[-2] * 100
        msg += f" ({pct:+.1f}%)"
        color = "#e05d44" if pct > 5 else "#4c1" if pct < -5 else "#dfb317"
    colors[color] = colors.get(color, 0) + 1
    name = bench.replace("/", "_").replace("\\", "_")
    svg = open(os.path.join(sys.argv[2], name + "_time_badge.svg"), encoding="utf-8").read()
    label = html.unescape(re.search(r'aria-label="([^"]*)"', svg).group(1))
    fill = re.findall(r'<rect x="\d+" width="\d+" height="20" fill="([^"]*)"/>', svg)
    if label != "time: " + msg or fill != [color]:
        print(f"{bench}: got {label!r} {fill}, want {'time: ' + msg!r} {color}")
        bad += 1
print(f"{len(series)} badges checked ({colors}), {bad} bad")
sys.exit(1 if bad else 0)
PY
python3 "$tmp/check.py" "$data/rustychickpeas/github.csv" "$tmp/img" || fail_ "messages differ"

exit $fail
