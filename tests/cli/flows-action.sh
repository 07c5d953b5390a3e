#!/bin/sh
# The GitHub composite action: action.yml maps every input to the step
# script, and the step script, run as plain shell with the GITHUB_*
# variables set, collects the bundled sample, draws it, runs the gate, and
# writes the step summary and outputs.
. "$abs_top_srcdir/tests/cli/setup.sh"

action=$abs_top_srcdir/action.yml
steps=$abs_top_srcdir/scripts/action-steps.sh
sample=$abs_top_srcdir/bench/sample/results

# 1. action.yml and the step script agree.
grep_ 'using: composite' "$action"
grep_ 'run: sh "$GITHUB_ACTION_PATH/scripts/action-steps.sh" install$' "$action"
grep_ 'run: sh "$GITHUB_ACTION_PATH/scripts/action-steps.sh" flows$' "$action"
grep -o 'INPUT_[A-Z][A-Z_]*' "$steps" | sort -u >"$tmp/used"
grep -o 'INPUT_[A-Z_]*: \${{ inputs\.[a-z-]* }}' "$action" >"$tmp/mapped"
while read -r v; do
    grep -q "^$v: " "$tmp/mapped" || fail_ "$v is used by action-steps.sh but not set by action.yml"
done <"$tmp/used"
# Each mapping names the input it says: INPUT_FOO_BAR <- inputs.foo-bar,
# and that input is declared.
while read -r v rest; do
    name=$(printf '%s\n' "$rest" | sed 's/.*inputs\.\([a-z-]*\).*/\1/')
    want=INPUT_$(printf '%s' "$name" | tr 'a-z-' 'A-Z_'):
    [ "$v" = "$want" ] || fail_ "$v maps inputs.$name"
    grep -q "^  $name:\$" "$action" || fail_ "inputs.$name is not declared"
done <"$tmp/mapped"

# 2. The flows step on the sample.
for p in criterion-scan dhat-scan csv-merge sparkline badge; do
    command -v $p >/dev/null 2>&1 || skip_ "$p not built"
done
[ -f "$sample/r1/stamp" ] || skip_ "no sample results"
stamp() { sed -n "s/^$2=//p" "$sample/$1/stamp"; }
unset BENCH_MACHINE GITHUB_RUN_ID BENCHTRACK_COMMIT BENCHTRACK_DATE BENCHTRACK_TAG BENCHTRACK_RUSTC || true
mkdir -p "$tmp/repo" && cd "$tmp/repo" || exit 99
# The history the repository already holds: the first revisions.
for r in r1 r2 r3; do
    BENCHTRACK_COMMIT=$(stamp $r commit) BENCHTRACK_DATE=$(stamp $r date) BENCHTRACK_TAG=$(stamp $r version) \
        BENCHTRACK_RUSTC=$(stamp $r rustc) \
        benchtrack-collect -q --machine github --criterion-dir "$sample/$r/criterion" || fail_ "collect $r"
done
# This run: the newest revision, stamped as GitHub Actions would.
r4=$(stamp r4 commit)
: >"$tmp/output"
printf '# Earlier step\n' >"$tmp/summary"
(
    fail=0
    export GITHUB_ACTIONS=true GITHUB_SHA="${r4}0123456789abcdef01234567" GITHUB_RUN_ID=123456 \
        GITHUB_OUTPUT="$tmp/output" GITHUB_STEP_SUMMARY="$tmp/summary" GITHUB_ACTION_PATH="$abs_top_srcdir" \
        BENCHTRACK_TAG=v0.2.0 BENCHTRACK_RUSTC="$(stamp r4 rustc)" \
        INPUT_MACHINE=github INPUT_RESULTS_DIR=bench/results INPUT_CRITERION_DIR="$sample/r4/criterion" \
        INPUT_OUTPUT_DIR=bench/img INPUT_MAX_POINTS=50 INPUT_BASE= INPUT_THRESHOLD=5 INPUT_ALLOC_THRESHOLD=0 \
        INPUT_COLLECT=true INPUT_PLOT=true INPUT_CHECK=true INPUT_FAIL_ON_REGRESSION=false
    run_ 0 sh "$steps" flows
    exit $fail
) || fail_ "the flows step failed"
cat "$tmp/out" "$tmp/err" >"$tmp/log"
grep_ "^benchtrack-collect: 6 benchmarks of commit $r4 (v0.2.0) on machine github, 6 with allocation data" "$tmp/log"
grep_ '^benchtrack-plot: ' "$tmp/log"
# The step summary: the table, after what was there.
grep_ '^# Earlier step$' "$tmp/summary"
grep_ '^### benchtrack: `github`' "$tmp/summary"
grep_ "^Commit \`$r4\` judged against the history before it" "$tmp/summary"
grep_ '^| join_numbers | allocs | [0-9]* | [0-9]* | -[0-9.]*% | improved |' "$tmp/summary"
grep_ '^| words: "distinct" &lt;set&gt; | mean |' "$tmp/summary"
# The outputs.
grep_ '^history<<ghadelimiter_[0-9a-f]\{32\}$' "$tmp/output"
grep_ '^bench/results/github.csv$' "$tmp/output"
grep_ '^bench/img$' "$tmp/output"
grep_ '^regressed<<ghadelimiter_[0-9a-f]\{32\}$' "$tmp/output"
grep_ '^\(true\|false\)$' "$tmp/output"
# The files a workflow commits back.
[ "$(cut -d, -f1 bench/results/github.csv | sed 1d | sort -u | wc -l)" -eq 4 ] || fail_ "expected 4 commits"
[ -s bench/img/README.md ] || fail_ "no bench/img/README.md"
[ -s bench/img/join_numbers_allocs_badge.svg ] || fail_ "no allocation badge"

# 3. A pull request that regresses: check only, against a given base; the
# step fails and says so in its output.
mkdir -p "$tmp/pr" && cd "$tmp/pr" || exit 99
BENCHTRACK_COMMIT=$r4 benchtrack-collect -q -m github -c "$sample/r4/criterion" || fail_ "collect base"
BENCHTRACK_COMMIT=feedfacecafe benchtrack-collect -q -m github -c "$sample/r3/criterion" || fail_ "collect pr"
: >"$tmp/output2"
(
    fail=0
    export GITHUB_OUTPUT="$tmp/output2" GITHUB_STEP_SUMMARY="$tmp/summary2" \
        INPUT_MACHINE=github INPUT_BASE="$r4" INPUT_COLLECT=false INPUT_PLOT=false
    run_ 1 sh "$steps" flows
    exit $fail
) || fail_ "the regressing pull request did not fail the step"
grep_ "^Commit \`feedfacecafe\`, one run, judged against the history up to \`$r4\`" "$tmp/summary2"
grep_ '^| join_numbers | allocs | [0-9]* | [0-9]* | +[0-9.]*% | \*\*regressed\*\* |' "$tmp/summary2"
grep_ '^true$' "$tmp/output2"
[ ! -e bench/img ] || fail_ "plot ran with INPUT_PLOT=false"
# fail-on-regression false: the step passes, the output still says so.
(
    fail=0
    export GITHUB_OUTPUT="$tmp/output3" INPUT_MACHINE=github INPUT_COLLECT=false INPUT_PLOT=false \
        INPUT_FAIL_ON_REGRESSION=false
    run_ 0 sh "$steps" flows
    exit $fail
) || fail_ "fail-on-regression=false failed the step"
grep_ '^true$' "$tmp/output3"
run_ 2 sh "$steps" nosuchstep

# 4. The outputs' heredoc delimiters: random (128 bits from /dev/urandom,
# as GitHub recommends), a new one for each output of each run, so that a
# value holding lines that look like delimiters (the old predictable
# benchtrack_PID_TIME, another output's start) stays one value.
cd "$tmp" || exit 99
value=$(printf 'img\nbenchtrack_%s_%s\nregressed<<x\nghadelimiter_0\nend' $$ "$(date +%s)")
: >"$tmp/output4"
(
    fail=0
    export GITHUB_OUTPUT="$tmp/output4" INPUT_MACHINE=m INPUT_OUTPUT_DIR="$value" \
        INPUT_COLLECT=false INPUT_PLOT=false INPUT_CHECK=false
    run_ 0 sh "$steps" flows
    run_ 0 sh "$steps" flows
    exit $fail
) || fail_ "the flows step failed"
# The file read as GitHub reads it: NAME<<DELIMITER, then the lines up to
# the one that is the delimiter; a value's lines joined with |.
awk -v delims="$tmp/delims" '
    inblock && $0 == d { print name "=" v; inblock = 0; next }
    inblock { v = first ? $0 : v "|" $0; first = 0; next }
    /^[A-Za-z_-]*<</ {
        name = $0; sub(/<<.*/, "", name)
        d = $0; sub(/^[^<]*<</, "", d)
        print d >delims
        inblock = 1; first = 1; v = ""
        next
    }
    { print "stray line: " $0 }
' "$tmp/output4" >"$tmp/parsed"
v=$(printf '%s' "$value" | tr '\n' '|')
printf '%s\n' history=bench/results/m.csv "img-dir=$v" regressed=false \
    history=bench/results/m.csv "img-dir=$v" regressed=false >"$tmp/exp"
compare_ "$tmp/exp" "$tmp/parsed"
[ "$(grep -c '^ghadelimiter_[0-9a-f]\{32\}$' "$tmp/delims")" -eq 6 ] ||
    fail_ "delimiters are not ghadelimiter_ and 32 hex digits: $(cat "$tmp/delims")"
[ "$(sort -u "$tmp/delims" | wc -l)" -eq 6 ] || fail_ "delimiters repeat: $(cat "$tmp/delims")"
# A value that holds its delimiter all the same (od made to give fixed
# bits), or no random bits at all: the step fails and writes no block.
mkdir "$tmp/fakebin"
printf '#!/bin/sh\necho " 00 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff"\n' >"$tmp/fakebin/od"
chmod +x "$tmp/fakebin/od"
: >"$tmp/output5"
(
    fail=0
    export PATH="$tmp/fakebin:$PATH" GITHUB_OUTPUT="$tmp/output5" INPUT_MACHINE=m \
        INPUT_OUTPUT_DIR="img
ghadelimiter_00112233445566778899aabbccddeeff
x" INPUT_COLLECT=false INPUT_PLOT=false INPUT_CHECK=false
    run_ 1 sh "$steps" flows
    grep_ 'the value of the output img-dir holds its delimiter' "$tmp/err"
    printf '#!/bin/sh\nexit 1\n' >"$tmp/fakebin/od"
    run_ 1 sh "$steps" flows
    grep_ 'cannot read 128 random bits' "$tmp/err"
    exit $fail
) || fail_ "a value holding its delimiter was written"
nogrep_ '^img-dir<<' "$tmp/output5"
nogrep_ '^x$' "$tmp/output5"
exit $fail
