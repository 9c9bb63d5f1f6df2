#!/bin/sh
# go_test_preload driver: LD_PRELOAD set on the go command itself, as a CI job's environment would. The go
# command is a launcher: not checked (its own signal goroutine is no finding), while the test binary it builds
# and runs is (a position-independent one: no preload enters a static binary).
root=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$root/tests/e2e/go-test-pkg" || exit 2
LD_PRELOAD="$LIB" go test -count=1 -buildmode=pie -run 'TestClean$' . > "$OUT/clean.out" 2> "$OUT/clean.err"
echo "go test clean: exit $? $(grep -c '^leakcheck' "$OUT/clean.err") leakcheck lines"
LD_PRELOAD="$LIB" go test -count=1 -buildmode=pie . > "$OUT/leaky.out" 2> "$OUT/leaky.err"
st=$?
cat "$OUT/leaky.out" "$OUT/leaky.err"
echo "go test leaky: exit $st"
LD_PRELOAD="$LIB" go vet . > "$OUT/vet.out" 2>&1
echo "go vet: exit $? $(grep -c '^leakcheck' "$OUT/vet.out") leakcheck lines"
exit 0
