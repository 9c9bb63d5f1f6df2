#!/bin/sh
# fault_exit_race driver: six runs (three ways out, two timings each), each under a 5 s timeout; tallies what
# every run's stderr holds. SIGKILL on timeout: a process stuck in the shim at exit may not die of SIGTERM.
runs=0 st66=0 tmo=0 shape=0 agree=0 least=0 named=0 other=0
for spec in "0 1000" "0 7000" "1 500" "1 5000" "2 0" "2 0"; do
    runs=$((runs + 1))
    err=$OUT/err.$runs
    # shellcheck disable=SC2086
    timeout -s KILL 5 env LD_PRELOAD="$LIB" "$BIN" $spec > /dev/null 2> "$err"
    st=$?
    [ $st = 66 ] && st66=$((st66 + 1))
    [ $st = 137 ] && tmo=$((tmo + 1))
    s=$(grep -c '^leakcheck: found unexpected threads ([0-9]* leaked in [0-9]* groups*)$' "$err")
    c=$(grep -c '^leakcheck: [0-9]* leaked, 0 misuse; exit status 66$' "$err")
    [ "$s" = 1 ] && [ "$c" = 1 ] && shape=$((shape + 1))
    ns=$(sed -n 's/^leakcheck: found unexpected threads (\([0-9]*\) leaked.*/\1/p' "$err")
    nc=$(sed -n 's/^leakcheck: \([0-9]*\) leaked, 0 misuse.*/\1/p' "$err")
    [ -n "$ns" ] && [ "$ns" = "$nc" ] && agree=$((agree + 1))
    [ -n "$ns" ] && [ "$ns" -ge 2 ] && least=$((least + 1))
    # a creator shown blocked (its frame, in pthread_join) or running or asleep in a call (its start routine):
    # which one the moment of the report catches depends on the machine's load
    grep -Eq '^    (start routine )?creator ' "$err" && named=$((named + 1))
    # Anything that is not part of a report: a crash message, a shim complaint.
    o=$(grep -Evc '^(leakcheck: (found|[0-9]+ leaked)|\[[0-9]+ threads? |    |  created by |$)' "$err")
    other=$((other + o))
    if [ "$o" != 0 ] || [ $st != 66 ]; then echo "run $runs ($spec): exit $st"; sed 's/^/  | /' "$err" | head -30; fi
done
echo "runs: $runs"
echo "exit status 66: $st66"
echo "timed out: $tmo"
echo "one summary and one closing line: $shape"
echo "counts agree: $agree"
echo "at least 2 leaked: $least"
echo "creators named: $named"
echo "other stderr lines: $other"
exit 0
