#!/bin/sh
# bench/gate.sh: how well the regression gate judges noisy histories, and
# how fast.  bench/gate-sim.py builds histories from the noise of a real
# shared-runner history (tests/data/rustychickpeas/github.csv), injects
# lasting time steps and allocation steps, and prints for bench-gate and
# for two anchors' rules computed on the same histories: the share of
# commits without a real change that go red, false alarms per 1,000 series
# checks, the share of steps caught within two commits, and whether the
# allocation verdicts were exact; then it replays the real history.
# Last, bench/gate-speed.sh times a 120,000-row history.
#
# Usage: bench/gate.sh [BENCH_GATE]   (default: the built src/bench-gate)
# Environment: HISTORIES (default 12), SIM_COMMITS (default 120), SEED (1),
#              and those of bench/gate-speed.sh.
# SPDX-License-Identifier: MIT

set -eu
LC_ALL=C
export LC_ALL
here=$(cd "$(dirname "$0")" && pwd)
gate=${1:-${BENCH_GATE:-$here/../_build/src/bench-gate}}
[ -x "$gate" ] || { echo "bench-gate not found at $gate (pass its path)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "needs python3" >&2; exit 2; }

python3 "$here/gate-sim.py" "$gate" "$here/../tests/data/rustychickpeas/github.csv" \
    --histories "${HISTORIES:-12}" --commits "${SIM_COMMITS:-120}" --seed "${SEED:-1}"

# The speed: judging and replaying a 120,000-row history.
sh "$here/gate-speed.sh" "$gate"
