#!/bin/sh
# leakcheck on a static gc binary: one line on stderr, status 2, the program not run.
root=$(cd "$(dirname "$0")/../../.." && pwd)
LEAKCHECK_LIB="$LIB" "$root/scripts/leakcheck" "$BIN" > "$OUT/out" 2> "$OUT/err"
st=$?
echo "static: exit $st, $(wc -l < "$OUT/err" | tr -d ' ') line: $(sed "s|$BIN|BIN|g" "$OUT/err")"
if [ -s "$OUT/out" ]; then echo "static: program output: $(cat "$OUT/out")"; else echo "static: program output: none"; fi
if readelf -lW "$BIN" | grep -q INTERP; then echo "elf: dynamic"; else echo "elf: static"; fi
exit 0
