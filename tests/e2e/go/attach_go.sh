#!/bin/sh
# leakcheck attach on a Go program started without leakcheck: once it says "ready", attach with text and json
# reports; it must still be running after, then finish on its own.
root=$(cd "$(dirname "$0")/../../.." && pwd)
. "$root/tests/e2e/drivers/ptrace_probe.sh"
mkfifo "$OUT/in"
"$BIN" < "$OUT/in" > "$OUT/stdout" 2> "$OUT/stderr" &
pid=$!
exec 3> "$OUT/in"
i=0
until grep -q ready "$OUT/stdout" 2>/dev/null || [ $i -ge 200 ]; do sleep 0.05; i=$((i + 1)); done
# until one of its threads waits in read(0, ...): the program is where the report must find it
until cat /proc/$pid/task/*/syscall 2>/dev/null | grep -q '^0 0x0 ' || [ $i -ge 400 ]; do sleep 0.05; i=$((i + 1)); done
sleep 0.1
LEAKCHECK_LIB="$LIB" "$root/scripts/leakcheck" attach --report=text,json --log_path="$OUT/lc" --verbosity=2 "$pid" \
    > "$OUT/attach.out" 2> "$OUT/attach.err"
echo "attach: exit $?"
sed "s/$pid/PID/g" "$OUT/attach.err" "$OUT/lc.$pid" 2>&1
python3 - "$OUT/lc.$pid.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
gs = [t for t in r["tasks"] if t["kind"] == "goroutine" and not t["runtime"]]
print("json: %s, %d goroutines" % ("live" if r["live"] else "verdict", len(gs)))
for t in gs:
    top = t["blocking_stack"][0]["function"] if t["blocking_stack"] else None
    print("json: goroutine %s in %s at %s" % (t["state"], t["what"], top))
PY
if kill -0 "$pid" 2>/dev/null; then echo "after: running"; else echo "after: gone"; fi
echo go >&3
exec 3>&-
wait "$pid"
echo "program: exit $?"
sed 's/^/stdout: /' "$OUT/stdout"
exit 0
