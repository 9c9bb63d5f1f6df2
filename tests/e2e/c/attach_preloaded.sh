#!/bin/sh
# leakcheck attach on a C program that runs under the preload and hangs: attach reads it from outside as any
# process, and must show the program's threads and calls only (not the shim's thread, wrappers or trampoline),
# then say that the process's own live report knows more. The program is left running (killed here).
root=$(cd "$(dirname "$0")/../../.." && pwd)
. "$root/tests/e2e/drivers/ptrace_probe.sh"
. "$root/tests/e2e/drivers/attach_report.sh"
# the five threads of the program and the shim's asleep (the two transfers in their second lock)
PRELOAD=$LIB start_sleeping 6
attach_report "$pid"
kill -9 "$pid"
wait "$pid" 2>/dev/null
exit 0
