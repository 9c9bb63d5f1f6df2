#!/bin/sh
# The leakcheck command: --help for each command, one-line errors, running a program, live reports with
# 'dump', converting a saved JSON report with 'report', and 'go-test' naming the test that leaked.
root=$(cd "$(dirname "$0")/../../.." && pwd)
cli="$root/scripts/leakcheck"
# The build cache is the e2e runner's (it holds the standard library built for -buildmode=pie already).
export LEAKCHECK_LIB="$LIB" HOME="$OUT/home" GOCACHE="${GOCACHE:-$OUT/gocache}" GOPATH="$OUT/gopath" \
    GOFLAGS=-mod=mod GOTOOLCHAIN=local GOPROXY=off GOTELEMETRY=off
mkdir -p "$HOME"

for c in "" dump go-test report options; do
    # shellcheck disable=SC2086
    "$cli" $c --help > "$OUT/help" 2>&1
    echo "help ${c:-run}: exit $? $(head -1 "$OUT/help" | cut -c1-40)"
done

# errors: one line, non-zero status
err() {
    label=$1; shift
    "$@" > "$OUT/err.out" 2> "$OUT/err"
    echo "error $label: exit $?, $(wc -l < "$OUT/err" | tr -d ' ') line: $(sed "s|$OUT/|OUT/|g" "$OUT/err")"
}
err report-missing "$cli" report "$OUT/missing.json"
echo '{"x": 1}' > "$OUT/other.json"
err report-not-ours "$cli" report "$OUT/other.json"
err report-format "$cli" report "$OUT/other.json" --format=xml
err dump-nopid "$cli" dump 999999999
err dump-noarg "$cli" dump
err run-missing "$cli" --grace_ms=1 -- "$OUT/no-such-program"
err flag-novalue "$cli" --exitcode -- "$BIN"

# run a program with options as flags
"$cli" --report=json --log_path="$OUT/lc" --grace_ms=100 -- "$BIN" > "$OUT/run.out" 2> "$OUT/run.err"
echo "run: exit $?"
sed "s|$OUT/|OUT/|g; s|^|run: |" "$OUT/run.err"
pid=$(sed -n 's/^pid //p' "$OUT/run.out")
"$cli" report "$OUT/lc.$pid.json" --format=folded | sed 's/^/report folded: /'
"$cli" report "$OUT/lc.$pid.json" --format=text | grep -E '^(leakcheck|\[|    )' | sed 's/^/report text: /'
"$cli" report "$OUT/lc.$pid.json" --format=pprof 2>&1 | sed "s|$OUT/|OUT/|g; s/^/report pprof: /"
go tool pprof -top "$BIN" "$OUT/lc.$pid.pb.gz" 2>&1 | sed -n '/flat%/{n;p}' | sed 's/^/report pprof top: /'

# dump: a live report of a running process, here in JSON too. A C program: Go programs own every signal
# (their runtime installs its handlers after the shim), so the dump signal does not reach leakcheck in them.
cat > "$OUT/linger.c" <<'C'
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t never = PTHREAD_COND_INITIALIZER;
static void *wait_forever(void *arg)
{
    pthread_mutex_lock(&mu);
    pthread_cond_wait(&never, &mu);
    return arg;
}
int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, wait_forever, NULL);
    printf("pid %d\n", (int)getpid());
    fflush(stdout);
    for (int i = 0; i < 150; i++)       /* a signal cuts one usleep short, not the whole wait */
        usleep(10 * 1000);
    return 0;
}
C
gcc -g -pthread -o "$OUT/linger" "$OUT/linger.c" || echo "cannot build linger"
"$cli" --report=text,json --log_path="$OUT/live" --grace_ms=100 -- "$OUT/linger" > "$OUT/live.out" 2>&1 &
bg=$!
for i in 1 2 3 4 5 6 7 8 9 10; do
    pid=$(sed -n 's/^pid //p' "$OUT/live.out"); [ -n "$pid" ] && break; sleep 0.1
done
echo "dump program: pid $pid"
"$cli" dump "$pid" | sed "s|$OUT/|OUT/|g; s/$pid/PID/g; s/^/dump: /"
for i in 1 2 3 4 5 6 7 8 9 10; do [ -s "$OUT/live.$pid.json" ] && break; sleep 0.1; done
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("dump json: reason %s live %s tasks %d" % (d["reason"], d["live"], d["summary"]["tasks"]))' "$OUT/live.$pid.json"
grep -E '^leakcheck: live report' "$OUT/live.$pid" | sed 's/([^)]*)/(...)/; s/^/dump text: /'
wait $bg
echo "dump program: exit $?"

# go-test: a package with two tests, one leaking; built by the compiler of this run (gc is the default)
flag=""
[ "$BUILD" = gccgo ] && flag=--gccgo
# shellcheck disable=SC2086
"$cli" go-test $flag "$root/tests/e2e/go-test-pkg" > "$OUT/gotest.out" 2> "$OUT/gotest.err"
echo "go-test: exit $?"
sed 's/^/go-test out: /' "$OUT/gotest.out"
sed 's/^/go-test err: /' "$OUT/gotest.err"
exit 0
