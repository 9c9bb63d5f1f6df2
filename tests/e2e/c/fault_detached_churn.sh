#!/bin/sh
# fault_detached_churn driver: the program under a 10 s SIGKILL timeout; stderr as is, stdout prefixed.
timeout -s KILL 10 env LD_PRELOAD="$LIB" "$BIN" > "$OUT/stdout" 2> "$OUT/stderr"
st=$?
[ $st = 137 ] && echo "killed after 10 s: hung"
cat "$OUT/stderr"
sed 's/^/stdout: /' "$OUT/stdout"
exit $st
