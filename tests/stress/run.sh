#!/usr/bin/env bash
# `make stress`: threads (and goroutines: gccgo, gc, and a static gc build traced by leakcheck) churn while
# SIGUSR1 live dumps fire from this shell, reports going to files (log_path). Each run must: not crash, not
# hang (watchdog; stacks are printed), pass the program's own checks, keep every dump complete, and end with a
# verdict counting exactly the 7 tasks the program leaves blocked on purpose. About 40 s in all.
# Env: STRESS_SECONDS (churn time per program, default 6), STRESS_ONLY (c or go: that one only),
# LEAKCHECK_LIB (library to test).
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$ROOT/tests/stress
LIB=${LEAKCHECK_LIB:-$ROOT/build/libleakcheck.so}
WORK=$ROOT/build/stress
GCCGO=${GCCGO:-gccgo-12}
SECS=${STRESS_SECONDS:-6}
# Dumps every 20 ms: enough for the whole churn and the settling after it (the last report must see the
# settled program), whatever STRESS_SECONDS is; at least 400.
DUMPS=$((SECS * 50 + 100))
[ "$DUMPS" -ge 400 ] || DUMPS=400
ONLY=${STRESS_ONLY:-}
# Live dumps in gccgo programs depend on the shim putting its handler back in front of libgo's (libgo takes
# every signal over at start-up); STRESS_GO_DUMPS=0 leaves the Go run's dumps unchecked.
GO_DUMPS=${STRESS_GO_DUMPS:-1}
# shellcheck source=lib.sh
. "$HERE/lib.sh"

if ! [ -f "$LIB" ]; then echo "stress: $LIB not built (make lib)" >&2; exit 2; fi
rm -rf "$WORK"; mkdir -p "$WORK"
failed=0

# check NAME DIGEST ERE...: every ERE must match a line of the digest; prints the verdict of the run.
check() {
    local name=$1 digest=$2 re bad=0
    shift 2
    for re in "$@"; do
        if ! grep -Eq -e "$re" "$digest"; then echo "  - not matched: $re"; bad=1; fi
    done
    if grep -Eq '^(hang|stdout: .*FAILED|stderr: .*(leakcheck|rror|ault))' "$digest"; then
        echo "  - hang, failure or shim message:"; grep -E '^(hang|stdout: .*FAILED|stderr:)' "$digest" | head -40
        bad=1
    fi
    if [ $bad -eq 0 ]; then
        echo "PASS $name: $(sed -n 's/^dumps sent: //p' "$digest") dumps sent," \
             "$(sed -n 's/^live reports: //p' "$digest") live reports; $(sed -n 's/^stdout: churn: //p' "$digest")"
    else
        failed=1
        echo "FAIL $name (digest: $digest)"
        sed 's/^/    | /' "$digest" | grep -v '^    | verdict:  ' | head -60
    fi
}

# ---- C: pthreads ----------------------------------------------------------------------------------------
# Built at -O0: at -O1 gcc unrolls the loops that start the 7 threads, and the report groups by exact call
# site, so the checks on group sizes would see one group per unrolled call.
out=$WORK/c
mkdir -p "$out"
if [ "$ONLY" = go ]; then
    echo "SKIP c: STRESS_ONLY=go"
elif gcc -std=gnu11 -g -O0 -Wall -Wextra -Werror -pthread -o "$WORK/churn" "$HERE/churn.c" 2> "$out/build.log"; then
    echo "stress c: ${SECS}s of churn, 4 churners, SIGUSR1 every 20 ms (at most $DUMPS)"
    export LEAKCHECK_OPTIONS="grace_ms=100:log_path=$out/lc"
    run_under_dumps "$out" "$DUMPS" 0.02 $((SECS + 30)) "$WORK/churn" $((SECS * 1000)) 4 500
    pid=$(sed -n 's/^pid //p' "$out/stdout")
    digest "$out" "$out/lc.$pid" > "$out/digest"
    check c "$out/digest" \
        '^exit status 66$' '^stdout: churn: ok,' '^stdout: settled 7$' \
        '^live reports: [1-9][0-9]+$' \
        '^last live report: leakcheck: live report \(pid [0-9]+, 8 tasks\)$' \
        '^verdict: leakcheck: found unexpected threads \(7 leaked in 4 groups, 1 misuse\)$' \
        '^verdict: \[3 threads blocked for [0-9.]+s( \(newest [0-9.]+s\))? in pthread_cond_wait on cond 0x' \
        '^verdict: \[2 threads blocked for [0-9.]+s( \(newest [0-9.]+s\))? in sem_wait on sem 0x' \
        '^verdict: \[1 thread blocked for [0-9.]+s in pthread_mutex_lock on mutex 0x' \
        '^verdict: \[1 thread blocked for [0-9.]+s in pthread_barrier_wait on barrier 0x' \
        '^verdict: \[thread exited holding a lock on mutex 0x' \
        '^verdict: leakcheck: 7 leaked, 1 misuse; exit status 66$' '^stderr: empty$'
else
    echo "FAIL c: build failed"; cat "$out/build.log"; failed=1
fi

# ---- Go: goroutines (gccgo) ------------------------------------------------------------------------------
out=$WORK/go
mkdir -p "$out"
if [ "$ONLY" = c ]; then
    echo "SKIP go: STRESS_ONLY=c"
elif ! command -v "$GCCGO" > /dev/null 2>&1; then
    echo "SKIP go: $GCCGO not installed"
elif "$GCCGO" -g -O1 -o "$WORK/churn_go" "$HERE/churn.go" 2> "$out/build.log"; then
    echo "stress go: ${SECS}s of churn, SIGUSR1 every 20 ms (at most $DUMPS)"
    export LEAKCHECK_OPTIONS="grace_ms=100:log_path=$out/lc"
    run_under_dumps "$out" "$DUMPS" 0.02 $((SECS + 30)) "$WORK/churn_go" $((SECS * 1000)) 500
    pid=$(sed -n 's/^pid //p' "$out/stdout")
    digest "$out" "$out/lc.$pid" > "$out/digest"
    check go "$out/digest" \
        '^exit status 66$' '^stdout: churn: ok,' '^stdout: settled 7$' \
        "$([ "$GO_DUMPS" = 1 ] && echo '^live reports: [1-9][0-9]+$' || echo '^live reports: ')" \
        "$([ "$GO_DUMPS" = 1 ] && echo '^last live report: leakcheck: live report \(pid [0-9]+, 8 tasks\)$' || echo .)" \
        '^verdict: leakcheck: found unexpected goroutines \(7 leaked in 4 groups\)$' \
        '^verdict: \[3 goroutines blocked for [0-9.]+s( \(newest [0-9.]+s\))? in chan receive on chan 0x' \
        '^verdict: \[2 goroutines blocked for [0-9.]+s( \(newest [0-9.]+s\))? in chan send on chan 0x' \
        '^verdict: \[1 goroutine blocked for [0-9.]+s in (sync\.Mutex\.Lock|semacquire)' \
        '^verdict: \[1 goroutine blocked for [0-9.]+s in select' \
        '^verdict: leakcheck: 7 leaked, 0 misuse; exit status 66$' '^stderr: empty$'
    [ "$GO_DUMPS" = 1 ] || echo "SKIP go dumps: not checked (STRESS_GO_DUMPS=0)"
else
    echo "FAIL go: build failed"; cat "$out/build.log"; failed=1
fi

# ---- Go: goroutines (gc) ---------------------------------------------------------------------------------
# The same program built by the go toolchain (position-independent, so that the preload enters it).
GO=${GO:-go}
export GOCACHE=${GOCACHE:-$ROOT/build/gocache} GOPROXY=off GOTOOLCHAIN=local GOTELEMETRY=off GOFLAGS=

# gc_build LABEL SRC BIN: builds $HERE/SRC into BIN (its log in $out); else says why the round is skipped or
# failed, and returns 1.
gc_build() {
    if [ "$ONLY" = c ] || [ "$ONLY" = go ]; then echo "SKIP $1: STRESS_ONLY=$ONLY"; return 1; fi
    if ! command -v "$GO" > /dev/null 2>&1; then echo "SKIP $1: $GO not installed"; return 1; fi
    (cd "$HERE" && CGO_ENABLED=0 "$GO" build -buildmode=pie -o "$3" "$2") 2> "$out/build.log" && return 0
    echo "FAIL $1: build failed"; cat "$out/build.log"; failed=1
    return 1
}

out=$WORK/gc
mkdir -p "$out"
if gc_build gc churn.go "$WORK/churn_gc"; then
    echo "stress gc: ${SECS}s of churn, SIGUSR1 every 20 ms (at most $DUMPS)"
    export LEAKCHECK_OPTIONS="grace_ms=100:log_path=$out/lc"
    run_under_dumps "$out" "$DUMPS" 0.02 $((SECS + 30)) "$WORK/churn_gc" $((SECS * 1000)) 500
    pid=$(sed -n 's/^pid //p' "$out/stdout")
    digest "$out" "$out/lc.$pid" > "$out/digest"
    check gc "$out/digest" \
        '^exit status 66$' '^stdout: churn: ok,' '^stdout: settled 7$' \
        '^live reports: [1-9][0-9]+$' \
        '^last live report: leakcheck: live report \(pid [0-9]+, 8 tasks\)$' \
        '^verdict: leakcheck: found unexpected goroutines \(7 leaked in 4 groups\)$' \
        '^verdict: \[3 goroutines blocked for [0-9.]+s( \(newest [0-9.]+s\))? in chan receive on chan 0x' \
        '^verdict: \[2 goroutines blocked for [0-9.]+s( \(newest [0-9.]+s\))? in chan send on chan 0x' \
        '^verdict: \[1 goroutine blocked for [0-9.]+s in sync\.Mutex\.Lock on mutex 0x' \
        '^verdict: \[1 goroutine blocked for [0-9.]+s in select' \
        '^verdict: leakcheck: 7 leaked, 0 misuse; exit status 66$' '^stderr: empty$'
fi

# ---- Go: a static gc build, run traced by leakcheck (its live reports made from outside) -------------------
out=$WORK/gcstatic
mkdir -p "$out"
if [ "$ONLY" = c ] || [ "$ONLY" = go ]; then
    echo "SKIP gc static: STRESS_ONLY=$ONLY"
elif ! command -v "$GO" > /dev/null 2>&1; then
    echo "SKIP gc static: $GO not installed"
elif ! (cd "$HERE" && CGO_ENABLED=0 "$GO" build -o "$WORK/churn_static" churn.go) 2> "$out/build.log"; then
    echo "FAIL gc static: build failed"; cat "$out/build.log"; failed=1
else
    echo "stress gc static: ${SECS}s of churn, traced by leakcheck, SIGUSR1 to it every 20 ms (at most $DUMPS)"
    export LEAKCHECK_OPTIONS="grace_ms=100:log_path=$out/lc"
    # (env, a launcher, takes the preload away: leakcheck itself runs without it, and traces the program)
    run_under_dumps "$out" "$DUMPS" 0.02 $((SECS + 30)) env -u LD_PRELOAD "$ROOT/scripts/leakcheck" \
        "$WORK/churn_static" $((SECS * 1000)) 500
    pid=$(sed -n 's/^pid //p' "$out/stdout")
    digest "$out" "$out/lc.$pid" > "$out/digest"
    check "gc static" "$out/digest" \
        '^exit status 66$' '^stdout: churn: ok,' '^stdout: settled 7$' \
        '^live reports: [1-9][0-9]+$' \
        '^last live report: leakcheck: live report \(pid [0-9]+, 8 tasks\)$' \
        '^verdict: leakcheck: found unexpected goroutines \(7 leaked in 4 groups\)$' \
        '^verdict: \[3 goroutines blocked( for [0-9.]+s)? in chan receive on chan 0x' \
        '^verdict: \[2 goroutines blocked( for [0-9.]+s)? in chan send on chan 0x' \
        '^verdict: \[1 goroutine blocked( for [0-9.]+s)? in sync\.Mutex\.Lock on mutex 0x' \
        '^verdict: \[1 goroutine blocked( for [0-9.]+s)? in select' \
        '^verdict: leakcheck: 7 leaked, 0 misuse; exit status 66$' '^stderr: empty$'
fi

# ---- Go: channel hooks under a busy collector (gc) --------------------------------------------------------
out=$WORK/gcclose
mkdir -p "$out"
if gc_build "gc close churn" closechurn.go "$WORK/closechurn"; then
    echo "stress gc close churn: ${SECS}s of make and close, GOGC=5, SIGUSR1 every 50 ms (at most 100)"
    export LEAKCHECK_OPTIONS="grace_ms=100:log_path=$out/lc"
    GOGC=5 run_under_dumps "$out" 100 0.05 $((SECS + 30)) "$WORK/closechurn" $((SECS * 1000))
    pid=$(sed -n 's/^pid //p' "$out/stdout")
    digest "$out" "$out/lc.$pid" > "$out/digest"
    doubles=$(sed -n 's/^stdout: closechurn: ok, [0-9]* channels, \([0-9]*\) double closes$/\1/p' "$out/digest")
    # every double close the program made (it counts them) is in the one finding of its site, with that count
    check "gc close churn" "$out/digest" \
        '^exit status 66$' '^stdout: closechurn: ok,' '^live reports: [1-9][0-9]*$' \
        "^verdict: leakcheck: found misuse \(0 leaked in 0 groups, 1 misuse\)$" \
        "^verdict: \[double close of chan 0x[0-9a-f]+ \(${doubles:-x} times\)\]$" \
        '^verdict:   second close: main\.closeAgain ' '^verdict:   first close: +main\.churn ' \
        '^stderr: empty$'
fi

# ---- the same with 64 channel records (make smalltab): slots change hands between a close and its record -----
# (a close racing with its slot's reuse for another channel once marked that one closed: a false double close
# in every run with this table, in about 1 run in 30 with the full one)
out=$WORK/gcclose_small
mkdir -p "$out"
SMALL_LIB=${SMALL_LIB:-$ROOT/build/smalltab/libleakcheck.so}
if [ ! -x "$WORK/closechurn" ]; then
    echo "SKIP gc close churn, 64 channel records: no closechurn build"
elif [ ! -f "$SMALL_LIB" ]; then
    echo "SKIP gc close churn, 64 channel records: $SMALL_LIB not built (make smalltab)"
else
    echo "stress gc close churn, 64 channel records: ${SECS}s, GOGC=5, SIGUSR1 every 50 ms (at most 100)"
    export LEAKCHECK_OPTIONS="grace_ms=100:log_path=$out/lc"
    LIB=$SMALL_LIB GOGC=5 run_under_dumps "$out" 100 0.05 $((SECS + 30)) "$WORK/closechurn" $((SECS * 1000))
    pid=$(sed -n 's/^pid //p' "$out/stdout")
    digest "$out" "$out/lc.$pid" > "$out/digest"
    # the double closes the program made are found (the table forgets some first closes: no count, no site
    # checked), and nothing else is
    check "gc close churn, 64 channel records" "$out/digest" \
        '^exit status 66$' '^stdout: closechurn: ok,' '^live reports: [1-9][0-9]*$' \
        "^verdict: leakcheck: found misuse \(0 leaked in 0 groups, 1 misuse\)$" \
        '^verdict:   second close: main\.closeAgain ' '^stderr: empty$'
fi

[ $failed -eq 0 ] && echo "stress: all clean" || echo "stress: FAILED"
exit $failed
