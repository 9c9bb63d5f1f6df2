# Helpers of bench/run.sh, sourced by it: building the benchmarks, the floor and the peers' builds, running
# one measured command, and the numbers and columns of the tables. They read run.sh's settings (ROOT, OUT,
# LIB, CFLAGS, TIMEOUT, ...) and fill its result variables (VAL, RSS, CPU, END_NS; FAILS through fail()).
# shellcheck shell=bash

# ---- building ----------------------------------------------------------------------------------------------
# build NAME: compile bench/NAME.{c,go} into $OUT/NAME when the source is newer; 1 when it cannot be built.
build() {
    local name=$1 src bin=$OUT/$1
    if [ -f "$ROOT/bench/$name.c" ] || [ -f "$ROOT/bench/${name%_mt}.c" ]; then
        # NAME_mt: NAME.c with the program's own second thread (bench.h)
        local mt=()
        src=$ROOT/bench/$name.c
        [ -f "$src" ] || { src=$ROOT/bench/${name%_mt}.c mt=(-DBENCH_MT); }
        [ "$bin" -nt "$src" ] && [ "$bin" -nt "$ROOT/bench/bench.h" ] && return 0
        gcc "${CFLAGS[@]}" "${mt[@]}" -o "$bin" "$src" 2>"$OUT/$name.build.log" && return 0
    elif [ "${name#gc_}" != "$name" ]; then
        # gc rows: the same Go program as go_*, built by the go toolchain (PIE, so that the preload enters it)
        src=$ROOT/bench/go_${name#gc_}.go
        [ "$bin" -nt "$src" ] && return 0
        (cd "$ROOT/bench" && CGO_ENABLED=0 GOCACHE="${GOCACHE:-$ROOT/build/gocache}" GOFLAGS= \
            "$GO" build -buildmode=pie -o "$bin" "$src") 2>"$OUT/$name.build.log" && return 0
    else
        src=$ROOT/bench/$name.go
        [ "$bin" -nt "$src" ] && return 0
        "$GCCGO" -O2 -g -o "$bin" "$src" 2>"$OUT/$name.build.log" && return 0
    fi
    fail "$name: build failed: $(head -c 600 "$OUT/$name.build.log")"
    status=1
    return 1
}

# build_helper NAME: runwait and gen_data, plain C without bench.h
build_helper() {
    local bin=$OUT/$1 src=$ROOT/bench/$1.c
    [ "$bin" -nt "$src" ] && return 0
    gcc -O2 -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -o "$bin" "$src" 2>"$OUT/$1.build.log" && return 0
    cat "$OUT/$1.build.log" >&2
    return 1
}

# The ThreadSanitizer build, when clang can build and run a -fsanitize=thread program here.
HAVE_TSAN=0
HAVE_HELGRIND=0
detect_peers() {
    if ! command -v clang >/dev/null; then
        NOTES+=("ThreadSanitizer: skipped, clang not found")
    elif ! printf 'int main(void){return 0;}\n' >"$OUT/tsan_probe.c" ||
         ! clang -fsanitize=thread -o "$OUT/tsan_probe" "$OUT/tsan_probe.c" 2>"$OUT/tsan_probe.log"; then
        NOTES+=("ThreadSanitizer: skipped, clang -fsanitize=thread does not link (needs libclang-rt-NN-dev)")
    elif ! "$OUT/tsan_probe" 2>>"$OUT/tsan_probe.log"; then
        NOTES+=("ThreadSanitizer: skipped, a -fsanitize=thread program does not run here:"
                "  $(head -c 200 "$OUT/tsan_probe.log")")
    else
        HAVE_TSAN=1
    fi
    if command -v valgrind >/dev/null && valgrind --tool=helgrind -q true >/dev/null 2>&1; then
        HAVE_HELGRIND=1
    else
        NOTES+=("helgrind: skipped, valgrind --tool=helgrind not available")
    fi
}

build_tsan() {
    local name=$1 bin=$OUT/$1.tsan src=$ROOT/bench/$1.c mt=()
    [ -f "$src" ] || { src=$ROOT/bench/${name%_mt}.c mt=(-DBENCH_MT); }
    [ "$bin" -nt "$src" ] && [ "$bin" -nt "$ROOT/bench/bench.h" ] && return 0
    clang -O2 -g -fsanitize=thread -pthread -std=c11 -D_GNU_SOURCE "${mt[@]}" -o "$bin" "$src" 2>"$OUT/$name.tsan.log"
}

# The floor (bench/floor.c): an empty interposer of the same functions, forwarding only.
build_floor() {
    local src=$ROOT/bench/floor.c
    [ "$FLOOR" -nt "$src" ] && return 0
    gcc -O2 -g -shared -fPIC -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -o "$FLOOR" "$src" -ldl \
        2>"$OUT/floor.build.log" && return 0
    cat "$OUT/floor.build.log" >&2
    return 1
}

# ---- running -----------------------------------------------------------------------------------------------
# field FILE KEY -> the numeric value on FILE's "KEY value" line
field() {
    awk -v k="$2" '$1 == k && $2 ~ /^[0-9.]+$/ { print $2; exit }' "$1" 2>/dev/null
}

# run_one NAME MODE METRIC CMD...: runs CMD once under runwait with a timeout; sets VAL to the value of
# METRIC from its stdout (METRIC "wall_s": runwait's wall time), RSS, CPU, END_NS from runwait, or VAL to
# nothing (and records why in FAILS) when the run failed. The exit status must be EXPECT_RC (default 0).
# Stdin is STDIN (default /dev/null). Not for $(...): FAILS must persist.
run_one() {
    local name=$1 mode=$2 metric=$3
    shift 3
    local so=$OUT/$name.$mode.out se=$OUT/$name.$mode.err ru=$OUT/$name.$mode.rusage rc why
    rm -f "$ru"
    (cd "$OUT" && timeout -k 5 "$TIMEOUT" "$RUNWAIT" -o "$ru" "$@" <"${STDIN:-/dev/null}" >"$so" 2>"$se") \
        2>/dev/null   # no "Segmentation fault" noise
    rc=$?
    if [ "$metric" = wall_s ]; then VAL=$(field "$ru" wall_s); else VAL=$(field "$so" "$metric"); fi
    RSS=$(field "$ru" maxrss_kb) END_NS=$(field "$ru" end_real_ns) CPU=$(field "$ru" cpu_s)
    if [ $rc -ne "${EXPECT_RC:-0}" ] || [ -z "$VAL" ]; then
        if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then why="hung: killed after ${TIMEOUT}s"
        elif [ $rc -gt 128 ]; then why="killed by signal $((rc - 128)) ($(kill -l $((rc - 128)) 2>/dev/null))"
        elif [ $rc -ne "${EXPECT_RC:-0}" ]; then why="exit status $rc (expected ${EXPECT_RC:-0})"
        else why="no '$metric' line on stdout"
        fi
        local rep
        rep=$(ls -t "$OUT/$name.report".* 2>/dev/null | head -n 1)
        if [ "$mode" = shim ] && [ -n "$rep" ]; then     # kept: the next round's run removes the reports
            cp "$rep" "$OUT/$name.failed.report"
            why="$why; report (kept as $OUT/$name.failed.report): $(head -c 400 "$rep" | tr '\n' ' ')"
        fi
        fail "$name ($mode): $why; stderr: $(tail -n 8 "$se" | head -c 800)"
        VAL=""
        case $mode in plain|shim) status=1 ;; esac
    fi
}

median() {
    printf '%s\n' "$@" | awk 'NF { a[n++] = $1 } END {
        if (!n) exit
        for (i = 0; i < n; i++) for (j = i + 1; j < n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
        if (n % 2) print a[(n - 1) / 2]; else printf "%.1f\n", (a[n / 2 - 1] + a[n / 2]) / 2 }'
}

# spread V... -> "min..max" when (max - min) / median > 25%, else nothing
spread() {
    printf '%s\n' "$@" | awk 'NF { v[n++] = $1 } END {
        if (n < 2) exit
        lo = hi = v[0]; for (i = 1; i < n; i++) { if (v[i] < lo) lo = v[i]; if (v[i] > hi) hi = v[i] }
        for (i = 0; i < n; i++) for (j = i + 1; j < n; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
        m = n % 2 ? v[(n - 1) / 2] : (v[n / 2 - 1] + v[n / 2]) / 2
        if (m > 0 && (hi - lo) / m > 0.25) printf "%s..%s\n", lo, hi }'
}

# ratio A B -> "B/A" formatted, or n/a
ratio() {
    awk -v a="$1" -v b="$2" 'BEGIN {
        if (a == "" || b == "" || a + 0 == 0) print "n/a"; else printf "%.2fx\n", b / a }'
}

row() {
    printf '%-38s %10s %10s %10s %7s %-2s %7s %7s %9s %6s' "$@"
}

# ms_between START_NS END_NS -> milliseconds, or nothing
ms_between() {
    [ -n "$1" ] && [ -n "$2" ] && awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f\n", (b - a) / 1e6 }'
}
