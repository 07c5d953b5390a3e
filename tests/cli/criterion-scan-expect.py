#!/usr/bin/env python3
"""criterion-scan-expect.py: an independent reader of Criterion.rs output
for the criterion-scan tests (python3 standard library only).

It computes the rows criterion-scan should write straight from the JSON or
text fixtures, by its own rules, and compares them with the CSV the program
wrote: numbers as doubles (exactly, or within the rounding of the text
output), names, units and row order.

    criterion-scan-expect.py tree DIR METRICS OUT.csv [BASELINE]
    criterion-scan-expect.py cargo-criterion FILE METRICS OUT.csv
    criterion-scan-expect.py text TEXT DIR OUT.csv
    criterion-scan-expect.py bencher TEXT OUT.csv

Exit 0 when OUT.csv is right; else 1, with the differences on stderr.
SPDX-License-Identifier: MIT
"""

import csv
import json
import os
import re
import sys
from decimal import Decimal

TIME_SHIFT = {"ps": -3, "ns": 0, "us": 3, "\u00b5s": 3, "\u03bcs": 3, "ms": 6, "s": 9}
OLD_KEYS = {"mean": "Mean", "median": "Median", "slope": "Slope",
            "median_abs_dev": "MedianAbsDev", "std_dev": "StdDev"}


def scaled(number, shift):
    """NUMBER (a Decimal as read from the JSON text) times 10**SHIFT, rounded
    to a double once."""
    return float(Decimal(number).scaleb(shift))


def load(path):
    """JSON with the numbers kept as exact decimals."""
    with open(path) as f:
        return json.load(f, parse_float=Decimal, parse_int=Decimal)


def read_out(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    if not rows or rows[0] != ["bench", "metric", "unit", "value", "ci_low", "ci_high"]:
        sys.exit("%s: bad header %r" % (path, rows[:1]))
    return [(r[0], r[1], r[2], float(r[3]), float(r[4]), float(r[5])) for r in rows[1:]]


def compare(expected, got, tolerance=0.0):
    bad = 0
    if [r[:3] for r in expected] != [r[:3] for r in got]:
        print("rows differ:\n expected %r\n got      %r" %
              ([r[:3] for r in expected], [r[:3] for r in got]), file=sys.stderr)
        return 1
    for e, g in zip(expected, got):
        for i in (3, 4, 5):
            if tolerance == 0.0:
                ok = e[i] == g[i]
            else:
                ok = abs(e[i] - g[i]) <= tolerance * abs(e[i])
            if not ok:
                print("%s %s: column %d expected %r, got %r" % (e[0], e[1], i, e[i], g[i]),
                      file=sys.stderr)
                bad = 1
    return bad


def tree_benchmarks(root, baseline="new"):
    """(name, title, unit, shift, estimates) for each benchmark under ROOT."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        if os.path.basename(dirpath) != baseline or "estimates.json" not in filenames:
            continue
        est = load(os.path.join(dirpath, "estimates.json"))
        meta = load(os.path.join(dirpath, "benchmark.json"))
        unit, shift = "ns", 0
        raw = os.path.join(dirpath, "raw.csv")
        if os.path.exists(raw):
            with open(raw, newline="") as f:
                rd = csv.DictReader(f)
                unit = next(rd)["unit"]
            if unit in TIME_SHIFT:
                unit, shift = "ns", TIME_SHIFT[unit]
        found.append((meta["full_id"], meta["title"], unit, shift, est))
    return found


def estimate_of(est, metric):
    if metric == "typical":
        slope = estimate_of(est, "slope")
        return slope if slope is not None else estimate_of(est, "mean")
    key = metric if metric in est else OLD_KEYS[metric]
    return est[key]


def tree(root, metrics, out, baseline="new"):
    benches = tree_benchmarks(root, baseline)
    expected = []
    for full_id, title, unit, shift, est in benches:
        # Criterion numbers the title of a repeated id: "dup #2".
        name = title if re.fullmatch(re.escape(full_id) + r" #[0-9]+", title) else full_id
        for metric in metrics.split(","):
            e = estimate_of(est, metric)
            if e is None:
                continue
            ci = e["confidence_interval"]
            expected.append((name, metric, unit, scaled(e["point_estimate"], shift),
                             scaled(ci["lower_bound"], shift), scaled(ci["upper_bound"], shift)))
    order = {m: i for i, m in enumerate(metrics.split(","))}
    expected.sort(key=lambda r: (r[0].encode(), order[r[1]]))
    return compare(expected, read_out(out))


def cargo_criterion(path, metrics, out):
    expected = []
    with open(path) as f:
        for line in f:
            msg = json.loads(line, parse_float=Decimal, parse_int=Decimal)
            if msg["reason"] != "benchmark-complete":
                continue
            for metric in metrics.split(","):
                e = msg.get(metric)
                if e is None:
                    continue
                unit = e["unit"]
                shift = TIME_SHIFT.get(unit, 0)
                unit = "ns" if unit in TIME_SHIFT else unit
                expected.append((msg["id"], metric, unit, scaled(e["estimate"], shift),
                                 scaled(e["lower_bound"], shift), scaled(e["upper_bound"], shift)))
    return compare(expected, read_out(out))


def text(path, root, out):
    """The text was printed by the run that wrote ROOT: each typical triple
    is the JSON slope (or mean) rounded to about five significant digits."""
    by_title = {}
    for full_id, title, unit, shift, est in tree_benchmarks(root):
        e = estimate_of(est, "typical")
        ci = e["confidence_interval"]
        by_title[title] = (title, "typical", unit, scaled(e["point_estimate"], shift),
                           scaled(ci["lower_bound"], shift), scaled(ci["upper_bound"], shift))
    names = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^(.*?)\s*time:\s+\[[^%\]]*\]$", line.rstrip("\n"))
            if m and m.group(1) and not line.startswith(" "):
                names.append(m.group(1))
            elif m:
                names.append(previous)
            if line.strip():
                previous = line.rstrip()
    expected = [by_title[n] for n in names]
    if sorted(names) != sorted(by_title):
        print("text names %r differ from the tree's titles %r" % (names, sorted(by_title)),
              file=sys.stderr)
        return 1
    return compare(expected, read_out(out), tolerance=1e-4)


def bencher(path, out):
    expected = []
    pat = re.compile(r"^test (.*) \.\.\. bench:\s+([0-9,.]+) (\S+)/iter \(\+/- ([0-9,.]+)\)$")
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = pat.match(line.rstrip("\n"))
            if not m:
                continue
            value = float(m.group(2).replace(",", ""))
            dev = float(m.group(4).replace(",", ""))
            unit = "ns" if m.group(3) in TIME_SHIFT else m.group(3)
            expected.append((m.group(1), "median", unit, value, max(value - dev, 0.0), value + dev))
    return compare(expected, read_out(out), tolerance=1e-15)


def main(argv):
    mode = argv[1]
    if mode == "tree":
        return tree(*argv[2:])
    if mode == "cargo-criterion":
        return cargo_criterion(*argv[2:])
    if mode == "text":
        return text(*argv[2:])
    if mode == "bencher":
        return bencher(*argv[2:])
    sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
