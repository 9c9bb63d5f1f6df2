#!/bin/sh
# fault_dlclose driver: builds the library from the case itself, runs the program on it; prints stdout
# (prefixed) and stderr.
src=$(cd "$(dirname "$0")" && pwd)/fault_dlclose.c
gcc -g -O0 -shared -fPIC -pthread -DPLUGIN -o "$OUT/libplugin.so" "$src" || exit 2
LD_PRELOAD="$LIB" "$BIN" "$OUT/libplugin.so" > "$OUT/stdout" 2> "$OUT/stderr"
st=$?
sed 's/^/stdout: /' "$OUT/stdout"
cat "$OUT/stderr"
exit $st
