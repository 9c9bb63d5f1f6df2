#!/bin/sh
# leakcheck attach's errors: one line each, exit status 2, no process left stopped.
root=$(cd "$(dirname "$0")/../../.." && pwd)
. "$root/tests/e2e/drivers/ptrace_probe.sh"
lc="$root/scripts/leakcheck"
# say LABEL STATUS PID: the status and the error line(s), the pid spelled PID
say() { echo "$1: exit $2, $(wc -l < "$OUT/err" | tr -d ' ') line: $(sed "s/\b$3\b/PID/g" "$OUT/err")"; }

sh -c 'exit 0' & gone=$!
wait $gone
LEAKCHECK_LIB="$LIB" "$lc" attach $gone > /dev/null 2> "$OUT/err"; say missing $? $gone

sh -c 'sleep 0.1 & echo $! > "$0"; exec sleep 5' "$OUT/zpid" &
holder=$!
sleep 0.5
z=$(cat "$OUT/zpid")
LEAKCHECK_LIB="$LIB" "$lc" attach "$z" > /dev/null 2> "$OUT/err"; say zombie $? "$z"
kill $holder; wait $holder 2>/dev/null

# held stopped (LEAKCHECK_ATTACH_HOLD_MS, a test hook) while the process is killed
"$BIN" > "$OUT/stdout" &
pid=$!
i=0
until grep -q started "$OUT/stdout" 2>/dev/null || [ $i -ge 200 ]; do sleep 0.05; i=$((i + 1)); done
LEAKCHECK_ATTACH_HOLD_MS=3000 LEAKCHECK_LIB="$LIB" "$lc" attach $pid > /dev/null 2> "$OUT/err" &
tool=$!
i=0
until [ "$(cat /proc/$pid/task/*/stat 2>/dev/null | sed 's/.*) //' | cut -c1 | grep -c t)" = 2 ] || [ $i -ge 200 ]; do
    sleep 0.02; i=$((i + 1))
done
[ $i -lt 200 ] && echo "mid-snapshot: stopped while held"
kill -9 $pid
t0=$(date +%s.%N)
wait $tool; st=$?
t1=$(date +%s.%N)
wait $pid 2>/dev/null
say mid-snapshot $st $pid
awk -v a="$t0" -v b="$t1" 'BEGIN { print "mid-snapshot: the tool ended " (b - a < 1 ? "within" : "more than") " 1 s after the kill" }'

# another user's process (we are root: become nobody)
"$BIN" > "$OUT/stdout" &
pid=$!
i=0
until grep -q started "$OUT/stdout" 2>/dev/null || [ $i -ge 200 ]; do sleep 0.05; i=$((i + 1)); done
if [ "$(id -u)" = 0 ] && command -v setpriv > /dev/null && setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
    LEAKCHECK_LIB="$LIB" setpriv --reuid=65534 --regid=65534 --clear-groups "$lc" attach $pid > /dev/null 2> "$OUT/err"
    say eperm $? $pid
    if grep -q '^State:.*S' /proc/$pid/status; then echo "eperm: target still running"; else echo "eperm: target $(grep State /proc/$pid/status)"; fi
else
    echo "eperm: skipped: not root, or no setpriv"
    echo "eperm: skipped"
fi
kill $pid; wait $pid 2>/dev/null

LEAKCHECK_LIB="$LIB" "$lc" attach x12 > /dev/null 2> "$OUT/err"; say "not a pid" $? none
LEAKCHECK_LIB="$LIB" "$lc" attach > /dev/null 2> "$OUT/err"; say "no pid" $? none
LEAKCHECK_LIB="$LIB" "$lc" attach --colour=red 1 > /dev/null 2> "$OUT/err"; say "bad option" $? 1
exit 0
