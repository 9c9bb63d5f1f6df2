# Sourced by the drivers whose program waits on its standard input to go on.
# start_on_fifo WORD: starts $BIN in the background (under the preload $PRELOAD when that is set), its stdin a
# FIFO this driver holds open on fd 3 (write to fd 3 to release the program; close it for end of file), its
# stdout and stderr to $OUT; sets pid, and returns once the program has printed WORD (10 s at most).
# until_reading_stdin: returns once one of the program's threads sleeps in read(0, ...), and 0.1 s more (10 s
# at most): the program is then where a report must find it.
start_on_fifo() {
    mkfifo "$OUT/in"
    if [ -n "${PRELOAD:-}" ]; then
        LD_PRELOAD="$PRELOAD" "$BIN" < "$OUT/in" > "$OUT/stdout" 2> "$OUT/stderr" &
    else
        "$BIN" < "$OUT/in" > "$OUT/stdout" 2> "$OUT/stderr" &
    fi
    pid=$!
    exec 3> "$OUT/in"
    i=0
    until grep -q "$1" "$OUT/stdout" 2>/dev/null || [ $i -ge 200 ]; do sleep 0.05; i=$((i + 1)); done
}

until_reading_stdin() {
    i=0
    until cat /proc/$pid/task/*/syscall 2>/dev/null | grep -q '^0 0x0 ' || [ $i -ge 200 ]; do
        sleep 0.05; i=$((i + 1))
    done
    sleep 0.1
}
