#!/bin/sh
# leakcheck dump on a program of one thread: read from outside (attach), then, with tracing made to fail, by
# the signal, whose report comes when the program starts its second thread. The program reads its stdin (a
# FIFO this driver holds open) and is released by one byte. Prints the pid spelled PID.
root=$(cd "$(dirname "$0")/../../.." && pwd)
. "$root/tests/e2e/drivers/ptrace_probe.sh"
lc="$root/scripts/leakcheck"
. "$root/tests/e2e/drivers/fifo_start.sh"
PRELOAD=$LIB start_on_fifo started
until_reading_stdin
LEAKCHECK_LIB="$LIB" "$lc" dump "$pid" > "$OUT/dump.out" 2>&1
echo "dump: exit $?"
sed "s/$pid/PID/g" "$OUT/dump.out"
echo "threads after dump: $(sed -n 's/^Threads:[[:space:]]*//p' /proc/$pid/status)"
LEAKCHECK_ATTACH=/bin/false LEAKCHECK_LIB="$LIB" "$lc" dump "$pid" > "$OUT/denied.out" 2>&1
echo "dump denied: exit $?"
sed "s/$pid/PID/g" "$OUT/denied.out"
printf x >&3
exec 3>&-
wait "$pid"
echo "program: exit $?"
sed "s/$pid/PID/g; s/^/stderr: /" "$OUT/stderr"
sed 's/^/stdout: /' "$OUT/stdout"
exit 0
