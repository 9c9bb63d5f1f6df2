#!/bin/sh
# fork_child driver: reports go to $OUT/lc.PID, one file per process; show the child's and the parent's.
LEAKCHECK_OPTIONS="$LEAKCHECK_OPTIONS:log_path=$OUT/lc" LD_PRELOAD="$LIB" "$BIN" > "$OUT/stdout" 2> "$OUT/stderr"
st=$?
cat "$OUT/stdout"
parent=$(sed -n 's/^parent pid //p' "$OUT/stdout")
child=$(sed -n 's/^child pid //p' "$OUT/stdout")
if [ -n "$child" ] && [ -s "$OUT/lc.$child" ]; then echo "child report: found"; cat "$OUT/lc.$child"
else echo "child report: none"; fi
if [ -n "$parent" ] && [ -s "$OUT/lc.$parent" ]; then echo "parent report: found"; cat "$OUT/lc.$parent"
else echo "parent report: none"; fi
if [ -s "$OUT/stderr" ]; then echo "stderr:"; cat "$OUT/stderr"; else echo "stderr: empty"; fi
exit $st
