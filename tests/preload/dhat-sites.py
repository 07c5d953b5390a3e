#!/usr/bin/env python3
"""dhat-sites.py: the program points of a DHAT file, comparable across runs.

Usage: dhat-sites.py FILE
Prints one line per program point, sorted: its total blocks and bytes and
its frames, each frame without its address (which moves from run to run
with address-space randomisation), e.g.
  3 20015 malloc+0x1 (in dhat-preload.so) | main+0x183 (in entry-points) | ...
Two runs of a deterministic program give the same lines when their call
stacks are the same.
SPDX-License-Identifier: MIT
"""
import json
import os
import re
import sys

ADDR = re.compile(r"^0x[0-9A-Fa-f]+: ")
MODULE = re.compile(r"\(in (.*)\)$")


def frame(text):
    text = ADDR.sub("", text)
    # The module's directory differs between a build tree and an install.
    return MODULE.sub(lambda m: "(in %s)" % os.path.basename(m.group(1)), text)


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        d = json.load(f)
    ftbl = d["ftbl"]
    lines = sorted("%d %d %s" % (p["tbk"], p["tb"], " | ".join(frame(ftbl[i]) for i in p["fs"]))
                   for p in d["pps"])
    for line in lines:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
