#!/bin/sh
# leakcheck attach on a C program started without leakcheck that deadlocks: attach once every thread waits, the
# program must still be there after (it is killed here, as it would hang forever).
root=$(cd "$(dirname "$0")/../../.." && pwd)
. "$root/tests/e2e/drivers/ptrace_probe.sh"
. "$root/tests/e2e/drivers/attach_report.sh"
# all five threads asleep (the two transfers in their second lock)
start_sleeping 5
attach_report "$pid"
kill -9 "$pid"
wait "$pid" 2>/dev/null
exit 0
