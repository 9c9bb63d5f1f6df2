#!/bin/sh
# leakcheck attach on a C program started without leakcheck that deadlocks: attach once every thread waits, the
# program must still be there after (it is killed here, as it would hang forever).
root=$(cd "$(dirname "$0")/../../.." && pwd)
. "$root/tests/e2e/drivers/ptrace_probe.sh"
. "$root/tests/e2e/drivers/attach_report.sh"
"$BIN" > "$OUT/stdout" 2> "$OUT/stderr" &
pid=$!
i=0
until grep -q started "$OUT/stdout" 2>/dev/null || [ $i -ge 200 ]; do sleep 0.05; i=$((i + 1)); done
# until all five threads sleep (the two transfers in their second lock)
until [ "$(cat /proc/$pid/task/*/stat 2>/dev/null | sed 's/.*) //' | cut -c1 | grep -c S)" = 5 ] || [ $i -ge 400 ]; do
    sleep 0.05; i=$((i + 1))
done
sleep 0.1
attach_report "$pid"
kill -9 "$pid"
wait "$pid" 2>/dev/null
exit 0
