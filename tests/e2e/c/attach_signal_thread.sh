#!/bin/sh
# leakcheck attach on a C program started without leakcheck whose threads wait for signals (sigwait, pause) and
# on a pipe: attach once all four threads sleep, print what the json report says each waits on, and leave the
# program running (it is killed here).
root=$(cd "$(dirname "$0")/../../.." && pwd)
. "$root/tests/e2e/drivers/ptrace_probe.sh"
. "$root/tests/e2e/drivers/attach_report.sh"
start_sleeping 4
attach_report "$pid"
python3 - "$OUT/lc.$pid.json" <<'PY'
import json, sys
for t in json.load(open(sys.argv[1]))["tasks"]:
    if t["kind"] == "thread" and t["state"] == "blocked" and t.get("object"):
        print("json: %s waits on %s" % (t["what"], t["object"]["kind"]))
PY
kill -9 "$pid"
wait "$pid" 2>/dev/null
exit 0
