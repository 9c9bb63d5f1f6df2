#!/usr/bin/env bash
# Overhead benchmarks: runs every benchmark binary plain, under the floor (bench/floor.c: an empty interposer
# of the same functions) and under the shim, interleaved (plain, floor, shim, plain, ...), and prints the
# median of each, the shim's ratio next to the target and its distance from the floor. Timings are printed, never
# asserted: the exit status is non-zero only when a benchmark crashed, hung, failed to build or printed a
# different result under the shim. Four tables: microbenchmarks (with each run's peak RSS), scale (the memory
# rows' runs end with every task still blocked, so the shim's exit report over 1,000 threads / 100,000 goroutines
# is timed), attach (how long leakcheck attach stops a program with 10,000 goroutines), real programs
# (pigz/xz/zstd on a generated file; output must be byte-identical).
#
# Usage: bench/run.sh [--peers] [--no-real] [--rounds N] [NAME ...]
#   --peers      also run ThreadSanitizer (clang -fsanitize=thread) and valgrind --tool=helgrind builds of
#                the C microbenchmarks, with reduced iteration counts, as extra ratio columns (or BENCH_PEERS=1)
#   --no-real    skip the real-program rows (or BENCH_REAL=0); they install pigz/xz/zstd via scripts/setup bench
#   --rounds N   plain/shim pairs per timing benchmark (default 5, or BENCH_ROUNDS)
#   NAME         only these benchmarks (c_mutex, go_pipeline, gc_unbuf, attach_gc, pigz, ...); gc_NAME rows run
#                bench/go_NAME.go built by the go toolchain, go_NAME rows the same program built by gccgo;
#                c_NAME_mt rows bench/c_NAME.c built with -DBENCH_MT (the program's own second thread)
# Environment: LEAKCHECK_LIB (default build/libleakcheck.so), GCCGO (default gccgo-12), BENCH_MEM_ROUNDS
# (default 1: the memory benchmarks are slow and steady), BENCH_REAL_ROUNDS (default 3), BENCH_ATTACH_ROUNDS
# (default 5), BENCH_TIMEOUT (seconds per run, default 60).
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
LIB=${LEAKCHECK_LIB:-$ROOT/build/libleakcheck.so}
OUT=$ROOT/build/bench
GCCGO=${GCCGO:-gccgo-12}
GO=${GO:-go}
ROUNDS=${BENCH_ROUNDS:-5}
MEM_ROUNDS=${BENCH_MEM_ROUNDS:-1}
TIMEOUT=${BENCH_TIMEOUT:-60}
PEERS=${BENCH_PEERS:-0}
REAL=${BENCH_REAL:-1}
REAL_ROUNDS=${BENCH_REAL_ROUNDS:-3}
SHIM_ENV=(env LD_PRELOAD="$LIB")   # + LEAKCHECK_OPTIONS=log_path=$OUT/NAME.report per row (a clean run writes none)
RUNWAIT=$OUT/runwait
FLOOR=$OUT/libfloor.so
REPORT_MS=500     # scale: the exit report's target for N tasks
EXIT_RSS_MB=5     # scale and real programs: peak RSS at exit over the running program's
FLOOR_ENV=(env LD_PRELOAD="$FLOOR")
CFLAGS=(-O2 -g -pthread -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror)

ONLY=()
while [ $# -gt 0 ]; do
    case $1 in
        --peers) PEERS=1 ;;
        --no-real) REAL=0 ;;
        --rounds) ROUNDS=$2; shift ;;
        -h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "bench/run.sh: unknown option $1" >&2; exit 2 ;;
        *) ONLY+=("$1") ;;
    esac
    shift
done

# name | label | metric printed by the program | target | tsan iterations | helgrind iterations | arguments
# (the memory rows run with "N leak": they measure, then exit with all N tasks blocked; see the scale table)
BENCHES=(
    "c_mutex|C mutex lock/unlock, uncontended|ns_per_op|1.15|2000000|100000"
    "c_mutex_mt|C mutex uncontended, 2nd thread idle|ns_per_op|1.15|2000000|100000"
    "c_putc|C putc, single thread|ns_per_op|1.1|5000000|200000"
    "c_putc_mt|C putc, 2nd thread idle|ns_per_op|1.15|5000000|200000"
    "c_thread|C thread create+join|ns_per_op|1.5|1000|100"
    "c_cond|C cond-var ping-pong|ns_per_op|1.3|10000|1000"
    "c_contended|C mutex contended (4 threads)|ns_per_op|-|200000|10000"
    "c_pipe|C pipe ping-pong|ns_per_op|1.3|10000|1000"
    "c_nested|C nested 4 locks, same order (2 thr)|ns_per_op|1.5|150000|5000"
    "c_malloc|C malloc+free, heap locks nested|ns_per_op|1.15|2000000|100000"
    "go_spawn|Go goroutine spawn+exit|ns_per_op|1.3||"
    "go_unbuf|Go unbuffered chan ping-pong|ns_per_op|1.15||"
    "go_buf|Go buffered chan ping-pong|ns_per_op|1.15||"
    "go_select|Go select ping-pong|ns_per_op|1.15||"
    "go_mutexpool|Go worker pool, contended sync.Mutex|ns_per_op|1.1||"
    "go_pipeline|Go pipeline 1M items (ms wall)|ms_wall|1.05||"
    "go_makeclose|Go chan make+close|ns_per_op|-||"
    "gc_spawn|gc Go goroutine spawn+exit|ns_per_op|-||"
    "gc_unbuf|gc Go unbuffered chan ping-pong|ns_per_op|1.02||"
    "gc_select|gc Go select ping-pong|ns_per_op|1.02||"
    "gc_mutexpool|gc Go worker pool, contended Mutex|ns_per_op|1.02||"
    "gc_pipeline|gc Go pipeline 1M items (ms wall)|ms_wall|1.02||"
    "gc_makeclose|gc Go chan make+close (ns more)|ns_per_op|+300||"
    "c_mem|C memory, 1000 blocked threads|bytes_per_task|+256|||1000 leak"
    "go_mem|Go memory, 100k blocked goroutines|bytes_per_task|+256|||100000 leak"
    "gc_mem|gc Go memory, 100k blocked goroutines|bytes_per_task|+256|||100000 leak"
)

VAL=""            # run_one's results: the metric,
RSS="" CPU=""     # the child's peak RSS (KiB) and user+sys CPU (s),
END_NS=""         # and when it was reaped (CLOCK_REALTIME ns)
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

# the building and running helpers (build, run_one, median, spread, ratio, row, ...)
. "$ROOT/bench/lib.sh"

# ---- main --------------------------------------------------------------------------------------------------
mkdir -p "$OUT"
if [ ! -f "$LIB" ]; then
    echo "bench/run.sh: $LIB not found; run 'make lib' first" >&2
    exit 1
fi
build_helper runwait || { echo "bench/run.sh: cannot build bench/runwait.c" >&2; exit 1; }
build_floor || { echo "bench/run.sh: cannot build bench/floor.c" >&2; exit 1; }
HAVE_GO=1 HAVE_GC=1
if ! command -v "$GCCGO" >/dev/null; then
    HAVE_GO=0
    NOTES+=("gccgo rows skipped: $GCCGO not found")
fi
if ! command -v "$GO" >/dev/null; then
    HAVE_GC=0
    NOTES+=("gc rows skipped: $GO not found")
fi
[ "$PEERS" = 1 ] && detect_peers

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
echo "leakcheck overhead, $(date '+%Y-%m-%d %H:%M'), $(nproc) cores, $cpu"
echo "shim: $LIB (LEAKCHECK_OPTIONS=log_path=build/bench/NAME.report: a clean run writes none); medians of $ROUNDS plain/shim pairs ($MEM_ROUNDS for memory)"
echo "floor: under an empty interposer of the same functions (bench/floor.c); medians of interleaved"
echo "plain/floor/shim runs"
echo "units: ns per op unless the name says otherwise; ratio = shim / plain; '!' = over target;"
echo "/floor = shim / floor (how far above the floor); rss x = peak RSS (ru_maxrss) shim / plain"
[ "$PEERS" = 1 ] && echo "tsan, helgrind = peer / plain; shim/tsan = shim / tsan ('!' when over 0.2x, i.e. not 5x cheaper)"
micro_wanted=0
for spec in "${BENCHES[@]}"; do wanted "${spec%%|*}" && micro_wanted=1; done
if [ $micro_wanted = 1 ]; then
    echo
    hdr=$(row name plain floor shim ratio "" target /floor "shim-plain" "rss x")
    [ "$PEERS" = 1 ] && hdr+=$(printf ' %9s %9s %9s' tsan helgrind shim/tsan)
    echo "$hdr"
    printf '%s\n' "$hdr" | tr -c '\n' '-'
fi

SCALE=()   # scale table lines, filled by the memory rows
for spec in "${BENCHES[@]}"; do
    IFS='|' read -r name label metric target tsan_n hg_n args <<<"$spec"
    wanted "$name" || continue
    unit=ns; [ "$metric" = bytes_per_task ] && unit=B      # an absolute target: "+N" more than plain, in the metric's unit
    case $target in -) tgt=- ;; +*) tgt="${target}$unit" ;; *) tgt="<=${target}x" ;; esac
    if { [ "${name#go_}" != "$name" ] && [ $HAVE_GO = 0 ]; } || { [ "${name#gc_}" != "$name" ] && [ $HAVE_GC = 0 ]; }; then
        row "$label" - - - - "" "$tgt" - "skipped" ""; echo; continue
    fi
    build "$name" || { row "$label" - - - - "" "$tgt" - "no build" ""; echo; continue; }
    read -r -a argv <<<"${args:-}"
    n=$ROUNDS shim_env=("${SHIM_ENV[@]}" LEAKCHECK_OPTIONS="log_path=$OUT/$name.report") shim_rc=0
    if [ "$metric" = bytes_per_task ]; then
        # leak mode: the shim writes its exit report to a file and exits 66
        n=$MEM_ROUNDS shim_rc=66
        # grace_ms=0: time the report itself, not the settling wait (up to grace_ms, 200 ms by default, when
        # a task blocked less than grace_ms before exit)
        shim_env=(env LD_PRELOAD="$LIB" LEAKCHECK_OPTIONS="log_path=$OUT/$name.report:grace_ms=0")
    fi
    plain=() floor=() shim=() prss=() srss=() pexit=() sexit=() shimrun=()
    for ((r = 0; r < n; r++)); do
        run_one "$name" plain "$metric" "$OUT/$name" "${argv[@]}"; plain+=("$VAL") prss+=("$RSS")
        pexit+=("$(ms_between "$(field "$OUT/$name.plain.out" exiting_real_ns)" "$END_NS")")
        # the memory rows' floor would only repeat the plain run (the floor keeps no record)
        if [ "$metric" != bytes_per_task ]; then
            run_one "$name" floor "$metric" "${FLOOR_ENV[@]}" "$OUT/$name" "${argv[@]}"; floor+=("$VAL")
        fi
        rm -f "$OUT/$name.report".*
        EXPECT_RC=$shim_rc run_one "$name" shim "$metric" "${shim_env[@]}" "$OUT/$name" "${argv[@]}"
        shim+=("$VAL") srss+=("$RSS")
        sexit+=("$(ms_between "$(field "$OUT/$name.shim.out" exiting_real_ns)" "$END_NS")")
        # peak RSS over what the running program had when it began to exit: the exit report's own memory
        shimrun+=("$(awk -v a="$(field "$OUT/$name.shim.out" rss_after_kb)" -v b="$RSS" \
            'BEGIN { if (a != "" && b != "") printf "%.1f\n", (b - a) / 1024 }')")
        # a program that prints a checksum must print the same one under the shim
        cp=$(grep '^checksum' "$OUT/$name.plain.out") cs=$(grep '^checksum' "$OUT/$name.shim.out")
        [ -z "$VAL" ] || [ "$cp" = "$cs" ] || { fail "$name (shim): output differs: plain '$cp', shim '$cs'"; status=1; }
    done
    p=$(median "${plain[@]}") s=$(median "${shim[@]}") fl=$(median "${floor[@]}")
    rt=$(ratio "$p" "$s") rf=$(ratio "$fl" "$s")
    rr=$(ratio "$(median "${prss[@]}")" "$(median "${srss[@]}")")
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
    [ -n "$fl" ] || fl=- rf=-
    line=$(row "$label" "${p:-FAIL}" "$fl" "${s:-FAIL}" "$rt" "$mark" "$tgt" "$rf" "$delta" "$rr")
    if [ "$PEERS" = 1 ]; then
        t=- h=- st=-
        if [ -n "$tsan_n" ] && [ $HAVE_TSAN = 1 ]; then
            if build_tsan "$name"; then
                tv=()
                for ((r = 0; r < 3; r++)); do
                    run_one "$name" tsan "$metric" "$OUT/$name.tsan" "$tsan_n"; tv+=("$VAL")
                done
                tm=$(median "${tv[@]}")
                t=$(ratio "$p" "$tm") st=$(ratio "$tm" "$s")
                awk -v a="$tm" -v b="$s" 'BEGIN { exit !(a > 0 && b / a > 0.2) }' && st="$st!"
            else
                t="no build"
            fi
        fi
        if [ -n "$hg_n" ] && [ $HAVE_HELGRIND = 1 ]; then
            run_one "$name" helgrind "$metric" valgrind --tool=helgrind -q "$OUT/$name" "$hg_n"
            h=$(ratio "$p" "$VAL")
        fi
        line+=$(printf ' %9s %9s %9s' "$t" "$h" "$st")
    fi
    echo "$line"
    if [ "$metric" = bytes_per_task ]; then
        for mode in plain shim; do
            NOTES+=("$name $mode: $(grep -v exiting_real_ns "$OUT/$name.$mode.out" | tr '\n' ' ')")
        done
        # the exit report must name every task, in one group
        noun=threads; [ "${name#c_}" = "$name" ] && noun=goroutines
        rep=$(ls -t "$OUT/$name.report".* 2>/dev/null | head -n 1)
        want="found unexpected $noun (${argv[0]} leaked in 1 groups)"
        if [ -n "$rep" ] && grep -qF "$want" "$rep"; then chk="ok"
        else chk="BAD"; fail "$name (shim): exit report lacks '$want' (${rep:-no report file})"; status=1
        fi
        pe=$(median "${pexit[@]}") se=$(median "${sexit[@]}")
        rep_ms=$(awk -v a="$pe" -v b="$se" 'BEGIN { if (a == "" || b == "") print "n/a"; else printf "%+.0f\n", b - a }')
        smark="" xmark=""
        awk -v d="$rep_ms" -v t="$REPORT_MS" 'BEGIN { exit !(d + 0 > t) }' && smark='!'
        xr=$(median "${shimrun[@]}")
        awk -v d="${xr:-0}" -v t="$EXIT_RSS_MB" 'BEGIN { exit !(d + 0 > t) }' && xmark='!'
        SCALE+=("$(printf '%-36s %8s %9s %9s %+9.0f %9s %9s %9s %-2s %8s %-2s %6s' "$label" "${argv[0]}" \
            "${p:-FAIL}" "${s:-FAIL}" "$(awk -v a="${p:-0}" -v b="${s:-0}" 'BEGIN { print b - a }')" \
            "${pe:-n/a}" "${se:-n/a}" "$rep_ms" "$smark" "$(awk -v d="$xr" 'BEGIN { if (d == "") print "n/a"; else printf "%+.1f\n", d }')" "$xmark" "$chk")")
    fi
done

# ---- scale: the memory rows' runs, seen as exit reports --------------------------------------------------
if [ ${#SCALE[@]} -gt 0 ]; then
    echo
    echo "scale: N tasks blocked at exit; B/task = RSS growth per task; exit ms = from the program's last line"
    echo "(exiting_real_ns) to the process being reaped; report ms = shim - plain exit time ('!' over the"
    echo "${REPORT_MS} ms target); exit MB+ = the shim run's peak RSS over its RSS when it began to exit ('!' over"
    echo "+${EXIT_RSS_MB} MB); report = the exit report names all N in one group"
    hdr=$(printf '%-36s %8s %9s %9s %9s %9s %9s %9s %-2s %8s %-2s %6s' scale tasks "B/t plain" "B/t shim" "B/t +" \
        "exit pl" "exit shim" "report ms" "" "exit MB+" "" report)
    echo "$hdr"
    printf '%s\n' "$hdr" | tr -c '\n' '-'
    printf '%s\n' "${SCALE[@]}"
fi

# ---- attach: how long leakcheck attach stops a running process ------------------------------------------
# name | label | build (gc static / gccgo) | goroutines. The program (bench/go_attach.go) runs without the shim;
# leakcheck-attach reads it ATTACH_ROUNDS times (verbosity=2 prints the pause it measured, from the first
# thread stopped to the last let go); the report must name every goroutine in one group.
ATTACHES=(
    "attach_gc|attach: gc Go (static), 10,000 goroutines|gc|10000"
    "attach_go|attach: gccgo Go, 10,000 goroutines|gccgo|10000"
)
ATTACH_ROUNDS=${BENCH_ATTACH_ROUNDS:-5}
ATTACH=$(dirname "$LIB")/leakcheck-attach
attach_wanted=0
for spec in "${ATTACHES[@]}"; do wanted "${spec%%|*}" && attach_wanted=1; done
if [ $attach_wanted = 1 ]; then
    echo
    echo "attach: the program runs without the shim; paused = how long leakcheck attach held it stopped (median of"
    echo "$ATTACH_ROUNDS attaches, min..max), total = the whole attach including the report; report = it names all goroutines"
    hdr=$(printf '%-44s %8s %10s %14s %9s %6s' attach tasks "paused ms" "min..max" "total ms" report)
    echo "$hdr"
    printf '%s\n' "$hdr" | tr -c '\n' '-'
fi
for spec in "${ATTACHES[@]}"; do
    IFS='|' read -r name label how n <<<"$spec"
    wanted "$name" || continue
    bin=$OUT/$name src=$ROOT/bench/go_attach.go
    if [ ! -x "$ATTACH" ]; then
        printf '%-44s %8s\n' "$label" "skipped ($ATTACH not built)"; continue
    fi
    if { [ "$how" = gc ] && [ $HAVE_GC = 0 ]; } || { [ "$how" = gccgo ] && [ $HAVE_GO = 0 ]; }; then
        printf '%-44s %8s\n' "$label" "skipped"; continue
    fi
    if ! [ "$bin" -nt "$src" ]; then
        if [ "$how" = gc ]; then
            (cd "$ROOT/bench" && CGO_ENABLED=0 GOCACHE="${GOCACHE:-$ROOT/build/gocache}" GOFLAGS= \
                "$GO" build -o "$bin" "$src") 2>"$OUT/$name.build.log"
        else
            "$GCCGO" -O2 -g -o "$bin" "$src" 2>"$OUT/$name.build.log"
        fi || { fail "$name: build failed: $(head -c 600 "$OUT/$name.build.log")"; status=1; continue; }
    fi
    rm -f "$OUT/$name.in"; mkfifo "$OUT/$name.in"
    "$bin" "$n" < "$OUT/$name.in" > "$OUT/$name.out" 2>&1 &
    pid=$!
    exec 3> "$OUT/$name.in"
    i=0
    until grep -q ready "$OUT/$name.out" 2>/dev/null || [ $i -ge 600 ]; do sleep 0.05; i=$((i + 1)); done
    paused=() totals=() chk=ok
    for ((r = 0; r < ATTACH_ROUNDS; r++)); do
        t0=$(date +%s%N)
        LEAKCHECK_OPTIONS=verbosity=2 timeout -k 5 "$TIMEOUT" "$ATTACH" "$pid" > /dev/null 2> "$OUT/$name.report"
        rc=$?
        t1=$(date +%s%N)
        p=$(sed -n 's/.*paused for \([0-9.]*\) ms.*/\1/p' "$OUT/$name.report")
        if [ $rc -ne 0 ] || [ -z "$p" ]; then
            fail "$name: attach failed (exit $rc): $(head -c 400 "$OUT/$name.report")"; status=1; chk=BAD; continue
        fi
        grep -q "^\[$n goroutines blocked" "$OUT/$name.report" || chk=BAD
        paused+=("$p") totals+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f\n", (b - a) / 1e6 }')")
    done
    exec 3>&-
    wait $pid || { fail "$name: the program did not end cleanly after the attaches"; status=1; chk=BAD; }
    [ "$chk" = ok ] || fail "$name: a report lacks '[$n goroutines blocked'"
    mm=$(printf '%s\n' "${paused[@]}" | sort -n | awk 'NR == 1 { lo = $1 } { hi = $1 } END { if (NR) print lo ".." hi }')
    printf '%-44s %8s %10s %14s %9s %6s\n' "$label" "$n" "$(median "${paused[@]}")" "$mm" "$(median "${totals[@]}")" "$chk"
done


# ---- real programs: Debian's threaded compressors on a generated file ------------------------------------
# name | label | command | input (MiB) | target
REALS=(
    "pigz|pigz -p2, 64 MiB (s wall)|pigz -p2 -c|64|1.03"
    "zstd|zstd -T2, 64 MiB (s wall)|zstd -T2 -q -c|64|1.03"
    "xz|xz -T2 -0, 16 MiB (s wall)|xz -T2 -0 -c|16|1.03"
)
real_wanted=0
for spec in "${REALS[@]}"; do wanted "${spec%%|*}" && real_wanted=1; done
if [ "$REAL" = 1 ] && [ $real_wanted = 1 ]; then
    echo
    echo "real programs: input from bench/gen_data.c (seeded, semi-compressible text); medians of $REAL_ROUNDS"
    echo "plain/floor/shim runs; same = the compressed output is byte-identical with and without the shim in every"
    echo "run; shim options log_path=build/bench/NAME.report:exitcode=0 (default grace_ms); leaked = what it"
    echo "reported; cpu x = user+sys CPU seconds shim / plain (steadier than wall time when the machine is shared);"
    echo "rss + = peak RSS shim - plain, MB ('!' over +${EXIT_RSS_MB} MB)"
    hdr=$(printf '%-36s %8s %8s %8s %7s %-2s %7s %7s %6s %9s %9s %6s %-2s %4s %6s' program plain floor shim ratio "" \
        target /floor "cpu x" "rss plain" "rss shim" "rss +" "" same leaked)
    echo "$hdr"
    printf '%s\n' "$hdr" | tr -c '\n' '-'
    if ! "$ROOT/scripts/setup" bench >"$OUT/setup.log" 2>&1; then
        NOTES+=("real programs: 'scripts/setup bench' failed: $(tail -n 3 "$OUT/setup.log" | tr '\n' ' ')")
    fi
    build_helper gen_data || fail "gen_data: build failed"
    for mb in 64 16; do
        f=$OUT/data$mb.txt
        [ -s "$f" ] && [ "$f" -nt "$ROOT/bench/gen_data.c" ] || "$OUT/gen_data" "$mb" 20261123 >"$f"
    done
    for spec in "${REALS[@]}"; do
        IFS='|' read -r name label cmd mb target <<<"$spec"
        wanted "$name" || continue
        read -r -a argv <<<"$cmd"
        if ! command -v "${argv[0]}" >/dev/null; then
            printf '%-36s %8s\n' "$label" "skipped (${argv[0]} not installed)"; continue
        fi
        plain=() floor=() shim=() prss=() srss=() pcpu=() scpu=() same=yes
        rm -f "$OUT/$name.report".*
        for ((r = 0; r < REAL_ROUNDS; r++)); do
            STDIN=$OUT/data$mb.txt run_one "$name" plain wall_s "${argv[@]}"
            plain+=("$VAL") prss+=("$RSS") pcpu+=("$CPU")
            STDIN=$OUT/data$mb.txt run_one "$name" floor wall_s "${FLOOR_ENV[@]}" "${argv[@]}"
            floor+=("$VAL")
            STDIN=$OUT/data$mb.txt run_one "$name" shim wall_s env LD_PRELOAD="$LIB" \
                LEAKCHECK_OPTIONS="log_path=$OUT/$name.report:exitcode=0" "${argv[@]}"
            shim+=("$VAL") srss+=("$RSS") scpu+=("$CPU")
            if ! cmp -s "$OUT/$name.plain.out" "$OUT/$name.shim.out"; then
                same=NO status=1
                fail "$name (shim): compressed output differs from the plain run's"
            fi
        done
        p=$(median "${plain[@]}") s=$(median "${shim[@]}") fl=$(median "${floor[@]}")
        pr=$(median "${prss[@]}") sr=$(median "${srss[@]}")
        mark="" rmark=""
        rplus=$(awk -v a="$pr" -v b="$sr" 'BEGIN { if (a == "" || b == "") print "n/a"; else printf "%+.1f\n", (b - a) / 1024 }')
        awk -v d="$rplus" -v t="$EXIT_RSS_MB" 'BEGIN { exit !(d + 0 > t) }' && rmark='!'
        [ -n "$p" ] && [ -n "$s" ] && awk -v a="$p" -v b="$s" -v t="$target" 'BEGIN { exit !(b / a > t) }' && mark='!'
        sp=$(spread "${plain[@]}") ss=$(spread "${shim[@]}")
        [ -n "$sp$ss" ] && NOTES+=("$name: noisy, runs spread over plain ${sp:-(steady)}, shim ${ss:-(steady)}")
        rep=$(ls -t "$OUT/$name.report".* 2>/dev/null | head -n 1) leaked=0
        if [ -n "$rep" ]; then
            leaked=$(awk '/^leakcheck: [0-9]+ leaked/ { print $2; exit }' "$rep")
            NOTES+=("$name under the shim: $(head -n 3 "$rep" | tr '\n' ' ' | tr -s ' ' | head -c 300)")
        fi
        printf '%-36s %8s %8s %8s %7s %-2s %7s %7s %6s %8sK %8sK %6s %-2s %4s %6s\n' "$label" "${p:-FAIL}" \
            "${fl:--}" "${s:-FAIL}" "$(ratio "$p" "$s")" "$mark" "<=${target}x" "$(ratio "$fl" "$s")" \
            "$(ratio "$(median "${pcpu[@]}")" "$(median "${scpu[@]}")")" "${pr:-?}" "${sr:-?}" "$rplus" "$rmark" \
            "$same" "${leaked:-?}"
    done
    NOTES+=("real programs: no TSan/helgrind column (that would need the Debian packages rebuilt with -fsanitize=thread)")
fi

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
