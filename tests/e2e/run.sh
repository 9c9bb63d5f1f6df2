#!/usr/bin/env bash
# End-to-end runner: builds every case under tests/e2e/c (C) and tests/e2e/go (Go: each case twice, with gccgo
# as go/NAME and with the gc toolchain as gc/NAME), runs it under build/libleakcheck.so and checks the
# expectations written in the comment lines of its source:
#   // OPTIONS: a=1:b=2      LEAKCHECK_OPTIONS for the run
#   // ENV: NAME=value       extra environment (repeatable)
#   // ARGS: x y             program arguments (split on blanks)
#   // EXIT: 66              exact exit status; "// EXIT: signal 15" for death by a signal
#   // EXPECT: ERE           some stderr line matches
#   // EXPECT-COUNT: N ERE   exactly N stderr lines match
#   // REJECT: ERE           no stderr line matches
#   // STDOUT: ERE           some stdout line matches
#   // STDOUT-VARIES         do not compare stdout with an uninstrumented run
#   // DRIVER: NAME.sh       run NAME.sh (env BIN, LIB, OUT, BUILD=gc|gccgo|c) instead; its stdout is checked
#   // CPUS: N               skipped, with a note, where fewer than N CPUs are available (a race that needs two)
# Go cases only:
#   // BUILD: gc             build this case with one compiler only (gc: generics; gccgo: libgo-only behaviour)
#   // GCBUILD: V=x -flag    environment and flags of the gc build (default CGO_ENABLED=0 -buildmode=pie, which
#                            loads the preload without cgo); a binary no preload enters is run as it is
#   // GC-KEY: ... / GCCGO-KEY: ...   any line above for one of the two builds only
# Usage: tests/e2e/run.sh [NAME-or-glob ...]     Output ends with "N passed, N failed".
set -u

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
E2E=$ROOT/tests/e2e
LIB=${LEAKCHECK_LIB:-$ROOT/build/libleakcheck.so}   # override to test another build
WORK=$ROOT/build/e2e                 # binaries: WORK/c, WORK/go, WORK/gc; last run's outputs: WORK/out
RUN=$WORK/run.$$                     # this run's scratch (several runners may share the tree)
TIMEOUT=${LEAKCHECK_E2E_TIMEOUT:-30}
GCCGO=${GCCGO:-gccgo-12}
GO=${GO:-go}
# gc builds: a private cache and no network (the e2e programs import only the standard library)
export GOCACHE=${GOCACHE:-$ROOT/build/gocache} GOFLAGS=${GOFLAGS:-} GOPROXY=off GOTOOLCHAIN=local GOTELEMETRY=off
export HOME=${HOME:-$ROOT/build}

# ---- one case ------------------------------------------------------------------------------------------------
# run_case SRC [BUILD]: writes $RUN/res/LANG-NAME: first line PASS or FAIL, then the lines to print. BUILD is
# gc or gccgo for a Go case (LANG is then gc or go).
run_case() {
    local src=$1 build=${2:-} lang name bin out res
    lang=$(basename "$(dirname "$src")")
    [ "$build" = gc ] && lang=gc
    name=${src##*/}; name=${name%.*}
    bin=$WORK/$lang/$name
    out=$RUN/out/$lang-$name
    res=$RUN/res/$lang-$name
    rm -rf "$out"; mkdir -p "$out" "$WORK/$lang"

    local fails=()
    fail() { fails+=("$*"); }

    # Expectations from the comment lines.
    local opts="" args="" exitx="" driver="" varies=0 nchecks=0 line key val only="" gcbuild="" cpus=""
    local -a envs=() expects=() counts=() rejects=() stdouts=()
    local keys='OPTIONS|ENV|ARGS|EXIT|EXPECT|EXPECT-COUNT|REJECT|STDOUT|STDOUT-VARIES|DRIVER|BUILD|GCBUILD|CPUS'
    while IFS= read -r line; do
        [[ $line =~ ^//\ ?((GC|GCCGO)-)?($keys)(:\ ?(.*))?$ ]] || continue
        key=${BASH_REMATCH[3]}; val=${BASH_REMATCH[5]}
        # a line for one build only
        if [ -n "${BASH_REMATCH[2]}" ]; then
            [ "${BASH_REMATCH[2]}" = GC ] && [ "$build" != gc ] && continue
            [ "${BASH_REMATCH[2]}" = GCCGO ] && [ "$build" != gccgo ] && continue
        fi
        case $key in
            BUILD) only=${val%% *} ;;
            GCBUILD) gcbuild=$val ;;
            CPUS) cpus=${val%% *} ;;
            OPTIONS) opts=$val ;;
            ENV) envs+=("$val") ;;
            ARGS) args=$val ;;
            EXIT) exitx=$val ;;
            EXPECT) expects+=("$val"); nchecks=$((nchecks + 1)) ;;
            EXPECT-COUNT) counts+=("$val"); nchecks=$((nchecks + 1)) ;;
            REJECT) rejects+=("$val"); nchecks=$((nchecks + 1)) ;;
            STDOUT) stdouts+=("$val") ;;
            STDOUT-VARIES) varies=1 ;;
            DRIVER) driver=$val ;;
        esac
    done < "$src"

    if [ "$nchecks" -eq 0 ]; then fail "case has no EXPECT, EXPECT-COUNT or REJECT line: it cannot fail"; fi
    local want
    case $exitx in
        "") fail "case has no EXIT line"; want="" ;;
        signal\ *) want=$((128 + ${exitx#signal })) ;;
        *[!0-9]*) fail "bad EXIT line: '$exitx'"; want="" ;;
        *) want=$exitx ;;
    esac

    if [ -n "$only" ] && [ -n "$build" ] && [ "$only" != "$build" ]; then
        printf 'NONE\n' > "$res"            # not a case of this build
        return
    fi
    if [ -n "$cpus" ] && [ "$(nproc)" -lt "$cpus" ]; then
        printf 'SKIP\nSKIP %s/%s: needs %s CPUs, this run has %s\n' "$lang" "$name" "$cpus" "$(nproc)" > "$res"
        return
    fi

    # Build (only when the source is newer than the binary).
    if [ ${#fails[@]} -eq 0 ] && ! [ "$bin" -nt "$src" ]; then
        local rc=0
        # Built under a private name then renamed, so a concurrent run never sees half a binary.
        if [ "$build" = gccgo ]; then
            "$GCCGO" -g -O1 -o "$bin.$$" "$src" > "$out/build.log" 2>&1 || rc=$?
        elif [ "$build" = gc ]; then
            local -a genv=(CGO_ENABLED=0) gflags=()
            [ -n "$gcbuild" ] || gcbuild=-buildmode=pie
            set -f
            for val in $gcbuild; do
                case $val in -*) gflags+=("$val") ;; *=*) genv+=("$val") ;; *) gflags+=("$val") ;; esac
            done
            set +f
            (cd "$(dirname "$src")" && env "${genv[@]}" "$GO" build "${gflags[@]}" -o "$bin.$$" "$src") \
                > "$out/build.log" 2>&1 || rc=$?
        else
            gcc -g -O0 -pthread -o "$bin.$$" "$src" > "$out/build.log" 2>&1 || rc=$?
        fi
        if [ $rc -eq 0 ]; then mv -f "$bin.$$" "$bin"
        else rm -f "$bin.$$"; fail "build failed"; cp "$out/build.log" "$out/stderr"; fi
    fi

    # Run.
    local status=0 checked=$out/stderr
    if [ ${#fails[@]} -eq 0 ]; then
        local -a argv
        set -f; argv=($args); set +f
        if [ -n "$driver" ]; then
            checked=$out/driver.out
            mkdir -p "$out/files"
            env "${envs[@]}" LEAKCHECK_OPTIONS="$opts" BIN="$bin" LIB="$LIB" OUT="$out/files" BUILD="${build:-c}" \
                timeout -k 5 "$TIMEOUT" sh "$(dirname "$src")/$driver" > "$checked" 2> "$out/stderr" || status=$?
            # The driver's own complaints are shown with the rest on failure.
            [ -s "$out/stderr" ] && { echo "--- driver stderr:"; cat "$out/stderr"; } >> "$checked"
        else
            # The preload goes on the program only, not on timeout(1).
            timeout -k 5 "$TIMEOUT" env "${envs[@]}" LEAKCHECK_OPTIONS="$opts" LD_PRELOAD="$LIB" "$bin" "${argv[@]}" \
                > "$out/stdout" 2> "$out/stderr" < /dev/null || status=$?
            if [ $varies -eq 0 ]; then
                timeout -k 5 "$TIMEOUT" env "${envs[@]}" "$bin" "${argv[@]}" > "$out/stdout.plain" 2> /dev/null < /dev/null
                cmp -s "$out/stdout" "$out/stdout.plain" || fail "stdout differs from the run without the shim:
$(diff "$out/stdout.plain" "$out/stdout" | sed 's/^/    /')"
            fi
        fi
        if [ -n "$driver" ] && [ "$status" -eq 77 ]; then   # the driver cannot run here (needs root, valgrind...)
            printf 'SKIP\nSKIP %s/%s: %s\n' "$lang" "$name" "$(grep -m1 '^SKIP' "$checked" | sed 's/^SKIP:* *//')" > "$res"
            return
        fi
        if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then fail "timed out after ${TIMEOUT}s"
        elif [ -n "$want" ] && [ "$status" -ne "$want" ]; then fail "exit status $status, want $want ($exitx)"; fi

        local re n m
        for re in "${expects[@]}"; do
            grep -Eq -e "$re" "$checked" || fail "EXPECT not matched: $re"
        done
        for val in "${counts[@]}"; do
            n=${val%% *}; re=${val#* }
            m=$(grep -Ec -e "$re" "$checked")
            [ "$m" = "$n" ] || fail "EXPECT-COUNT $n, got $m: $re"
        done
        for re in "${rejects[@]}"; do
            grep -Eq -e "$re" "$checked" && fail "REJECT matched: $re
$(grep -E -e "$re" "$checked" | head -5 | sed 's/^/      > /')"
        done
        for re in "${stdouts[@]}"; do
            if [ -n "$driver" ]; then fail "STDOUT is not checked for DRIVER cases (check it in the driver)"; break; fi
            grep -Eq -e "$re" "$out/stdout" || fail "STDOUT not matched: $re"
        done
    fi

    if [ ${#fails[@]} -eq 0 ]; then
        printf 'PASS\nPASS %s/%s\n' "$lang" "$name" > "$res"
        return
    fi
    {
        echo FAIL
        echo "FAIL $lang/$name"
        local f; for f in "${fails[@]}"; do echo "  - $f"; done
        echo "  captured ${checked##*/} (exit status $status):"
        sed 's/^/    | /' "$checked" 2>/dev/null | head -80
    } > "$res"
}

if [ "${1:-}" = --one ]; then RUN=$2; src=$3; run_case "${src%:*}" "$(case $src in *:*) echo "${src##*:}" ;; esac)"; exit 0; fi

# ---- all cases ----------------------------------------------------------------------------------------------
if ! [ -f "$LIB" ]; then echo "e2e: $LIB not built (make lib)" >&2; exit 2; fi
rm -rf "$RUN"; mkdir -p "$RUN/res" "$RUN/out"
trap 'rm -rf "$RUN"' EXIT

cases=()
for src in "$E2E"/c/*.c "$E2E"/go/*.go; do
    [ -f "$src" ] || continue          # an empty directory leaves its glob unexpanded
    name=${src##*/}; name=${name%.*}
    if [ $# -gt 0 ]; then
        keep=0
        for pat in "$@"; do
            # shellcheck disable=SC2254
            case $name in $pat) keep=1 ;; esac
        done
        [ $keep -eq 1 ] || continue
    fi
    if [ "${src##*.}" = go ]; then
        if command -v "$GCCGO" > /dev/null 2>&1; then cases+=("$src:gccgo"); else echo "skip go/$name: $GCCGO not installed"; fi
        if command -v "$GO" > /dev/null 2>&1; then cases+=("$src:gc"); else echo "skip gc/$name: $GO not installed"; fi
        continue
    fi
    cases+=("$src")
done
if [ ${#cases[@]} -eq 0 ]; then echo "e2e: no case matches: $*" >&2; echo "0 passed, 0 failed"; exit 1; fi

# Two at a time (the machine has two cores); each worker writes its own result file.
printf '%s\n' "${cases[@]}" | xargs -d '\n' -P2 -n1 "$BASH" "$0" --one "$RUN"

passed=0; failed=0; skipped=0
for c in "${cases[@]}"; do
    src=${c%:gc*}; src=${src%:gccgo}
    lang=$(basename "$(dirname "$src")"); name=${src##*/}; name=${name%.*}
    [ "${c##*:}" = gc ] && lang=gc
    res=$RUN/res/$lang-$name
    if [ -f "$res" ] && [ "$(head -1 "$res")" = NONE ]; then
        continue
    elif [ -f "$res" ] && [ "$(head -1 "$res")" = PASS ]; then
        passed=$((passed + 1)); tail -n +2 "$res"
    elif [ -f "$res" ] && [ "$(head -1 "$res")" = SKIP ]; then
        skipped=$((skipped + 1)); tail -n +2 "$res"
    else
        failed=$((failed + 1))
        if [ -f "$res" ]; then tail -n +2 "$res"; else echo "FAIL $lang/$name"; echo "  - runner crashed"; fi
    fi
done
# Keep this run's outputs (stdout, stderr, driver files) for a look after a failure.
rm -rf "$WORK/out"; mv "$RUN/out" "$WORK/out" 2>/dev/null
if [ $skipped -gt 0 ]; then echo "$passed passed, $failed failed, $skipped skipped"
else echo "$passed passed, $failed failed"; fi
[ $failed -eq 0 ]
