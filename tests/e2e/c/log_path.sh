#!/bin/sh
# log_path driver: the verdict must land in $OUT/lc.PID, stderr must stay empty.
LEAKCHECK_OPTIONS="$LEAKCHECK_OPTIONS:log_path=$OUT/lc" LD_PRELOAD="$LIB" "$BIN" > "$OUT/stdout" 2> "$OUT/stderr"
st=$?
pid=$(sed -n 's/^pid //p' "$OUT/stdout")
echo "stderr bytes: $(wc -c < "$OUT/stderr" | tr -d ' ')"
ls "$OUT" | grep '^lc\.' | sed 's/^/log file: /'
if [ -n "$pid" ] && [ -f "$OUT/lc.$pid" ]; then echo "log file for pid: found"; cat "$OUT/lc.$pid"
else echo "log file for pid: missing"; fi
if [ -s "$OUT/stderr" ]; then echo "stderr:"; cat "$OUT/stderr"; fi
exit $st
