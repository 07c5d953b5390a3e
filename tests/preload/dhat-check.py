#!/usr/bin/env python3
"""dhat-check.py: checks DHAT v2 files as dhat-preload.so writes them.

Usage: dhat-check.py FILE...
For each file: valid JSON, the fields dh_view.js requires, integers where
numbers belong, fs indices inside ftbl, no two program points with the same
fs, and gb/eb never above the totals.  Prints one line per file:
  FILE tb tbk gb gbk eb ebk pps frames
Exits 1 if any file fails.
SPDX-License-Identifier: MIT
"""
import json
import sys

TOP = "dhatFileVersion mode verb bklt bkacc tu Mtu tuth cmd pid te tg pps ftbl".split()
PP = "tb tbk tl mb mbk gb gbk eb ebk".split()


def check(path):
    with open(path, encoding="utf-8") as f:
        d = json.load(f)
    for k in TOP:
        if k not in d:
            raise ValueError("missing field " + k)
    if d["dhatFileVersion"] != 2 or d["bklt"] is not True or d["bkacc"] is not False:
        raise ValueError("bad header")
    for k in ("pid", "te", "tg"):
        if not isinstance(d[k], int) or d[k] < 0:
            raise ValueError("bad " + k)
    if d["ftbl"][0] != "[root]":
        raise ValueError("ftbl[0] is not [root]")
    seen = set()
    sums = dict.fromkeys(PP, 0)
    for p in d["pps"]:
        for k in PP:
            if not isinstance(p[k], int) or p[k] < 0:
                raise ValueError("bad %s in %r" % (k, p))
            sums[k] += p[k]
        fs = tuple(p["fs"])
        if fs in seen:
            raise ValueError("repeated fs %r" % (fs,))
        seen.add(fs)
        if any(not isinstance(i, int) or i < 1 or i >= len(d["ftbl"]) for i in fs):
            raise ValueError("fs index out of range in %r" % (fs,))
        if p["gb"] > p["mb"] or p["eb"] > p["mb"] or p["gbk"] > p["tbk"]:
            raise ValueError("gb/eb above mb or blocks in %r" % (p,))
    return "%s %d %d %d %d %d %d %d %d" % (
        path, sums["tb"], sums["tbk"], sums["gb"], sums["gbk"], sums["eb"],
        sums["ebk"], len(d["pps"]), len(d["ftbl"]))


def main():
    status = 0
    for path in sys.argv[1:]:
        try:
            print(check(path))
        except (OSError, ValueError, KeyError, TypeError, IndexError) as e:
            print("%s: INVALID: %s" % (path, e))
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
