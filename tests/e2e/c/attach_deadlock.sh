#!/bin/sh
# leakcheck attach on a C program started without leakcheck that deadlocks: attach once every thread waits, the
# program must still be there after (it is killed here, as it would hang forever).
root=$(cd "$(dirname "$0")/../../.." && pwd)
. "$root/tests/e2e/drivers/ptrace_probe.sh"
"$BIN" > "$OUT/stdout" 2> "$OUT/stderr" &
pid=$!
i=0
until grep -q started "$OUT/stdout" 2>/dev/null || [ $i -ge 200 ]; do sleep 0.05; i=$((i + 1)); done
# until all five threads sleep (the two transfers in their second lock)
until [ "$(cat /proc/$pid/task/*/stat 2>/dev/null | sed 's/.*) //' | cut -c1 | grep -c S)" = 5 ] || [ $i -ge 400 ]; do
    sleep 0.05; i=$((i + 1))
done
sleep 0.1
LEAKCHECK_LIB="$LIB" "$root/scripts/leakcheck" attach --report=text,json --log_path="$OUT/lc" --verbosity=2 "$pid" \
    > "$OUT/attach.out" 2> "$OUT/attach.err"
echo "attach: exit $?"
sed "s/$pid/PID/g" "$OUT/attach.err" "$OUT/lc.$pid" 2>&1
python3 - "$OUT/lc.$pid.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
ts = [t for t in r["tasks"] if t["kind"] == "thread"]
print("json: %s, %d threads, %d deadlocks" % ("live" if r["live"] else "verdict", len(ts), r["summary"]["deadlocks"]))
PY
if kill -0 "$pid" 2>/dev/null; then echo "after: running"; else echo "after: gone"; fi
kill -9 "$pid"
wait "$pid" 2>/dev/null
exit 0
