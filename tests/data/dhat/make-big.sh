#!/bin/sh
# make-big.sh NPPS [ftbl-first]: writes on stdout a synthetic DHAT heap
# profile of NPPS program points in Valgrind's layout (comma-first lines,
# 12-frame stacks, half as many frames as program points, so that the frame
# table is about a fifth of the file, as in real profiles), about 240 bytes
# per program point.  With "ftbl-first" the frame table comes before the
# program points.  The last line on stderr is the totals the file must
# give: "allocs alloc_bytes peak_bytes peak_blocks end_bytes end_blocks".
# Used by the streaming test and by bench/dhat-scan.sh.
# SPDX-License-Identifier: MIT

set -eu
LC_ALL=C
export LC_ALL
npps=${1:?usage: make-big.sh NPPS [ftbl-first]}
order=${2:-pps-first}

awk -v npps="$npps" -v order="$order" '
function ftbl(   k) {
    printf "\"ftbl\":\n [\"[root]\""
    for (k = 1; k <= nframes; k++)
        printf "\n ,\"0x%X: module_%d::function_%d (src/module_%d/file_%d.c:%d)\"", 4198400 + k * 16, k % 89, k, k % 89, k % 97, k % 1000
    printf "\n ]\n"
}
BEGIN {
    nframes = int(npps / 2) + 1
    printf "{\"dhatFileVersion\":2\n,\"mode\":\"heap\",\"verb\":\"Allocated\"\n"
    printf ",\"bklt\":true,\"bkacc\":true\n,\"tu\":\"instrs\",\"Mtu\":\"Minstr\"\n,\"tuth\":500\n"
    printf ",\"cmd\":\"./big\"\n,\"pid\":4242\n,\"te\":999999999\n,\"tg\":555555555\n"
    if (order == "ftbl-first") {
        printf ","
        ftbl()
    }
    printf ",\"pps\":\n ["
    seed = 12345
    for (i = 0; i < npps; i++) {
        seed = (seed * 1103515245 + 12345) % 2147483648
        tbk = 1 + seed % 1000
        tb = tbk * (8 + seed % 512)
        gb = tb % 1024; gbk = tbk % 3; eb = tb % 64; ebk = tbk % 2
        stbk += tbk; stb += tb; sgb += gb; sgbk += gbk; seb += eb; sebk += ebk
        printf "%s{\"tb\":%d,\"tbk\":%d\n  ,\"tl\":%d\n  ,\"mb\":%d,\"mbk\":%d\n  ,\"gb\":%d,\"gbk\":%d\n  ,\"eb\":%d,\"ebk\":%d\n  ,\"rb\":%d,\"wb\":%d\n  ,\"fs\":[", (i ? "\n ," : ""), tb, tbk, tbk * 977, tb % 4096, tbk % 7, gb, gbk, eb, ebk, tb * 2, tb
        for (j = 0; j < 12; j++)
            printf "%s%d", (j ? "," : ""), 1 + (i * 7 + j * 131) % nframes
        printf "]\n  }"
    }
    printf "\n ]\n"
    if (order != "ftbl-first") {
        printf ","
        ftbl()
    }
    printf "}\n"
    printf "%.0f %.0f %.0f %.0f %.0f %.0f\n", stbk, stb, sgb, sgbk, seb, sebk > "/dev/stderr"
}'
