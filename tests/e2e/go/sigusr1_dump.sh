#!/bin/sh
# Go live report: once the program says "ready", SIGUSR1 asks for a report and SIGUSR2 goes to the program's own
# signal.Notify; then the program is told to finish and must end cleanly.
root=$(cd "$(dirname "$0")/../../.." && pwd)
. "$root/tests/e2e/drivers/fifo_start.sh"
PRELOAD=$LIB start_on_fifo ready
sleep 0.2
kill -USR1 "$pid"
i=0
until grep -q 'live report' "$OUT/stderr" 2>/dev/null || [ $i -ge 200 ]; do sleep 0.05; i=$((i + 1)); done
sleep 0.2
kill -USR2 "$pid"
echo go >&3
exec 3>&-
wait "$pid"
st=$?
cat "$OUT/stderr"
sed 's/^/stdout: /' "$OUT/stdout"
exit $st
