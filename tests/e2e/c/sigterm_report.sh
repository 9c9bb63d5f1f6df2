#!/bin/sh
# sigterm_report driver: SIGTERM after 300 ms; the exit status must say "killed by SIGTERM" (143).
LD_PRELOAD="$LIB" "$BIN" > "$OUT/stdout" 2> "$OUT/stderr" &
pid=$!
sleep 0.3
kill -TERM "$pid"
wait "$pid"
st=$?
cat "$OUT/stderr"
sed 's/^/stdout: /' "$OUT/stdout"
exit $st
