#!/bin/sh
# demo.sh: the README's main job (`make demo` runs it with the programs of
# the build tree first on PATH).  Collects the sample's results, one
# revision after the other, into a new temporary history, draws the charts,
# runs the gate on the newest revision, and says where everything is.
#
#   sh bench/sample/demo.sh [RESULTS-DIR]
# SPDX-License-Identifier: MIT

set -eu
here=$(cd "$(dirname "$0")" && pwd)
if [ $# -gt 0 ]; then
    results=$1
    mkdir -p "$results"
else
    results=$(mktemp -d "${TMPDIR:-/tmp}/benchtrack-demo.XXXXXX")
fi
machine=sample

# stamp DIR KEY: one value of DIR/stamp.
stamp() {
    sed -n "s/^$2=//p" "$1/stamp"
}

for rev in "$here"/results/r*; do
    [ -f "$rev/stamp" ] || continue
    BENCHTRACK_COMMIT=$(stamp "$rev" commit) BENCHTRACK_TAG=$(stamp "$rev" version) \
        BENCHTRACK_DATE=$(stamp "$rev" date) BENCHTRACK_RUSTC=$(stamp "$rev" rustc) \
        benchtrack-collect --machine "$machine" --results-dir "$results" \
        --criterion-dir "$rev/criterion"
done
benchtrack-plot --machine "$machine" --results-dir "$results" --output-dir "$results/img"
echo
# The gate's verdict on the newest revision (a regression is news here,
# not a failure of the demo).
benchtrack-check --machine "$machine" --results-dir "$results" || [ $? -eq 1 ]
echo
echo "History: $results/$machine.csv"
echo "Charts:  $results/img/ (the page $results/img/README.md shows them all)"
