#!/bin/sh
# Live reports of a static gc program run traced by leakcheck: `leakcheck dump PID`, then the dump signal sent
# to leakcheck itself, each report waited for in leakcheck's stderr; then the program takes SIGUSR1 for itself
# and gets a third one, with no report; released, it ends with its verdict. Prints the program's pid spelled
# PID.
root=$(cd "$(dirname "$0")/../../.." && pwd)
. "$root/tests/e2e/drivers/ptrace_probe.sh"
lc="$root/scripts/leakcheck"
if readelf -lW "$BIN" | grep -q INTERP; then echo "elf: dynamic"; else echo "elf: static"; fi
reports() { grep -c '^leakcheck: live report' "$OUT/stderr" 2>/dev/null; }
wait_reports() {
    i=0
    until [ "$(reports)" = "$1" ] || [ $i -ge 200 ]; do sleep 0.05; i=$((i + 1)); done
}
mkfifo "$OUT/in"
LEAKCHECK_LIB="$LIB" "$lc" "$BIN" < "$OUT/in" > "$OUT/stdout" 2> "$OUT/stderr" &
tracer=$!
exec 3> "$OUT/in"
i=0
until grep -q ready "$OUT/stdout" 2>/dev/null || [ $i -ge 200 ]; do sleep 0.05; i=$((i + 1)); done
pid=$(pgrep -P "$tracer" | head -1)
LEAKCHECK_LIB="$LIB" "$lc" dump "$pid" > "$OUT/dump.out" 2>&1
echo "dump: exit $?"
sed "s/$pid/PID/g" "$OUT/dump.out"
wait_reports 1
LEAKCHECK_LIB="$LIB" "$lc" attach "$pid" > "$OUT/attach.out" 2>&1
echo "attach: exit $?"
sed "s/\b$pid\b/PID/g" "$OUT/attach.out"
kill -USR1 "$tracer"
wait_reports 2
echo next >&3
i=0
until grep -q notify "$OUT/stdout" 2>/dev/null || [ $i -ge 200 ]; do sleep 0.05; i=$((i + 1)); done
kill -USR1 "$tracer"            # the program's now: no report
sleep 0.3
echo go >&3
exec 3>&-
wait "$tracer"
echo "program: exit $?"
sed "s/$pid/PID/g" "$OUT/stderr"
sed 's/^/stdout: /' "$OUT/stdout"
# interval: periodic reports on leakcheck's own timer (the program sees no signal of it: it counts none);
# max_tasks needs the preload: said once
rm -f "$OUT/in"
mkfifo "$OUT/in"
LEAKCHECK_LIB="$LIB" "$lc" --interval=200 --max_tasks=100 "$BIN" < "$OUT/in" > "$OUT/stdout" 2> "$OUT/stderr" &
tracer=$!
exec 3> "$OUT/in"
i=0
until [ "$(grep -c '^leakcheck: periodic report' "$OUT/stderr" 2>/dev/null)" -ge 2 ] || [ $i -ge 200 ]; do
    sleep 0.05; i=$((i + 1))
done
echo next >&3
echo go >&3
exec 3>&-
wait "$tracer"
echo "interval: exit $?, periodic reports: $([ "$(grep -c '^leakcheck: periodic report' "$OUT/stderr")" -ge 2 ] && echo 2 or more)"
grep -v '^leakcheck: periodic report' "$OUT/stderr" | grep '^leakcheck: max_tasks' | sed 's/^/interval: /'
sed 's/^/interval stdout: /' "$OUT/stdout"
exit 0
