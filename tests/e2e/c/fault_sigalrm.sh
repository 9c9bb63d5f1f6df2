#!/bin/sh
# fault_sigalrm driver: the program kills itself with SIGALRM; run it with and without the shim.
( LD_PRELOAD="$LIB" exec "$BIN" > "$OUT/stdout" 2> "$OUT/stderr" )
st=$?
( exec "$BIN" > "$OUT/stdout.plain" 2> /dev/null )
echo "without the shim: exit $?"
cat "$OUT/stderr"
sed 's/^/stdout: /' "$OUT/stdout"
cmp -s "$OUT/stdout" "$OUT/stdout.plain" && echo "stdout: same as without the shim"
exit $st
