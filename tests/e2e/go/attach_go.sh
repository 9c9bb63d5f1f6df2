#!/bin/sh
# leakcheck attach on a Go program started without leakcheck (or, with PRELOAD set, under that preload: then its
# stderr is shown too): once it says "ready", attach with text and json reports; it must still be running after,
# then finish on its own.
root=$(cd "$(dirname "$0")/../../.." && pwd)
. "$root/tests/e2e/drivers/ptrace_probe.sh"
. "$root/tests/e2e/drivers/attach_report.sh"
. "$root/tests/e2e/drivers/fifo_start.sh"
start_on_fifo ready
until_reading_stdin
attach_report "$pid"
echo go >&3
exec 3>&-
wait "$pid"
echo "program: exit $?"
sed 's/^/stdout: /' "$OUT/stdout"
[ -z "${PRELOAD:-}" ] || sed 's/^/stderr: /' "$OUT/stderr"
exit 0
