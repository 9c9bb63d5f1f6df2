#!/bin/sh
# fault_fork_locked driver: one log file per process ($OUT/lc.PID); counts the children's reports and what
# they name, then shows the first child's report and the parent's (there must be none).
LEAKCHECK_OPTIONS="$LEAKCHECK_OPTIONS:log_path=$OUT/lc" LD_PRELOAD="$LIB" "$BIN" > "$OUT/stdout" 2> "$OUT/stderr"
st=$?
grep -v 'pid ' "$OUT/stdout"
parent=$(sed -n 's/^parent pid //p' "$OUT/stdout")
n=0 one=0 named=0 first=""
for c in $(sed -n 's/^child pid //p' "$OUT/stdout"); do
    f=$OUT/lc.$c
    [ -s "$f" ] || continue
    n=$((n + 1))
    [ -z "$first" ] && first=$f
    grep -q '^leakcheck: 1 leaked, 0 misuse; exit status 66$' "$f" && one=$((one + 1))
    grep -Eq 'locker|[^_]waiter|churner|short_child|child_helper' "$f" && named=$((named + 1))
done
echo "child reports: $n"
echo "child reports saying 1 leaked: $one"
echo "child reports naming parent threads: $named"
if [ -n "$parent" ] && [ -s "$OUT/lc.$parent" ]; then echo "parent report:"; sed 's/^/parent: /' "$OUT/lc.$parent"
else echo "parent report: none"; fi
if [ -n "$first" ]; then echo "first child report:"; cat "$first"; fi
if [ -s "$OUT/stderr" ]; then echo "stderr:"; cat "$OUT/stderr"; else echo "stderr: empty"; fi
exit $st
