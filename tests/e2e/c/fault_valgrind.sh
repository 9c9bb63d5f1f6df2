#!/bin/sh
# fault_valgrind driver: LD_PRELOAD goes in valgrind's own environment, valgrind hands it to the program
# (`valgrind env LD_PRELOAD=... prog` would not work). fault_valgrind.supp: libunwind's own probe. Prints
# memcheck's summary, the report and stdout.
command -v valgrind > /dev/null 2>&1 || { echo "SKIP: valgrind not installed"; exit 77; }
LD_PRELOAD="$LIB" valgrind --error-exitcode=99 --leak-check=no --log-file="$OUT/memcheck" \
    --suppressions="$(dirname "$0")/fault_valgrind.supp" "$BIN" \
    > "$OUT/stdout" 2> "$OUT/stderr"
st=$?
sed -n 's/^==[0-9]*== //p' "$OUT/memcheck" | grep -v '^$' | grep -Ev '^(Memcheck|Copyright|Using Valgrind|Command|For lists|Use --|Rerun with)' \
    | head -60
cat "$OUT/stderr"
sed 's/^/stdout: /' "$OUT/stdout"
exit $st
