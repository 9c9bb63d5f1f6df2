#!/bin/sh
# Fidelity: runs $BIN without the shim and under it, the same way, and compares what the program can observe:
# its stdout and its exit status (or the signal it died of). Prints, for the case's EXPECT lines:
#   stdout: same | stdout: differs (and the diff)       then the plain run's stdout, each line after "| "
#   status: same (N) | status: plain N, shim M
#   runs: K of N the same                                with FIDELITY_RUNS
#   reports: R of N                                      with FIDELITY_RUNS and FIDELITY_REPORT
#   --- shim stderr                                      then the (last) shim run's stderr
# and exits with the shim run's status. Knobs, from the case's ENV: lines:
#   FIDELITY_ARGS=...      the program's arguments
#   FIDELITY_SIGNAL=SIG    once the program printed a line "ready", SIG to both runs (a CI timeout's SIGTERM)
#   FIDELITY_DUMP=N        once it printed "ready", the dump signal N times, 0.1 s apart, to the shim's run only
#                          (without the shim that signal would kill it)
#   FIDELITY_RUNS=N        the shim's run N times, each compared with the plain one
#   FIDELITY_REPORT=ERE    with FIDELITY_RUNS: how many shim runs wrote a stderr line matching ERE
#   FIDELITY_NEEDS=CMD     skip (status 77) when CMD is not installed
if [ -n "${FIDELITY_NEEDS:-}" ] && ! command -v "$FIDELITY_NEEDS" > /dev/null 2>&1; then
    echo "SKIP: $FIDELITY_NEEDS not installed"; exit 77
fi
runs=${FIDELITY_RUNS:-1}
dump=$(echo "${LEAKCHECK_OPTIONS:-}" | tr ': ' '\n\n' | sed -n 's/^dump_signal=//p' | tail -1)

# run NAME PRELOAD: one run, stdout and stderr to $OUT/NAME.out and .err; its status in $OUT/NAME.status.
run() {
    rm -f "$OUT/$1.out"
    : > "$OUT/$1.out"
    # shellcheck disable=SC2086
    env ${2:+LD_PRELOAD="$2"} "$BIN" ${FIDELITY_ARGS:-} > "$OUT/$1.out" 2> "$OUT/$1.err" < /dev/null &
    pid=$!
    if [ -n "${FIDELITY_SIGNAL:-}" ] || { [ -n "$2" ] && [ -n "${FIDELITY_DUMP:-}" ]; }; then
        i=0
        until grep -q '^ready$' "$OUT/$1.out" || [ $i -ge 1000 ]; do sleep 0.01; i=$((i + 1)); done
        if [ -n "$2" ] && [ -n "${FIDELITY_DUMP:-}" ]; then
            n=0
            while [ "$n" -lt "$FIDELITY_DUMP" ]; do kill "-${dump:-10}" "$pid" 2> /dev/null; sleep 0.1; n=$((n + 1)); done
        fi
        [ -n "${FIDELITY_SIGNAL:-}" ] && kill "-$FIDELITY_SIGNAL" "$pid" 2> /dev/null
    fi
    { wait "$pid"; echo $? > "$OUT/$1.status"; } 2> /dev/null   # (no "Terminated" from the shell)
}

run plain ""
same=0 reports=0 k=0
while [ $k -lt "$runs" ]; do
    run shim "$LIB"
    cmp -s "$OUT/plain.out" "$OUT/shim.out" && [ "$(cat "$OUT/plain.status")" = "$(cat "$OUT/shim.status")" ] &&
        same=$((same + 1))
    [ -n "${FIDELITY_REPORT:-}" ] && grep -Eq -e "$FIDELITY_REPORT" "$OUT/shim.err" && reports=$((reports + 1))
    [ $k -eq 0 ] && { cp "$OUT/shim.out" "$OUT/first.out"; cp "$OUT/shim.status" "$OUT/first.status"; }
    k=$((k + 1))
done

if cmp -s "$OUT/plain.out" "$OUT/first.out"; then echo "stdout: same"
else echo "stdout: differs"; diff "$OUT/plain.out" "$OUT/first.out" | sed 's/^/  /'; fi
sed 's/^/| /' "$OUT/plain.out"
p=$(cat "$OUT/plain.status") s=$(cat "$OUT/first.status")
if [ "$p" = "$s" ]; then echo "status: same ($p)"; else echo "status: plain $p, shim $s"; fi
if [ "$runs" -gt 1 ]; then
    echo "runs: $same of $runs the same"
    [ -n "${FIDELITY_REPORT:-}" ] && echo "reports: $reports of $runs"
fi
echo "--- shim stderr"
cat "$OUT/shim.err"
exit "$s"
