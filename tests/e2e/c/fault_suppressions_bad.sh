#!/bin/sh
# fault_suppressions_bad driver: one run per file (SIGKILL after 5 s: a hang); prints
# "LABEL: exit S, stdout ok|differs, N messages, reported|suppressed" and the messages.
mkdir -p "$OUT/adir"
mkfifo "$OUT/fifo"
head -c 5000000 /dev/zero | tr '\0' '#' > "$OUT/too-big"
head -c 65536 /dev/urandom > "$OUT/garbage"
awk 'BEGIN { for (i = 0; i < 100000; i++) printf "leak:no_such_function_%06d\n", i; print "leak:stuck_worker" }' \
    > "$OUT/huge"
printf '# rules\r\nleak_top:stuck_worker\r\n' > "$OUT/crlf"
printf 'leak:stuck_worker\n\000leak:x\n' > "$OUT/nul"     # a good rule, then a NUL: not text

run() {
    label=$1 path=$2
    t0=$(date +%s%N)
    LEAKCHECK_OPTIONS="$LEAKCHECK_OPTIONS:suppressions=$path" timeout -s KILL 5 env LD_PRELOAD="$LIB" "$BIN" \
        > "$OUT/$label.out" 2> "$OUT/$label.err"
    st=$?
    ms=$((($(date +%s%N) - t0) / 1000000))
    [ $st = 137 ] && st="137 (killed after 5 s: hung)"
    if printf 'running\ndone\n' | cmp -s - "$OUT/$label.out"; then out=ok; else out=differs; fi
    # The shim's complaints about the file: everything on stderr before the report that starts "leakcheck: ".
    sed '/^leakcheck: found/,$d' "$OUT/$label.err" > "$OUT/$label.pre"
    n=$(grep -ac '^leakcheck: ' "$OUT/$label.pre")
    if grep -q '^leakcheck: 1 leaked, 0 misuse; exit status 66$' "$OUT/$label.err"; then rep=reported
    else rep=suppressed; fi
    echo "$label: exit $st, stdout $out, $n messages, $rep"
    grep -a '^leakcheck: ' "$OUT/$label.pre" | head -2 | cut -c1-240 | cat -v | sed "s/^/$label: message: /"
    grep -avq '^leakcheck: \|^$' "$OUT/$label.pre" && echo "$label: unprefixed lines before the report"
    [ "$(wc -c < "$OUT/$label.pre")" -gt 8192 ] && echo "$label: messages too long"
    [ "$label" = huge ] && { [ $ms -lt 2000 ] && echo "huge: within 2 s: yes" || echo "huge: within 2 s: no (${ms} ms)"; }
    return 0
}
run missing "$OUT/no/such/file"
run directory "$OUT/adir"
run fifo "$OUT/fifo"
run mem /proc/self/mem
run endless /dev/zero
run too-big "$OUT/too-big"
run garbage "$OUT/garbage"
run nul "$OUT/nul"
run huge "$OUT/huge"
run crlf "$OUT/crlf"
exit 0
