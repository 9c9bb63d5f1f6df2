#!/bin/sh
# fault_stress driver: churn 0.8 s with 2 churners, up to 150 dumps 10 ms apart, 20 s watchdog; the digest
# (tests/stress/lib.sh) lists what happened. The binary includes tests/stress/churn.c: rebuilt here when that
# file is newer than it (the runner only compares the case's own source).
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../stress/lib.sh"
if [ "$here/../../stress/churn.c" -nt "$BIN" ]; then
    gcc -g -O0 -pthread -o "$BIN" "$here/fault_stress.c" || exit 2
fi
LEAKCHECK_OPTIONS="$LEAKCHECK_OPTIONS:log_path=$OUT/lc"
export LEAKCHECK_OPTIONS
run_under_dumps "$OUT" 150 0.01 20 "$BIN" 800 2 300
pid=$(sed -n 's/^pid //p' "$OUT/stdout")
digest "$OUT" "$OUT/lc.$pid"
exit "$(cat "$OUT/status")"
