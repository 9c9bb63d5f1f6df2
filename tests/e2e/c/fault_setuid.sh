#!/bin/sh
# fault_setuid driver: builds a copy of the case linked with the shim (absolute DT_NEEDED: the loader still
# honours it in secure mode), makes a setuid-nobody copy and a plain one, and runs both with log_path in a
# world-writable directory; then a setuid copy of the plain binary under LD_PRELOAD.
# Exits 77 with "SKIP: why" when it cannot make a setuid program here.
src=$(cd "$(dirname "$0")" && pwd)/fault_setuid.c
skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root to create a setuid program owned by nobody"
nobody=$(id -u nobody 2>/dev/null) || skip "no user nobody"
gcc -g -O0 -pthread -o "$OUT/linked" "$src" "$LIB" || exit 2
mkdir -p "$OUT/logs" && chmod 1777 "$OUT/logs"
chmod 755 "$OUT"
cp "$OUT/linked" "$OUT/suid_linked" && chown "$nobody" "$OUT/suid_linked" && chmod 4755 "$OUT/suid_linked" \
    || skip "cannot chown/chmod here"
cp "$BIN" "$OUT/suid_plain" && chown "$nobody" "$OUT/suid_plain" && chmod 4755 "$OUT/suid_plain" || exit 2

echo "leak_top:worker" > "$OUT/supp" && chmod 644 "$OUT/supp"

# run LABEL PROG OPTIONS [preload]: runs PROG with LEAKCHECK_OPTIONS plus OPTIONS, prints what happened,
# prefixed LABEL ("log files" counts $OUT/logs/LABEL.*).
run() {
    label=$1 prog=$2 opts=$3
    if [ "${4:-}" = preload ]; then
        LEAKCHECK_OPTIONS="$LEAKCHECK_OPTIONS:$opts" LD_PRELOAD="$LIB" "$prog" > "$OUT/$label.out" 2> "$OUT/$label.err"
    else
        LEAKCHECK_OPTIONS="$LEAKCHECK_OPTIONS:$opts" "$prog" > "$OUT/$label.out" 2> "$OUT/$label.err"
    fi
    st=$?
    echo "$label: $(cat "$OUT/$label.out"), exit $st"
    echo "$label: log files: $(find "$OUT/logs" -name "$label.*" | wc -l)"
    if grep -q '^leakcheck: found' "$OUT/$label.err"; then echo "$label: stderr has a report"
    else echo "$label: stderr has no report"; fi
    if [ -s "$OUT/$label.err" ]; then sed "s/^/$label: /" "$OUT/$label.err"; else echo "$label: stderr empty"; fi
}
run control "$OUT/linked" "log_path=$OUT/logs/control"
run control-supp "$OUT/linked" "suppressions=$OUT/supp"
run setuid "$OUT/suid_linked" "log_path=$OUT/logs/setuid:suppressions=$OUT/supp"
if grep -q '^secure 0' "$OUT/setuid.out"; then skip "setuid bit not honoured here (nosuid mount?)"; fi
run preload "$OUT/suid_plain" "log_path=$OUT/logs/preload" preload
exit 0
