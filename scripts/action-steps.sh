#!/bin/sh
# action-steps.sh: the steps of benchtrack's GitHub composite action
# (action.yml at the top of the tree runs "sh action-steps.sh STEP").  The
# logic lives here rather than in the YAML so that the test suite runs the
# very same steps as plain shell (tests/cli/flows-action.sh).
#
# Inputs come as INPUT_* environment variables (action.yml maps each input
# of the action to one); outputs go to $GITHUB_OUTPUT, the check's table to
# $GITHUB_STEP_SUMMARY.
# SPDX-License-Identifier: MIT

set -u
step=${1:-}

log() {
    printf 'benchtrack action: %s\n' "$*" >&2
}

# output NAME VALUE: one step output (multi-line safe).  The heredoc
# delimiter is random, as GitHub's documentation recommends: a value that
# could guess it could end the block and set outputs of its own.  A value
# that holds it all the same is refused rather than written.
output() {
    [ -n "${GITHUB_OUTPUT:-}" ] || return 0
    delim=ghadelimiter_$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
    case $delim in
        ghadelimiter_????????????????????????????????) ;;
        *) log "cannot read 128 random bits from /dev/urandom for the output $1"; return 1 ;;
    esac
    case $2 in
        *"$delim"*) log "the value of the output $1 holds its delimiter"; return 1 ;;
    esac
    printf '%s<<%s\n%s\n%s\n' "$1" "$delim" "$2" "$delim" >>"$GITHUB_OUTPUT"
}

is_true() {
    case $1 in
        true | True | TRUE | yes | 1) return 0 ;;
        *) return 1 ;;
    esac
}

case $step in
install)
    # Build dependencies from apt, then configure, make, make install of the
    # benchtrack tree the action lives in.
    src=${GITHUB_ACTION_PATH:?not run by GitHub Actions}
    # cd and the commands below must not take a relative folder for an
    # option ("cd -" even for the previous folder).
    case $src in
        -*) src=./$src ;;
    esac
    prefix=${INPUT_PREFIX:-/usr/local}
    sudo=
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    if command -v apt-get >/dev/null 2>&1; then
        $sudo apt-get update -qq &&
            $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
                autoconf automake libtool pkg-config make gcc libjson-c-dev libunwind8 ||
            exit 1
    else
        log "no apt-get: assuming the build dependencies are installed"
    fi
    build=${RUNNER_TEMP:-/tmp}/benchtrack-build
    case $build in
        -*) build=./$build ;;
    esac
    rm -rf -- "$build" && mkdir -p -- "$build" || exit 1
    (cd "$src" && autoreconf -fi) || exit 1
    (cd "$build" && "$src/configure" --prefix="$prefix" && make -j"$(nproc 2>/dev/null || echo 2)" &&
        $sudo make install) || exit 1
    # printf, not echo: dash's echo would expand the backslashes of a path.
    [ "$prefix" = /usr/local ] || [ -z "${GITHUB_PATH:-}" ] || printf '%s/bin\n' "$prefix" >>"$GITHUB_PATH"
    ;;
flows)
    machine=${INPUT_MACHINE:-github}
    results_dir=${INPUT_RESULTS_DIR:-bench/results}
    output_dir=${INPUT_OUTPUT_DIR:-bench/img}
    output history "$results_dir/$machine.csv" || exit 1
    output img-dir "$output_dir" || exit 1

    if is_true "${INPUT_COLLECT:-true}"; then
        benchtrack-collect --machine "$machine" --results-dir "$results_dir" \
            --criterion-dir "${INPUT_CRITERION_DIR:-target/criterion}" || exit 1
    fi
    if is_true "${INPUT_PLOT:-true}"; then
        benchtrack-plot --machine "$machine" --results-dir "$results_dir" \
            --output-dir "$output_dir" --max-points "${INPUT_MAX_POINTS:-50}" || exit 1
    fi
    regressed=false
    if is_true "${INPUT_CHECK:-true}"; then
        set -- --machine "$machine" --results-dir "$results_dir" \
            --threshold "${INPUT_THRESHOLD:-5}" --alloc-threshold "${INPUT_ALLOC_THRESHOLD:-0}"
        [ -z "${INPUT_BASE:-}" ] || set -- "$@" --base "$INPUT_BASE"
        benchtrack-check "$@"
        status=$?
        case $status in
            0) ;;
            1) regressed=true ;;
            *) exit "$status" ;;
        esac
    fi
    output regressed "$regressed" || exit 1
    if [ "$regressed" = true ] && is_true "${INPUT_FAIL_ON_REGRESSION:-true}"; then
        log "a benchmark regressed (see the table above)"
        exit 1
    fi
    ;;
*)
    printf 'usage: action-steps.sh install|flows\n' >&2
    exit 2
    ;;
esac
exit 0
