#!/bin/sh
# bench/dhat-scan.sh: how fast, and in how little memory, dhat-scan sums a
# large DHAT profile, beside jq doing the smallest comparable job
# (jq '[.pps[].tbk]|add') on the same file in the same run.
#
# Usage: bench/dhat-scan.sh [MEGABYTES]   (default 100)
#   DHAT_SCAN=path/to/dhat-scan overrides the program (default: the one
#   built in _build/src, else the one on PATH).
#
# The profile is generated in a temporary directory, in Valgrind's layout
# (comma-first lines, 12-frame stacks, ftbl after pps), and removed at the
# end.  Peak memory is the maximum resident set size from /usr/bin/time.
# SPDX-License-Identifier: MIT

set -eu
LC_ALL=C
export LC_ALL

mb=${1:-100}
here=$(cd "$(dirname "$0")/.." && pwd)
prog=${DHAT_SCAN:-}
if [ -z "$prog" ]; then
    if [ -x "$here/_build/src/dhat-scan" ]; then
        prog=$here/_build/src/dhat-scan
    else
        prog=$(command -v dhat-scan) || { echo "dhat-scan not found: build it or set DHAT_SCAN" >&2; exit 1; }
    fi
fi
command -v jq >/dev/null || { echo "jq is not installed" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time (GNU time) is not installed" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/dhat-scan-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
file=$tmp/dhat.out.big

# About 240 bytes per program point with its share of the frame table
# (half as many frames as program points: the frame table is a fifth of
# the file, as in real Valgrind profiles).
npps=$((mb * 1024 * 1024 / 240))
awk -v npps="$npps" 'BEGIN {
    nframes = int(npps / 2) + 1
    printf "{\"dhatFileVersion\":2\n,\"mode\":\"heap\",\"verb\":\"Allocated\"\n"
    printf ",\"bklt\":true,\"bkacc\":true\n,\"tu\":\"instrs\",\"Mtu\":\"Minstr\"\n,\"tuth\":500\n"
    printf ",\"cmd\":\"./big\"\n,\"pid\":4242\n,\"te\":999999999\n,\"tg\":555555555\n,\"pps\":\n ["
    seed = 12345
    for (i = 0; i < npps; i++) {
        seed = (seed * 1103515245 + 12345) % 2147483648
        tbk = 1 + seed % 1000
        tb = tbk * (8 + seed % 512)
        printf "%s{\"tb\":%d,\"tbk\":%d\n  ,\"tl\":%d\n  ,\"mb\":%d,\"mbk\":%d\n  ,\"gb\":%d,\"gbk\":%d\n  ,\"eb\":%d,\"ebk\":%d\n  ,\"rb\":%d,\"wb\":%d\n  ,\"fs\":[", (i ? "\n ," : ""), tb, tbk, tbk * 977, tb % 4096, tbk % 7, tb % 1024, tbk % 3, tb % 64, tbk % 2, tb * 2, tb
        for (j = 0; j < 12; j++)
            printf "%s%d", (j ? "," : ""), 1 + (i * 7 + j * 131) % nframes
        printf "]\n  }"
    }
    printf "\n ]\n,\"ftbl\":\n [\"[root]\""
    for (k = 1; k <= nframes; k++)
        printf "\n ,\"0x%X: module_%d::function_%d (src/module_%d/file_%d.c:%d)\"", 4198400 + k * 16, k % 89, k, k % 89, k % 97, k % 1000
    printf "\n ]\n}\n"
}' >"$file"

size=$(wc -c <"$file")
echo "profile: $size bytes, $npps program points (Valgrind layout)"

# Warm the page cache so that neither run pays for the first read.
cat "$file" >/dev/null

/usr/bin/time -f '%e %M' -o "$tmp/time.scan" "$prog" --bench big "$file" >"$tmp/out.scan"
/usr/bin/time -f '%e %M' -o "$tmp/time.jq" jq '[.pps[].tbk]|add' "$file" >"$tmp/out.jq"

scan_allocs=$(awk -F, 'NR == 2 { print $2 }' "$tmp/out.scan")
jq_allocs=$(cat "$tmp/out.jq")
if [ "$scan_allocs" != "$jq_allocs" ]; then
    echo "MISMATCH: dhat-scan says $scan_allocs allocations, jq says $jq_allocs" >&2
    exit 1
fi

read -r scan_s scan_kb <"$tmp/time.scan"
read -r jq_s jq_kb <"$tmp/time.jq"
awk -v ss="$scan_s" -v sk="$scan_kb" -v js="$jq_s" -v jk="$jq_kb" -v a="$scan_allocs" 'BEGIN {
    printf "allocations (both agree): %s\n", a
    printf "dhat-scan: %6.2f s, peak RSS %8.1f MB\n", ss, sk / 1024
    printf "jq:        %6.2f s, peak RSS %8.1f MB\n", js, jk / 1024
    if (ss > 0)
        printf "speed-up:  %.1fx faster than jq\n", js / ss
    else
        printf "speed-up:  dhat-scan took under the timer resolution (0.01 s)\n"
}'
