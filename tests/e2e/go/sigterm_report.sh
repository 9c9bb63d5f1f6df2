#!/bin/sh
# Go fatal signal: SIGTERM once the program serves; the report comes first, then death by SIGTERM (143).
LD_PRELOAD="$LIB" "$BIN" > "$OUT/stdout" 2> "$OUT/stderr" &
pid=$!
i=0
until grep -q serving "$OUT/stdout" 2>/dev/null || [ $i -ge 200 ]; do sleep 0.05; i=$((i + 1)); done
sleep 0.3
kill -TERM "$pid"
wait "$pid"
st=$?
cat "$OUT/stderr"
sed 's/^/stdout: /' "$OUT/stdout"
exit $st
