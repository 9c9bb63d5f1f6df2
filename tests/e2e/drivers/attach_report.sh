# Sourced by the drivers of the leakcheck attach cases. attach_report PID: attaches with the text and json
# formats (log_path $OUT/lc) at verbosity 2 and prints, the pid spelled PID: "attach: exit N", the pause note
# and the text report, facts read from the json report ("json: live, N tasks (G goroutines, T threads), D
# deadlocks" and one "json: KIND STATE in WHAT at FUNCTION" line per task but the runtime's), and whether the
# process still runs ("after: running").
attach_report() {
    LEAKCHECK_LIB="$LIB" "$root/scripts/leakcheck" attach --report=text,json --log_path="$OUT/lc" --verbosity=2 \
        "$1" > "$OUT/attach.out" 2> "$OUT/attach.err"
    echo "attach: exit $?"
    sed "s/$1/PID/g" "$OUT/attach.err" "$OUT/lc.$1" 2>&1
    python3 - "$OUT/lc.$1.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
ts = [t for t in r["tasks"] if not t["runtime"]]
n = lambda kind: len([t for t in ts if t["kind"] == kind])
print("json: %s, %d tasks (%d goroutines, %d threads), %d deadlocks" % ("live" if r["live"] else "verdict", len(ts),
      n("goroutine"), n("thread"), r["summary"]["deadlocks"]))
for t in ts:
    top = t["blocking_stack"][0]["function"] if t["blocking_stack"] else None
    print("json: %s %s in %s at %s" % (t["kind"], t["state"], t["what"], top))
PY
    if kill -0 "$1" 2>/dev/null; then echo "after: running"; else echo "after: gone"; fi
}

# start_sleeping N: starts $BIN in the background (stdout and stderr to $OUT; under the preload $PRELOAD when that
# is set), sets pid, and returns once it has printed "started" and N of its threads sleep (10 s at most for each),
# and 0.1 s more.
start_sleeping() {
    if [ -n "${PRELOAD:-}" ]; then
        LD_PRELOAD="$PRELOAD" "$BIN" > "$OUT/stdout" 2> "$OUT/stderr" &
    else
        "$BIN" > "$OUT/stdout" 2> "$OUT/stderr" &
    fi
    pid=$!
    i=0
    until grep -q started "$OUT/stdout" 2>/dev/null || [ $i -ge 200 ]; do sleep 0.05; i=$((i + 1)); done
    until [ "$(cat /proc/$pid/task/*/stat 2>/dev/null | sed 's/.*) //' | cut -c1 | grep -c S)" = "$1" ] ||
          [ $i -ge 400 ]; do
        sleep 0.05; i=$((i + 1))
    done
    sleep 0.1
}
