#!/bin/bash
# fault_options_malformed driver (bash: the option strings hold tabs, newlines and binary bytes; the runner
# starts drivers with sh, hence the re-exec).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# One run per option string; prints "LABEL: exit S, stdout ok|differs, N option messages" and the messages.
long=$(head -c 10240 /dev/zero | tr '\0' a)
deep=$OUT
for i in $(seq 1 120); do deep=$deep/dir$i; done     # over 800 characters, well under PATH_MAX
mkdir -p "$deep"
many_good=$(for i in $(seq 1 3000); do printf 'verbosity=1:'; done)
many_bad=$(for i in $(seq 1 500); do printf 'x%d=1:' "$i"; done)

run() {
    local label=$1 opts=$2 st n
    if [ "$label" = unset ]; then
        env -u LEAKCHECK_OPTIONS LD_PRELOAD="$LIB" "$BIN" > "$OUT/$label.out" 2> "$OUT/$label.err"
    else
        LEAKCHECK_OPTIONS="grace_ms=20:$opts" LD_PRELOAD="$LIB" "$BIN" > "$OUT/$label.out" 2> "$OUT/$label.err"
    fi
    st=$?
    local out=ok
    printf 'running\ndone\n' | cmp -s - "$OUT/$label.out" || out=differs
    # The shim's option messages: every "leakcheck: " line that is not part of the report or the help.
    grep -av '^leakcheck: \(found\|[0-9]* leaked\|cannot open log_path\)' "$OUT/$label.err" \
        | grep -a '^leakcheck: ' | grep -av '^leakcheck options' > "$OUT/$label.msg"
    n=$(wc -l < "$OUT/$label.msg")
    echo "$label: exit $st, stdout $out, $n option messages"
    # Shown with control characters made visible, cut to 200 bytes.
    cut -c1-200 "$OUT/$label.msg" | cat -v | sed "s/^/$label: message: /" | head -3
    # Lines before the report that do not start with "leakcheck: " (other than the help table).
    sed '/^leakcheck: found/,$d' "$OUT/$label.err" | grep -av '^leakcheck: \|^leakcheck options\|^  [a-z_]* ' \
        | grep -aq . && echo "$label: unprefixed lines on stderr"
    [ "$(wc -c < "$OUT/$label.msg")" -gt 4096 ] && echo "$label: messages too long"
    return 0
}

run unset ""
run empty ""
run separators $':::: \t\n ::'
run equals "="
run equals-many "==:=1:=x=y"
run empty-int "exitcode="
run empty-str "log_path="
run no-value "exitcode"
run repeated ":::exitcode=3::::exitcode=4:::"
run newline-sep $'exitcode=5\nverbosity=1'
run overflow "exitcode=9:exitcode=99999999999999999999"
run negative "exitcode=9:grace_ms=-5"
run binary "exitcode=9:"$'\001\002\377\033[2J=\177'
run fullwidth "exitcode=９"
run long-name "exitcode=9:$long=1"
run long-value "exitcode=9:log_path=/tmp/$long"
run long-path "log_path=$deep/lc"
if ls "$deep"/lc.* > /dev/null 2>&1; then echo "long-path: log file created at the full path"
else echo "long-path: no log file at the full path"; fi
run many-good "${many_good}exitcode=7"
run many-bad "exitcode=9:$many_bad"
run help-and-garbage "help=1:"$'\001'
grep -q '^  exitcode ' "$OUT/help-and-garbage.err" && echo "help-and-garbage: help printed"
exit 0
