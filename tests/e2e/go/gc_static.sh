#!/bin/sh
# leakcheck on a static gc binary: run traced, its exit verdict from outside, with the preload's status rules.
root=$(cd "$(dirname "$0")/../../.." && pwd)
. "$root/tests/e2e/drivers/ptrace_probe.sh"
lc="$root/scripts/leakcheck"
if readelf -lW "$BIN" | grep -q INTERP; then echo "elf: dynamic"; else echo "elf: static"; fi
LEAKCHECK_LIB="$LIB" "$lc" "$BIN" > "$OUT/out" 2> "$OUT/err"
echo "clean: exit $?, output: $(cat "$OUT/out")"
cat "$OUT/err"
LEAKCHECK_LIB="$LIB" "$lc" --exitcode=1 -- "$BIN" fail > "$OUT/out" 2> "$OUT/err"
echo "failing: exit $?, output: $(cat "$OUT/out")"
cat "$OUT/err"
# SIGTERM to leakcheck itself (a CI timeout): the program gets it, the verdict is written, both die of it
LEAKCHECK_LIB="$LIB" "$lc" "$BIN" wait > "$OUT/out" 2> "$OUT/err" &
pid=$!
i=0
until grep -q ready "$OUT/out" 2>/dev/null || [ $i -ge 200 ]; do sleep 0.05; i=$((i + 1)); done
kill -TERM $pid
wait $pid
echo "term: exit $?, output: $(cat "$OUT/out")"
cat "$OUT/err"
exit 0
