#!/bin/sh
# fault_logpath_bad driver: one run per bad log_path; one summary line and the message per run.
: > "$OUT/afile"
if [ "$(id -u)" = 0 ]; then ro=/proc; else mkdir -p "$OUT/readonly" && chmod 555 "$OUT/readonly"; ro=$OUT/readonly; fi
long=$OUT/$(head -c 5000 /dev/zero | tr '\0' d)/lc
before=$(find "$OUT" | wc -l)
for case in "missing $OUT/missing/sub/lc" "notdir $OUT/afile/lc" "unwritable $ro/lc" "toolong $long"; do
    label=${case%% *} path=${case#* }
    LEAKCHECK_OPTIONS="$LEAKCHECK_OPTIONS:log_path=$path" LD_PRELOAD="$LIB" "$BIN" > "$OUT/$label.out" 2> "$OUT/$label.err"
    st=$?
    if printf 'working\ndone\n' | cmp -s - "$OUT/$label.out"; then out=ok; else out=differs; fi
    n=$(grep -c 'log_path' "$OUT/$label.err")
    if grep -q '^leakcheck: 1 leaked, 0 misuse; exit status 66$' "$OUT/$label.err"; then rep="report on stderr"
    else rep="NO report on stderr"; fi
    created=$(($(find "$OUT" | wc -l) - before - 2))      # minus this run's .out and .err
    before=$((before + 2))
    echo "$label: exit $st, stdout $out, $n message line$([ "$n" = 1 ] || echo s), $rep, files created: $created"
    # Long lines: the start and the end (the reason), joined by "...".
    grep 'log_path' "$OUT/$label.err" | sed -E "s/^(.{150}).*(.{150})$/\1...\2/; s/^/$label: message: /"
done
ls /proc/lc.* 2> /dev/null && echo "unwritable: a file appeared in /proc"
exit 0
