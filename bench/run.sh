#!/usr/bin/env bash
# Overhead benchmarks: runs every benchmark binary plain and under the shim, interleaved (plain, shim, plain,
# shim, ...), and prints the median of each and their ratio next to the target. Timings are printed, never
# asserted: the exit status is non-zero only when a benchmark crashed, hung or failed to build.
#
# Usage: bench/run.sh [--peers] [--rounds N] [NAME ...]
#   --peers      also run ThreadSanitizer (clang -fsanitize=thread) and valgrind --tool=helgrind builds of
#                the C microbenchmarks, with reduced iteration counts, as extra ratio columns (or BENCH_PEERS=1)
#   --rounds N   plain/shim pairs per timing benchmark (default 5, or BENCH_ROUNDS)
#   NAME         only these benchmarks (c_mutex, go_pipeline, ...)
# Environment: LEAKCHECK_LIB (default build/libleakcheck.so), GCCGO (default gccgo-12), BENCH_MEM_ROUNDS
# (default 1: the memory benchmarks are slow and steady), BENCH_TIMEOUT (seconds per run, default 60).
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
LIB=${LEAKCHECK_LIB:-$ROOT/build/libleakcheck.so}
OUT=$ROOT/build/bench
GCCGO=${GCCGO:-gccgo-12}
ROUNDS=${BENCH_ROUNDS:-5}
MEM_ROUNDS=${BENCH_MEM_ROUNDS:-1}
TIMEOUT=${BENCH_TIMEOUT:-60}
PEERS=${BENCH_PEERS:-0}
SHIM_ENV=(env LD_PRELOAD="$LIB" LEAKCHECK_OPTIONS=verbosity=0)
CFLAGS=(-O2 -g -pthread -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror)

ONLY=()
while [ $# -gt 0 ]; do
    case $1 in
        --peers) PEERS=1 ;;
        --rounds) ROUNDS=$2; shift ;;
        -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "bench/run.sh: unknown option $1" >&2; exit 2 ;;
        *) ONLY+=("$1") ;;
    esac
    shift
done

# name | label | metric printed by the program | target | tsan iterations | helgrind iterations
BENCHES=(
    "c_mutex|C mutex lock/unlock, uncontended|ns_per_op|1.2|2000000|100000"
    "c_thread|C thread create+join|ns_per_op|2|1000|100"
    "c_cond|C cond-var ping-pong|ns_per_op|1.3|10000|1000"
    "c_contended|C mutex contended (4 threads)|ns_per_op|-|200000|10000"
    "c_pipe|C pipe ping-pong|ns_per_op|1.3|10000|1000"
    "c_nested|C nested 4 locks, same order (2 thr)|ns_per_op|1.5|150000|5000"
    "go_spawn|Go goroutine spawn+exit|ns_per_op|2||"
    "go_unbuf|Go unbuffered chan ping-pong|ns_per_op|1.3||"
    "go_buf|Go buffered chan ping-pong|ns_per_op|-||"
    "go_select|Go select ping-pong|ns_per_op|1.3||"
    "go_pipeline|Go pipeline 1M items (ms wall)|ms_wall|1.15||"
    "c_mem|C memory, 1000 blocked threads|bytes_per_task|+256||"
    "go_mem|Go memory, 100k blocked goroutines|bytes_per_task|+256||"
)

VAL=""            # run_one's result
FAILS=()          # one entry per distinct failure, printed at the end
declare -A FAILN  # how many runs failed that way
NOTES=()
status=0
T_START=$(date +%s)

fail() {
    [ -n "${FAILN[$1]:-}" ] || FAILS+=("$1")
    FAILN[$1]=$((${FAILN[$1]:-0} + 1))
}

wanted() {
    [ ${#ONLY[@]} -eq 0 ] && return 0
    local n
    for n in "${ONLY[@]}"; do [ "$n" = "$1" ] && return 0; done
    return 1
}

# ---- building ----------------------------------------------------------------------------------------------
# build NAME: compile bench/NAME.{c,go} into $OUT/NAME when the source is newer; 1 when it cannot be built.
build() {
    local name=$1 src bin=$OUT/$1
    if [ -f "$ROOT/bench/$name.c" ]; then
        src=$ROOT/bench/$name.c
        [ "$bin" -nt "$src" ] && [ "$bin" -nt "$ROOT/bench/bench.h" ] && return 0
        gcc "${CFLAGS[@]}" -o "$bin" "$src" 2>"$OUT/$name.build.log" && return 0
    else
        src=$ROOT/bench/$name.go
        [ "$bin" -nt "$src" ] && return 0
        "$GCCGO" -O2 -g -o "$bin" "$src" 2>"$OUT/$name.build.log" && return 0
    fi
    fail "$name: build failed: $(head -c 600 "$OUT/$name.build.log")"
    status=1
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
    local name=$1 bin=$OUT/$1.tsan src=$ROOT/bench/$1.c
    [ "$bin" -nt "$src" ] && [ "$bin" -nt "$ROOT/bench/bench.h" ] && return 0
    clang -O2 -g -fsanitize=thread -pthread -std=c11 -D_GNU_SOURCE -o "$bin" "$src" 2>"$OUT/$name.tsan.log"
}

# ---- running -----------------------------------------------------------------------------------------------
# run_one NAME MODE METRIC CMD...: runs CMD once with a timeout; sets VAL to the value of METRIC from its
# stdout, or to nothing (and records why in FAILS) when the run failed. Not for $(...): FAILS must persist.
run_one() {
    local name=$1 mode=$2 metric=$3
    shift 3
    local so=$OUT/$name.$mode.out se=$OUT/$name.$mode.err rc why
    (cd "$OUT" && timeout -k 5 "$TIMEOUT" "$@" >"$so" 2>"$se") 2>/dev/null   # no "Segmentation fault" noise
    rc=$?
    VAL=$(awk -v k="$metric" '$1 == k && $2 ~ /^[0-9.]+$/ { print $2; exit }' "$so")
    if [ $rc -ne 0 ] || [ -z "$VAL" ]; then
        if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then why="hung: killed after ${TIMEOUT}s"
        elif [ $rc -gt 128 ]; then why="killed by signal $((rc - 128)) ($(kill -l $((rc - 128)) 2>/dev/null))"
        elif [ $rc -ne 0 ]; then why="exit status $rc"
        else why="no '$metric' line on stdout"
        fi
        fail "$name ($mode): $why; stderr: $(tail -n 8 "$se" | head -c 800)"
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
    printf '%-38s %10s %10s %8s %-2s %7s %9s' "$@"
}

# ---- main --------------------------------------------------------------------------------------------------
mkdir -p "$OUT"
if [ ! -f "$LIB" ]; then
    echo "bench/run.sh: $LIB not found; run 'make lib' first" >&2
    exit 1
fi
HAVE_GO=1
if ! command -v "$GCCGO" >/dev/null; then
    HAVE_GO=0
    NOTES+=("Go rows skipped: $GCCGO not found")
fi
[ "$PEERS" = 1 ] && detect_peers

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
echo "leakcheck overhead, $(date '+%Y-%m-%d %H:%M'), $(nproc) cores, $cpu"
echo "shim: $LIB (LEAKCHECK_OPTIONS=verbosity=0); medians of $ROUNDS plain/shim pairs ($MEM_ROUNDS for memory)"
echo "units: ns per op unless the name says otherwise; ratio = shim / plain; '!' = over target"
echo
hdr=$(row name plain shim ratio "" target "shim-plain")
[ "$PEERS" = 1 ] && hdr+=$(printf ' %9s %9s' tsan helgrind)
echo "$hdr"
printf '%s\n' "$hdr" | tr -c '\n' '-'

for spec in "${BENCHES[@]}"; do
    IFS='|' read -r name label metric target tsan_n hg_n <<<"$spec"
    wanted "$name" || continue
    case $target in -) tgt=- ;; +*) tgt="${target}B" ;; *) tgt="<=${target}x" ;; esac
    if [ "${name#go_}" != "$name" ] && [ $HAVE_GO = 0 ]; then
        row "$label" - - - "" "$tgt" "skipped"; echo; continue
    fi
    build "$name" || { row "$label" - - - "" "$tgt" "no build"; echo; continue; }
    n=$ROUNDS
    [ "$metric" = bytes_per_task ] && n=$MEM_ROUNDS
    plain=() shim=()
    for ((r = 0; r < n; r++)); do
        run_one "$name" plain "$metric" "$OUT/$name"; plain+=("$VAL")
        run_one "$name" shim "$metric" "${SHIM_ENV[@]}" "$OUT/$name"; shim+=("$VAL")
        # a program that prints a checksum must print the same one under the shim
        cp=$(grep '^checksum' "$OUT/$name.plain.out") cs=$(grep '^checksum' "$OUT/$name.shim.out")
        [ -z "$VAL" ] || [ "$cp" = "$cs" ] || { fail "$name (shim): output differs: plain '$cp', shim '$cs'"; status=1; }
    done
    p=$(median "${plain[@]}") s=$(median "${shim[@]}")
    rt=$(ratio "$p" "$s")
    sp=$(spread "${plain[@]}") ss=$(spread "${shim[@]}")
    [ -n "$sp$ss" ] && NOTES+=("$name: noisy, runs spread over plain ${sp:-(steady)}, shim ${ss:-(steady)}")
    mark="" delta=""
    if [ -n "$p" ] && [ -n "$s" ]; then
        delta=$(awk -v a="$p" -v b="$s" 'BEGIN { printf "%+.1f\n", b - a }')
        case $target in
            +*) awk -v d="$delta" -v t="${target#+}" 'BEGIN { exit !(d > t) }' && mark='!' ;;
            -) ;;
            *) awk -v a="$p" -v b="$s" -v t="$target" 'BEGIN { exit !(b / a > t) }' && mark='!' ;;
        esac
    fi
    line=$(row "$label" "${p:-FAIL}" "${s:-FAIL}" "$rt" "$mark" "$tgt" "$delta")
    if [ "$PEERS" = 1 ]; then
        t=- h=-
        if [ -n "$tsan_n" ] && [ $HAVE_TSAN = 1 ]; then
            if build_tsan "$name"; then
                tv=()
                for ((r = 0; r < 3; r++)); do
                    run_one "$name" tsan "$metric" "$OUT/$name.tsan" "$tsan_n"; tv+=("$VAL")
                done
                t=$(ratio "$p" "$(median "${tv[@]}")")
            else
                t="no build"
            fi
        fi
        if [ -n "$hg_n" ] && [ $HAVE_HELGRIND = 1 ]; then
            run_one "$name" helgrind "$metric" valgrind --tool=helgrind -q "$OUT/$name" "$hg_n"
            h=$(ratio "$p" "$VAL")
        fi
        line+=$(printf ' %9s %9s' "$t" "$h")
    fi
    echo "$line"
    if [ "$metric" = bytes_per_task ]; then
        for mode in plain shim; do
            NOTES+=("$name $mode: $(tr '\n' ' ' <"$OUT/$name.$mode.out")")
        done
    fi
done

echo
[ "$PEERS" = 1 ] &&
    NOTES+=("peers: tsan and helgrind columns are their ns/op (reduced iteration counts) over the plain gcc median")
for n in "${NOTES[@]}"; do echo "note: $n"; done
if [ ${#FAILS[@]} -gt 0 ]; then
    echo
    echo "FAILED RUNS (a crash or hang under the shim is a leakcheck bug):"
    for f in "${FAILS[@]}"; do echo "  [${FAILN[$f]} run(s)] $f"; done
fi
echo "bench: done in $(($(date +%s) - T_START))s"
exit $status
