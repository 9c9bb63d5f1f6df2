#!/bin/sh
# fault_logpath_planted driver: for each kind of planted file, start the program with stdin on a fifo, plant
# the file at $OUT/lc.PID once the program printed its pid, then let it finish (killed after 5 s: a hang).
echo original > "$OUT/target"
for label in existing dangling fifo; do
    ctl=$OUT/$label.ctl
    mkfifo "$ctl"
    LEAKCHECK_OPTIONS="$LEAKCHECK_OPTIONS:log_path=$OUT/lc" timeout -s KILL 5 env LD_PRELOAD="$LIB" "$BIN" \
        < "$ctl" > "$OUT/$label.out" 2> "$OUT/$label.err" &
    job=$!
    exec 3> "$ctl"
    i=0
    while ! grep -q '^pid ' "$OUT/$label.out" && [ $i -lt 300 ]; do sleep 0.01; i=$((i + 1)); done
    p=$OUT/lc.$(sed -n 's/^pid //p' "$OUT/$label.out")
    case $label in
        existing) ln -s "$OUT/target" "$p" ;;
        dangling) ln -s "$OUT/created" "$p" ;;
        fifo) mkfifo "$p" ;;
    esac
    echo go >&3
    exec 3>&-
    wait $job
    st=$?
    [ $st = 137 ] && st="137 (killed after 5 s: hung)"
    echo "$label: exit $st"
    case $label in
        existing)
            if [ "$(cat "$OUT/target")" = original ]; then echo "$label: target unchanged"
            else echo "$label: TARGET WRITTEN:"; cat "$OUT/target"; fi ;;
        dangling)
            if [ -e "$OUT/created" ]; then echo "$label: TARGET CREATED:"; cat "$OUT/created"
            else echo "$label: target not created"; fi ;;
    esac
    if [ -L "$p" ]; then echo "$label: still a link"
    elif [ -p "$p" ]; then echo "$label: still a fifo"
    else echo "$label: REPLACED"; fi
    grep 'log_path' "$OUT/$label.err" | sed "s/^/$label: message: /"
    grep -q '^leakcheck: 1 leaked, 0 misuse; exit status 66$' "$OUT/$label.err" && echo "$label: report on stderr"
    rm -f "$p"
done
exit 0
