#!/bin/sh
# sigusr1_dump driver: SIGUSR1 after 300 ms asks for a live report; the program must then finish normally.
LD_PRELOAD="$LIB" "$BIN" > "$OUT/stdout" 2> "$OUT/stderr" &
pid=$!
sleep 0.3
kill -USR1 "$pid"
wait "$pid"
st=$?
cat "$OUT/stderr"
if printf 'workers started\ndone\n' | cmp -s - "$OUT/stdout"; then echo "stdout intact"
else echo "stdout differs:"; cat "$OUT/stdout"; fi
exit $st
