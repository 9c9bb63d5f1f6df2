#!/bin/sh
# fault_sigint driver: SIGINT once the program said "ready"; the exit status must say "killed by SIGINT" (130).
env --default-signal=INT LD_PRELOAD="$LIB" "$BIN" > "$OUT/stdout" 2> "$OUT/stderr" &
pid=$!
i=0
while ! grep -q ready "$OUT/stdout" 2> /dev/null && [ $i -lt 200 ]; do sleep 0.01; i=$((i + 1)); done
sleep 0.05
kill -INT "$pid"
wait "$pid"
st=$?
cat "$OUT/stderr"
sed 's/^/stdout: /' "$OUT/stdout"
exit $st
