#!/bin/sh
# `make demo`: builds the leaky examples into build/examples/ and runs each under libleakcheck.so, showing
# the verdict. Exits 0 when every example produced the verdict it should (findings and exit status 66).
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LIB=$ROOT/build/libleakcheck.so
OUT=$ROOT/build/examples
[ -f "$LIB" ] || { echo "demo: $LIB is not built (run make lib)" >&2; exit 2; }
mkdir -p "$OUT"
failed=0

# run_example NAME SUMMARY-ERE BIN: runs BIN under the shim, shows its output, checks the verdict.
run_example() {
    name=$1 want=$2 bin=$3
    echo "==> $name: LD_PRELOAD=build/libleakcheck.so LEAKCHECK_OPTIONS=grace_ms=100 ${bin#"$ROOT"/}"
    LD_PRELOAD=$LIB LEAKCHECK_OPTIONS=grace_ms=100 "$bin" 2> "$OUT/$name.report"
    st=$?
    cat "$OUT/$name.report"
    echo "==> $name exited with status $st"
    if [ "$st" -eq 66 ] && grep -Eq "$want" "$OUT/$name.report"; then
        echo "==> $name: verdict as expected"
    else
        echo "==> $name: UNEXPECTED (wanted a line matching '$want' and status 66)"
        failed=1
    fi
    echo
}

# C: a worker pool whose flush worker waits forever, plus a thread never joined.
gcc -g -O0 -pthread -o "$OUT/leaky" "$ROOT/examples/leaky.c" || exit 1
run_example leaky '^leakcheck: found unexpected threads \(2 leaked in 2 groups' "$OUT/leaky"

# ---- Go example (examples/leaky.go): built by the go toolchain, as Go engineers build, and by gccgo ----------
# A gc build loads the preload when it is position-independent (a default `go build` of pure Go is static).
if [ -f "$ROOT/examples/leaky.go" ] && command -v go > /dev/null 2>&1; then
    (cd "$ROOT/examples" && GOCACHE=${GOCACHE:-$ROOT/build/gocache} GOFLAGS= CGO_ENABLED=0 \
        go build -buildmode=pie -o "$OUT/leaky-gc" leaky.go) || exit 1
    run_example leaky-gc '^leakcheck: found unexpected goroutines' "$OUT/leaky-gc"
fi
if [ -f "$ROOT/examples/leaky.go" ] && command -v gccgo-12 > /dev/null 2>&1; then
    gccgo-12 -g -O1 -o "$OUT/leaky-go" "$ROOT/examples/leaky.go" || exit 1
    run_example leaky-gccgo '^leakcheck: found unexpected goroutines' "$OUT/leaky-go"
fi

if [ $failed -eq 0 ]; then echo "demo: every example produced its verdict"; fi
exit $failed
