#!/bin/sh
# leakcheck attach on a Go program started without leakcheck (or, with PRELOAD set, under that preload: then its
# stderr is shown too): once it says "ready", attach with text and json reports; it must still be running after,
# then finish on its own.
root=$(cd "$(dirname "$0")/../../.." && pwd)
. "$root/tests/e2e/drivers/ptrace_probe.sh"
. "$root/tests/e2e/drivers/attach_report.sh"
mkfifo "$OUT/in"
if [ -n "${PRELOAD:-}" ]; then
    LD_PRELOAD="$PRELOAD" "$BIN" < "$OUT/in" > "$OUT/stdout" 2> "$OUT/stderr" &
else
    "$BIN" < "$OUT/in" > "$OUT/stdout" 2> "$OUT/stderr" &
fi
pid=$!
exec 3> "$OUT/in"
i=0
until grep -q ready "$OUT/stdout" 2>/dev/null || [ $i -ge 200 ]; do sleep 0.05; i=$((i + 1)); done
# until one of its threads waits in read(0, ...): the program is where the report must find it
until cat /proc/$pid/task/*/syscall 2>/dev/null | grep -q '^0 0x0 ' || [ $i -ge 400 ]; do sleep 0.05; i=$((i + 1)); done
sleep 0.1
attach_report "$pid"
echo go >&3
exec 3>&-
wait "$pid"
echo "program: exit $?"
sed 's/^/stdout: /' "$OUT/stdout"
[ -z "${PRELOAD:-}" ] || sed 's/^/stderr: /' "$OUT/stderr"
exit 0
