#!/bin/sh
# benchtrack-collect: scans, joins the allocation counts (less the harness
# baseline), stamps, merges; re-running changes nothing; a failure leaves
# the history alone; the stamps come from git and Cargo.toml.
. "$abs_top_srcdir/tests/cli/setup.sh"

for p in criterion-scan dhat-scan csv-merge; do
    command -v $p >/dev/null 2>&1 || skip_ "$p not built"
done
unset BENCH_MACHINE GITHUB_RUN_ID GITHUB_SHA SOURCE_DATE_EPOCH \
    BENCHTRACK_COMMIT BENCHTRACK_TAG BENCHTRACK_DATE BENCHTRACK_RUSTC || true
cp -R "$data/flows/criterion" "$tmp/crit"
seed=commit,version,date,bench,metric,unit,value,ci_low,ci_high,allocs,allocs_ci_low,allocs_ci_high,rustc,machine

# col FILE NAME: the values of column NAME (simple fields only).
col() {
    awk -F, -v name="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i; next } { print $c }' "$1"
}

BENCHTRACK_COMMIT=1111111111112222 BENCHTRACK_TAG=v1.0.0 \
    BENCHTRACK_DATE=2026-01-02T03:04:05Z BENCHTRACK_RUSTC='rustc 1.2.3 (abc 2026-01-01)'
export BENCHTRACK_COMMIT BENCHTRACK_TAG BENCHTRACK_DATE BENCHTRACK_RUSTC
run_ 0 benchtrack-collect --machine t --results-dir "$tmp/res" --criterion-dir "$tmp/crit"
h=$tmp/res/t.csv
[ -f "$h" ] || fail_ "no $h"
grep_ '^benchtrack-collect: 3 benchmarks of commit 111111111111 (v1.0.0) on machine t, 1 with allocation data: alloc/10$' "$tmp/out"
grep_ "^benchtrack-collect: wrote $h\$" "$tmp/out"
head -n 1 "$h" | cut -d, -f 1-14 >"$tmp/hdr"
echo "$seed" >"$tmp/exp"
compare_ "$tmp/exp" "$tmp/hdr"
# mean and median of three benchmarks.
[ "$(sed 1d "$h" | wc -l)" -eq 6 ] || fail_ "expected 6 rows in $h"
grep_ '^111111111111,v1.0.0,2026-01-02T03:04:05Z,alloc/10,mean,ns,1234.5,[0-9.]*,[0-9.]*,10,,,rustc 1.2.3 (abc 2026-01-01),t' "$h"
grep_ '^111111111111,v1.0.0,2026-01-02T03:04:05Z,alloc/10,median,ns,.*,10,,,rustc' "$h"
grep_ '^111111111111,v1.0.0,2026-01-02T03:04:05Z,none,mean,ns,56.25,[0-9.]*,[0-9.]*,,,,rustc' "$h"
grep_ '^111111111111,.*,"weird (x+y)\*2 ""q"" \[a-z\]|\$~",mean,ns,99,' "$h"
# The harness's share is taken off: 10 blocks, 365 bytes, nothing left.
[ "$(col "$h" alloc_bytes | sed -n 1p)" = 365 ] || fail_ "alloc_bytes is not 365"
[ "$(col "$h" end_blocks | sed -n 1p)" = 0 ] || fail_ "end_blocks is not 0"

# Idempotent: the same results again, with or without the date, change
# nothing, byte for byte.
cp "$h" "$tmp/first.csv"
run_ 0 benchtrack-collect --machine t --results-dir "$tmp/res" --criterion-dir "$tmp/crit"
compare_ "$tmp/first.csv" "$h"
unset BENCHTRACK_DATE
run_ 0 benchtrack-collect -m t -r "$tmp/res" -c "$tmp/crit" --quiet
compare_ "$tmp/first.csv" "$h"
[ ! -s "$tmp/out" ] || fail_ "--quiet printed something"

# A second commit is appended; the first one's rows stay as they were.
BENCHTRACK_COMMIT=2222222222223333 BENCHTRACK_DATE=2026-01-03T00:00:00Z \
    run_ 0 benchtrack-collect --machine=t --results-dir="$tmp/res" --criterion-dir="$tmp/crit"
[ "$(sed 1d "$h" | wc -l)" -eq 12 ] || fail_ "expected 12 rows after the second commit"
head -n 7 "$h" >"$tmp/head"
compare_ "$tmp/first.csv" "$tmp/head"
[ "$(col "$h" commit | sort -u | tr '\n' ' ')" = "111111111111 222222222222 " ] ||
    fail_ "commits: $(col "$h" commit | sort -u | tr '\n' ' ')"

# Bad input leaves the history untouched: exit 1.
cp "$h" "$tmp/before.csv"
printf '{"mean":' >"$tmp/crit/none/new/estimates.json"
BENCHTRACK_COMMIT=333333333333 run_ 1 benchtrack-collect -m t -r "$tmp/res" -c "$tmp/crit"
grep_ 'the history is left unchanged' "$tmp/err"
compare_ "$tmp/before.csv" "$h"
run_ 1 benchtrack-collect -m t -r "$tmp/res" -c "$tmp/nosuch"
grep_ 'nosuch: no such folder' "$tmp/err"
compare_ "$tmp/before.csv" "$h"
rm -rf "$tmp/crit"
cp -R "$data/flows/criterion" "$tmp/crit"

# Machine from the environment, commit from GITHUB_SHA (12 characters),
# date now in UTC with Z, rustc from rustc --version (empty without it).
unset BENCHTRACK_COMMIT BENCHTRACK_TAG BENCHTRACK_RUSTC
BENCH_MACHINE=envm GITHUB_SHA=abcdef0123456789abcdef0123456789abcdef01 \
    BENCHTRACK_TAG= run_ 0 benchtrack-collect -r "$tmp/res" -c "$tmp/crit"
[ "$(col "$tmp/res/envm.csv" commit | sort -u)" = abcdef012345 ] || fail_ "GITHUB_SHA not used"
col "$tmp/res/envm.csv" date | sed -n 1p >"$tmp/date"
grep_ '^20[0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9]Z$' "$tmp/date"
[ "$(col "$tmp/res/envm.csv" version | sort -u)" = "" ] || fail_ "BENCHTRACK_TAG= did not clear the version"
GITHUB_RUN_ID=777 GITHUB_SHA=abc SOURCE_DATE_EPOCH=86400 BENCHTRACK_TAG= \
    run_ 0 benchtrack-collect -r "$tmp/res" -c "$tmp/crit"
[ "$(col "$tmp/res/777.csv" date | sort -u)" = 1970-01-02T00:00:00Z ] || fail_ "SOURCE_DATE_EPOCH not used"

# --input: time rows from what a harness printed (bencher lines here),
# from a file or stdin; DHAT files still come from the Criterion folder.
printf 'test parse/json ... bench:       1,234 ns/iter (+/- 56)\ntest tiny ... bench: 10 ns/iter (+/- 1)\n' >"$tmp/bencher.txt"
BENCHTRACK_COMMIT=444444444444 BENCHTRACK_TAG= BENCHTRACK_RUSTC= BENCHTRACK_DATE=2026-01-04T00:00:00Z \
    run_ 0 benchtrack-collect -m in -r "$tmp/res" -c "$tmp/nosuch" --input "$tmp/bencher.txt"
grep_ '^444444444444,,2026-01-04T00:00:00Z,parse/json,median,ns,1234,1178,1290,,,,,in$' "$tmp/res/in.csv"
grep_ '^benchtrack-collect: 2 benchmarks of commit 444444444444 on machine in, 0 with allocation data$' "$tmp/out"
BENCHTRACK_COMMIT=555555555555 BENCHTRACK_TAG= BENCHTRACK_RUSTC= BENCHTRACK_DATE=2026-01-05T00:00:00Z \
    run_ 0 benchtrack-collect -m in -r "$tmp/res" -c "$tmp/crit" -i - <"$tmp/bencher.txt"
grep_ '^555555555555,,2026-01-05T00:00:00Z,tiny,median,ns,10,9,11,,,,,in,' "$tmp/res/in.csv"
run_ 1 benchtrack-collect -m in -r "$tmp/res" -i "$tmp/nosuch.txt"
grep_ 'nosuch.txt: no such file' "$tmp/err"

# The stamps from git: the exact tag, else Cargo.toml's version, else the
# nearest tag.
if command -v git >/dev/null 2>&1; then
    mkdir "$tmp/proj"
    cp -R "$data/flows/criterion" "$tmp/proj/crit"
    (
        cd "$tmp/proj" || exit 1
        export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.org GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.org
        git init -q . && printf '[package]\nname = "p"\nversion = "0.3.1"\n\n[dependencies]\nversion = "9"\n' >Cargo.toml &&
            git add Cargo.toml && git commit -q -m one
    ) || fail_ "git setup"
    head=$(cd "$tmp/proj" && git rev-parse HEAD | cut -c 1-12)
    (cd "$tmp/proj" && run_ 0 benchtrack-collect -m g -r res -c crit && exit $fail) || fail_ "collect in git"
    grep_ "^$head,v0.3.1," "$tmp/proj/res/g.csv"
    (cd "$tmp/proj" && git tag v0.4.0 && run_ 0 benchtrack-collect -m g2 -r res -c crit && exit $fail) || fail_ "tag"
    grep_ "^$head,v0.4.0," "$tmp/proj/res/g2.csv"
    (cd "$tmp/proj" && git rm -q Cargo.toml && GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@e GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@e git commit -q -m two &&
        run_ 0 benchtrack-collect -m g3 -r res -c crit && exit $fail) || fail_ "nearest tag"
    grep_ "^[0-9a-f]\{12\},v0.4.0," "$tmp/proj/res/g3.csv"
    nogrep_ "^$head," "$tmp/proj/res/g3.csv"
    # Outside a work tree, with no GITHUB_SHA: a clear error.
    mkdir "$tmp/nogit"
    (cd "$tmp/nogit" && GIT_CEILING_DIRECTORIES=$tmp run_ 1 benchtrack-collect -c "$tmp/crit" -r res && exit $fail) || fail_ "no git"
    grep_ 'cannot tell the commit' "$tmp/err"
fi

# A profile whose benchmark has no results: named in the summary by its
# folder, kept out of the history, and collecting again changes nothing.
cp -R "$data/flows/criterion" "$tmp/orphan"
prof=$(cd "$tmp/orphan" && find . -name dhat-heap.json | head -n 1)
dir=$(dirname "$prof")
rm -rf "$tmp/orphan/$dir/new"
BENCHTRACK_COMMIT=666666666666 BENCHTRACK_TAG= BENCHTRACK_RUSTC= BENCHTRACK_DATE=2026-01-06T00:00:00Z
export BENCHTRACK_COMMIT BENCHTRACK_TAG BENCHTRACK_RUSTC BENCHTRACK_DATE
run_ 0 benchtrack-collect --machine o --results-dir "$tmp/res" --criterion-dir "$tmp/orphan"
grep_ "^benchtrack-collect: 1 allocation profile matched no benchmark results, left out: ${dir#./}\$" "$tmp/out"
nogrep_ 'orphan\|/tmp/' "$tmp/res/o.csv"
cp "$tmp/res/o.csv" "$tmp/o1.csv"
run_ 0 benchtrack-collect --machine o --results-dir "$tmp/res" --criterion-dir "$tmp/orphan"
compare_ "$tmp/o1.csv" "$tmp/res/o.csv"
exit $fail
