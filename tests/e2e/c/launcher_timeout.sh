#!/bin/sh
# launcher_timeout driver: the program run the way CI jobs run it, under timeout(1) with LD_PRELOAD set on
# timeout itself; then under nice(1) inside timeout (one execs in place, the other forks).
LD_PRELOAD="$LIB" timeout 30 "$BIN" > "$OUT/stdout" 2> "$OUT/stderr"
st=$?
cat "$OUT/stderr"
echo "timeout: status $st"
LD_PRELOAD="$LIB" timeout 30 nice -n 0 "$BIN" > /dev/null 2> "$OUT/stderr2"
echo "timeout nice: status $? $(grep -c '^leakcheck: found' "$OUT/stderr2") verdict"
exit $st
