#!/usr/bin/env python3
"""bench/gate-sim.py: measure the regression gate on noisy histories.

Builds benchmark histories whose noise is the real noise of a shared-runner
history (by default tests/data/rustychickpeas/github.csv): each series'
residuals around its own running level, resampled a whole commit at a time
so that benches that moved together in the real history (one runner type
slower than another) move together here too, plus an explicit slow-runner
effect on a fixed subset of the benches.  Into a fifth of the benches it
injects a lasting step of +15, +30 or +60 %, and into another fifth an
allocation step of +1 to +5.  Then it runs the gate (`bench-gate --replay
--format csv`) and two anchors' rules on the same histories, and prints:

- the share of commits without a real change that go red;
- false alarms per 1,000 series checks;
- the share of steps caught within two commits of the step, by size;
- whether the allocation verdicts were exact.

It also replays the real history commit by commit and lists what goes red.
Everything is seeded: the same arguments print the same figures.

Usage: bench/gate-sim.py BENCH_GATE HISTORY [--histories N] [--commits N]
       [--seed N] [--verbose]
SPDX-License-Identifier: MIT
"""

import argparse
import csv
import io
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile

SEED_COLUMNS = ("commit,version,date,bench,metric,unit,value,ci_low,ci_high,"
                "allocs,allocs_ci_low,allocs_ci_high,rustc,machine")
TIME_METRICS = ("mean", "median")
STEP_SIZES = (0.15, 0.30, 0.60)
# One-sided 99 % quantiles of Student's t by degrees of freedom, for the
# Bencher-style t-test (1..30; larger frees use the normal quantile).
T99 = [None, 31.821, 6.965, 4.541, 3.747, 3.365, 3.143, 2.998, 2.896, 2.821,
       2.764, 2.718, 2.681, 2.650, 2.624, 2.602, 2.583, 2.567, 2.552, 2.539,
       2.528, 2.518, 2.508, 2.500, 2.492, 2.485, 2.479, 2.473, 2.467, 2.462,
       2.457]


def read_history(path):
    """The real history as {(bench, metric): [log values in commit order]}
    with the commit order of the file."""
    commits, series = [], {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            if row["metric"] not in TIME_METRICS or not row["value"]:
                continue
            if not commits or commits[-1] != row["commit"]:
                if row["commit"] in commits:
                    continue
                commits.append(row["commit"])
            key = (row["bench"], row["metric"])
            series.setdefault(key, {})[row["commit"]] = math.log(float(row["value"]))
    return commits, series


def segments(vals):
    """Splits a real series where its level moved for good: the two points
    from I on lie beyond both of the two before I, by more than 25 %.  The
    noise is measured within each level, so that the real history's own
    steps (some of them tenfold) do not pass for noise."""
    cuts = [0]
    for i in range(2, len(vals) - 1):
        before, after = vals[max(cuts[-1], i - 2):i], vals[i:i + 2]
        if len(before) < 2:
            continue
        if min(after) - max(before) > math.log(1.25) or min(before) - max(after) > math.log(1.25):
            cuts.append(i)
    cuts.append(len(vals))
    return [(cuts[j], cuts[j + 1]) for j in range(len(cuts) - 1)]


def residual_matrix(commits, series):
    """Each series' residuals: log value minus the median of its (up to)
    two neighbours on each side within its level, by commit; None where not
    measured or where the level is too short to say."""
    out = {}
    for key, by_commit in series.items():
        xs = [(i, by_commit[c]) for i, c in enumerate(commits) if c in by_commit]
        vals = [v for _, v in xs]
        res = [None] * len(commits)
        for lo, hi in segments(vals):
            if hi - lo < 4:
                continue
            for j in range(lo, hi):
                a, b = max(lo, j - 2), min(hi, j + 3)
                nb = vals[a:j] + vals[j + 1:b]
                while len(nb) < 4 and (a > lo or b < hi):
                    if a > lo:
                        a -= 1
                        nb.append(vals[a])
                    else:
                        nb.append(vals[b])
                        b += 1
                res[xs[j][0]] = vals[j] - statistics.median(nb)
        out[key] = res
    return out


def level_of(by_commit):
    return statistics.median(by_commit.values())


class History:
    """One synthetic history and the truth about it."""

    def __init__(self, rng, commits, series, residuals, ncommits):
        self.benches = sorted({b for b, _ in series})
        self.commits = ["%012x" % rng.getrandbits(48) for _ in range(ncommits)]
        # Each synthetic commit takes the residuals of the real commits in
        # one random order: a series takes them from the first real commit
        # in that order where it has one, so series measured at the same
        # real commits (benches added later among them) move together
        # as they did.
        real_columns = list(range(len(commits)))
        orders = []
        for _ in range(ncommits):
            order = real_columns[:]
            rng.shuffle(order)
            orders.append(order)
        # The slow runner: 10 % of commits run on it; it slows a fixed
        # third of the benches by 6-14 % together.
        slow_benches = set(rng.sample(self.benches, len(self.benches) // 3))
        slow_commit = [rng.random() < 0.10 for _ in range(ncommits)]
        slow_factor = [math.log(1 + rng.uniform(0.06, 0.14)) for _ in range(ncommits)]
        shuffled = self.benches[:]
        rng.shuffle(shuffled)
        fifth = max(1, len(shuffled) // 5)
        # Steps start late enough for the gate to have a level to judge by,
        # and early enough for two commits after them.
        first, last = min(10, ncommits - 3), ncommits - 3
        self.time_steps = {}   # bench -> (start index, size)
        for b in shuffled[:fifth]:
            self.time_steps[b] = (rng.randint(first, last), rng.choice(STEP_SIZES))
        self.alloc_steps = {}  # bench -> (start index, added count)
        for b in shuffled[fifth:2 * fifth]:
            self.alloc_steps[b] = (rng.randint(first, last), rng.randint(1, 5))
        self.allocs = {b: (rng.randint(0, 5000) if rng.random() < 0.8 else None)
                       for b in self.benches}
        for b in self.alloc_steps:
            if self.allocs[b] is None:
                self.allocs[b] = rng.randint(0, 5000)
        self.rows = []
        for b in self.benches:
            for m in TIME_METRICS:
                key = (b, m)
                if key not in series:
                    continue
                base = level_of(series[key])
                for t in range(ncommits):
                    r = next((residuals[key][j] for j in orders[t]
                              if residuals[key][j] is not None), 0.0)
                    x = base + r
                    if slow_commit[t] and b in slow_benches:
                        x += slow_factor[t]
                    if b in self.time_steps and t >= self.time_steps[b][0]:
                        x += math.log(1 + self.time_steps[b][1])
                    a = self.allocs[b]
                    if a is not None and b in self.alloc_steps and t >= self.alloc_steps[b][0]:
                        a += self.alloc_steps[b][1]
                    self.rows.append((t, b, m, math.exp(x), a))
        self.rows.sort(key=lambda r: r[0])

    def write(self, path):
        with open(path, "w", newline="") as f:
            f.write(SEED_COLUMNS + "\n")
            w = csv.writer(f, lineterminator="\n")
            for t, b, m, v, a in self.rows:
                date = "2026-%02d-%02dT03:00:00Z" % (1 + t // 28 % 12, 1 + t % 28)
                w.writerow([self.commits[t], "", date, b, m, "ns", repr(v),
                            repr(v * 0.998), repr(v * 1.002),
                            "" if a is None else a, "", "", "rustc 1.91.1", "github"])

    def values(self):
        """{(bench, metric): [value by commit index]}"""
        out = {}
        for t, b, m, v, _ in self.rows:
            out.setdefault((b, m), [None] * len(self.commits))[t] = v
        return out

    def alloc_values(self):
        out = {}
        for t, b, m, _, a in self.rows:
            if m == TIME_METRICS[0]:
                out.setdefault(b, [None] * len(self.commits))[t] = a
        return out


def run_gate(gate, path):
    """{(commit index, bench, metric): verdict} from bench-gate --replay."""
    proc = subprocess.run([gate, "--replay", "--format", "csv", path],
                          capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        sys.exit("gate-sim: %s failed (exit %d): %s" % (gate, proc.returncode, proc.stderr.strip()))
    return list(csv.DictReader(io.StringIO(proc.stdout)))


def gate_verdicts(h, rows):
    index = {c: i for i, c in enumerate(h.commits)}
    out = {}
    for r in rows:
        out[(index[r["commit"]], r["bench"], r["metric"])] = r["verdict"]
    return out


def ratio_verdicts(h, threshold):
    """github-action-benchmark: the new value against the previous one."""
    out = {}
    for (b, m), xs in h.values().items():
        for t in range(1, len(xs)):
            if xs[t] is not None and xs[t - 1] is not None and xs[t] / xs[t - 1] > threshold:
                out[(t, b, m)] = "regressed"
    for b, xs in h.alloc_values().items():
        for t in range(1, len(xs)):
            if xs[t] is not None and xs[t - 1] is not None and xs[t] > xs[t - 1] * threshold:
                out[(t, b, "allocs")] = "regressed"
    return out


def ttest_verdicts(h, window=16, min_size=2):
    """A Bencher-style t-test: the new value against the last WINDOW values,
    upper boundary 0.99."""
    out = {}

    def judge(xs, key_of):
        for t in range(1, len(xs)):
            if xs[t] is None:
                continue
            prior = [x for x in xs[max(0, t - window):t] if x is not None]
            if len(prior) < min_size:
                continue
            mean = statistics.fmean(prior)
            sd = statistics.stdev(prior)
            df = len(prior) - 1
            q = T99[df] if df < len(T99) else 2.326
            limit = mean + q * sd * math.sqrt(1 + 1 / len(prior))
            if xs[t] > limit:
                out[key_of(t)] = "regressed"

    for (b, m), xs in h.values().items():
        judge(xs, lambda t, b=b, m=m: (t, b, m))
    for b, xs in h.alloc_values().items():
        judge([None if x is None else float(x) for x in xs], lambda t, b=b: (t, b, "allocs"))
    return out


class Score:
    def __init__(self, name):
        self.name = name
        self.quiet_commits = self.red_quiet_commits = 0
        self.checks = self.false_alarms = 0
        self.steps = {s: 0 for s in STEP_SIZES}
        self.caught = {s: 0 for s in STEP_SIZES}
        self.alloc_checks = self.alloc_wrong = 0

    def add(self, h, verdicts):
        n = len(h.commits)
        changed = set()
        for b, (t0, _) in list(h.time_steps.items()) + list(h.alloc_steps.items()):
            changed.update(range(t0, min(n, t0 + 3)))
        red = set(t for (t, _, _), v in verdicts.items() if v == "regressed")
        for t in range(1, n):
            if t in changed:
                continue
            self.quiet_commits += 1
            self.red_quiet_commits += t in red
        for (b, m) in h.values():
            step = h.time_steps.get(b)
            for t in range(1, n):
                if step and step[0] <= t <= step[0] + 2:
                    continue
                self.checks += 1
                self.false_alarms += verdicts.get((t, b, m)) in ("regressed", "improved")
            if step:
                t0, size = step
                self.steps[size] += 1
                self.caught[size] += any(verdicts.get((t, b, m)) == "regressed"
                                         for t in range(t0, min(n, t0 + 3)))
        for b, xs in h.alloc_values().items():
            step = h.alloc_steps.get(b)
            for t in range(1, n):
                if xs[t] is None or xs[t - 1] is None:
                    continue
                want = "regressed" if step and t == step[0] else None
                got = verdicts.get((t, b, "allocs"))
                got = got if got in ("regressed", "improved") else None
                self.alloc_checks += 1
                self.alloc_wrong += got != want

    def lines(self):
        pct = lambda a, b: 100.0 * a / b if b else float("nan")
        caught = "  ".join("+%d %%: %5.1f %%" % (round(s * 100), pct(self.caught[s], self.steps[s]))
                           for s in STEP_SIZES)
        return ("%-28s %6.1f %%   %7.1f   %s   %s" %
                (self.name, pct(self.red_quiet_commits, self.quiet_commits),
                 1000.0 * self.false_alarms / max(1, self.checks), caught,
                 "exact" if self.alloc_wrong == 0 else "%d wrong of %d" % (self.alloc_wrong, self.alloc_checks)))


def replay_real(gate, path, verbose):
    rows = run_gate(gate, path)
    commits = []
    for r in rows:
        if not commits or commits[-1] != r["commit"]:
            commits.append(r["commit"])
    red = [r for r in rows if r["verdict"] == "regressed"]
    red_commits = sorted({r["commit"] for r in red}, key=commits.index)
    print("real history %s: %d commits judged, %d go red" %
          (os.path.basename(path), len(commits), len(red_commits)))
    for c in red_commits:
        for r in red:
            if r["commit"] == c:
                print("  %s  %-40s %-7s %-9s since %s %s%%" %
                      (c, r["bench"], r["metric"], r["verdict"], r["since"], r["change_pct"]))
    if verbose:
        for v in sorted({r["verdict"] for r in rows}):
            print("  %-14s %d" % (v, sum(r["verdict"] == v for r in rows)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("gate")
    ap.add_argument("history")
    ap.add_argument("--histories", type=int, default=12)
    ap.add_argument("--commits", type=int, default=120)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()

    commits, series = read_history(args.history)
    residuals = residual_matrix(commits, series)
    rng = random.Random(args.seed)
    scores = [Score("bench-gate"), Score("ratio > 2.0 (gab default)"),
              Score("ratio > 1.2"), Score("t-test, last 16, 0.99")]
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.histories):
            h = History(rng, commits, series, residuals, args.commits)
            path = os.path.join(tmp, "history-%d.csv" % i)
            h.write(path)
            verdicts = [gate_verdicts(h, run_gate(args.gate, path)), ratio_verdicts(h, 2.0),
                        ratio_verdicts(h, 1.2), ttest_verdicts(h)]
            for s, v in zip(scores, verdicts):
                s.add(h, v)
    nseries = len(series)
    print("%d histories x %d commits x %d series (noise of %s, seed %d)" %
          (args.histories, args.commits, nseries, os.path.basename(args.history), args.seed))
    print("%-28s %8s %10s   %s   %s" % ("rule", "red*", "FA/1000", "steps caught within 2 commits",
                                       "allocs"))
    for s in scores:
        print(s.lines())
    print("* share of the %d commits without a real change that go red (target <= 2 %%);" % scores[0].quiet_commits)
    print("  targets: +15 % >= 60 %, +30 % >= 95 %, +60 % >= 99 %, allocation verdicts exact")
    g = scores[0]
    ok = (100.0 * g.red_quiet_commits / max(1, g.quiet_commits) <= 2.0
          and g.caught[0.15] >= 0.60 * g.steps[0.15]
          and g.caught[0.30] >= 0.95 * g.steps[0.30]
          and g.caught[0.60] >= 0.99 * g.steps[0.60]
          and g.alloc_wrong == 0)
    print("bench-gate targets: %s" % ("met" if ok else "NOT met"))
    replay_real(args.gate, args.history, args.verbose)


if __name__ == "__main__":
    main()
