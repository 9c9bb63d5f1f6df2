#!/bin/sh
# fault_signal_at_exit driver: SIGTERM 300 ms after "main returning"; SIGKILL after 4 s if still alive.
LD_PRELOAD="$LIB" "$BIN" > "$OUT/stdout" 2> "$OUT/stderr" &
pid=$!
i=0
while ! grep -q returning "$OUT/stdout" 2> /dev/null && [ $i -lt 200 ]; do sleep 0.01; i=$((i + 1)); done
sleep 0.3
kill -TERM "$pid"
t0=$(date +%s%N)
dead=no
for i in $(seq 1 40); do
    if ! kill -0 "$pid" 2> /dev/null || grep -q '^State:.*Z' "/proc/$pid/status" 2> /dev/null; then dead=yes; break; fi
    sleep 0.1
done
[ $dead = yes ] && [ $((($(date +%s%N) - t0) / 1000000)) -gt 2000 ] && dead=no
[ $dead = no ] && kill -KILL "$pid" 2> /dev/null
wait "$pid"
st=$?
echo "dead within 2 s: $dead"
sed 's/^/stdout: /' "$OUT/stdout"
cat "$OUT/stderr"
exit $st
