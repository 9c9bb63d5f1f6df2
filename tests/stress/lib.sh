# shellcheck shell=sh
# Shared by tests/stress/run.sh and the e2e case fault_stress: run a program under the shim while another
# process (this shell) fires dump signals at it, with a watchdog; then summarise what happened.
# POSIX sh; the caller sets LIB and LEAKCHECK_OPTIONS.

# run_under_dumps DIR MAXDUMPS INTERVAL TIMEOUT PROGRAM ARGS...
#   Starts PROGRAM under LD_PRELOAD=$LIB (stdout, stderr into DIR). Once its first stdout line ("pid P") shows
#   that main is running (the shim's handler is installed by then), sends SIGUSR1 every INTERVAL seconds
#   until it exits or MAXDUMPS were sent. A program still alive after TIMEOUT seconds is a hang: its threads'
#   stacks go to DIR/hang (gdb when installed) and it is killed. Writes DIR/status and DIR/sent.
run_under_dumps() {
    dir=$1 maxdumps=$2 interval=$3 limit=$4
    shift 4
    LD_PRELOAD="$LIB" "$@" > "$dir/stdout" 2> "$dir/stderr" < /dev/null &
    pid=$!
    start=$(date +%s)
    while ! [ -s "$dir/stdout" ] && alive "$pid"; do sleep 0.01; done
    sent=0 n=0
    while alive "$pid"; do
        n=$((n + 1))
        if [ $((n % 10)) = 0 ] && [ $(($(date +%s) - start)) -ge "$limit" ]; then
            { echo "HANG after ${limit}s; threads:"; stacks "$pid"; } > "$dir/hang" 2>&1
            kill -KILL "$pid" 2> /dev/null
            break
        fi
        if [ "$sent" -lt "$maxdumps" ]; then
            kill -USR1 "$pid" 2> /dev/null && sent=$((sent + 1))
        fi
        sleep "$interval"
    done
    wait "$pid"
    echo $? > "$dir/status"
    echo "$sent" > "$dir/sent"
}

# alive PID: the process exists and is not a zombie (no fork: this runs between every two signals).
alive() {
    st=
    { read -r st < "/proc/$1/stat"; } 2> /dev/null || return 1
    st=${st##*) }
    [ "${st%% *}" != Z ]
}

# stacks PID: every thread's stack, for the diagnosis of a hang.
stacks() {
    if command -v gdb > /dev/null 2>&1; then
        gdb -p "$1" -batch -ex 'thread apply all bt' 2>&1 | grep -E '^(Thread|#)' | head -2000
    else
        for t in /proc/"$1"/task/*; do echo "thread ${t##*/}: $(cat "$t/syscall" 2>/dev/null)"; done
    fi
}

# digest DIR LOGFILE: what the run did, one fact a line, for checking with grep:
#   exit status N / stdout: ... / dumps sent: N / live reports: N / last live report: LINE /
#   verdict: the lines of the final report (from its summary line on) / stderr: empty, or its lines / hang
digest() {
    dir=$1 log=$2
    echo "exit status $(cat "$dir/status")"
    sed 's/^/stdout: /' "$dir/stdout"
    echo "dumps sent: $(cat "$dir/sent")"
    if [ -f "$log" ]; then
        echo "live reports: $(grep -c '^leakcheck: live report' "$log")"
        echo "last live report: $(grep '^leakcheck: live report' "$log" | tail -1)"
        # The final verdict starts at the last summary line that is not part of a live report.
        n=$(grep -n '^leakcheck: found' "$log" | tail -1 | cut -d: -f1)
        if [ -n "$n" ]; then tail -n +"$n" "$log" | sed 's/^/verdict: /'; else echo "verdict: none"; fi
    else
        echo "log file: missing ($log)"
    fi
    if [ -s "$dir/stderr" ]; then sed 's/^/stderr: /' "$dir/stderr" | head -20; else echo "stderr: empty"; fi
    [ -f "$dir/hang" ] && sed 's/^/hang: /' "$dir/hang"
    return 0
}
