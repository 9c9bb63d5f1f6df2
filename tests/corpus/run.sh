#!/usr/bin/env bash
# Real programs under the shim: each case runs once plain and once with build/libleakcheck.so preloaded (into
# every process of the case: shells, pipelines, git's helpers), and must give the same stdout, stderr and exit
# status; the shim's reports go to log files (log_path), which must be absent for a correct program, or hold
# exactly the findings the case names (real ones: the standard tests that misuse on purpose). Inputs are
# trimmed to keep the whole corpus to seconds, never the cases.
# Usage: tests/corpus/run.sh [NAME ...]        Output ends with "N passed, N failed".
set -u

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CORPUS=$ROOT/tests/corpus
LIB=${LEAKCHECK_LIB:-$ROOT/build/libleakcheck.so}
WORK=$ROOT/build/corpus
GOSRC=${GOSRC:-/usr/lib/go-1.19/src}
export GCCGO=${GCCGO:-gccgo-12}
export GOCACHE=${GOCACHE:-$ROOT/build/gocache} GOFLAGS= GOPROXY=off GOTOOLCHAIN=local GOTELEMETRY=off
export HOME=$WORK/home LC_ALL=C TZ=UTC
TIMEOUT=${LEAKCHECK_CORPUS_TIMEOUT:-60}
mkdir -p "$WORK/home" "$WORK/out"

passed=0; failed=0
pass() { passed=$((passed + 1)); echo "PASS corpus/$1"; }
fail() { failed=$((failed + 1)); echo "FAIL corpus/$1"; shift; printf '  - %s\n' "$@"; }

# ---- inputs and builds -------------------------------------------------------------------------------------
DATA=$WORK/data.txt
[ -s "$DATA" ] || seq 1 300000 | awk '{ print $1, ($1 * 7919) % 100003, "line" }' > "$DATA"

build_openmp() {
    [ "$WORK/openmp" -nt "$CORPUS/openmp.c" ] || gcc -g -O1 -fopenmp -o "$WORK/openmp" "$CORPUS/openmp.c"
}

# A standard package's test suite, built with gccgo from GOROOT's sources as module leakcheck.test/PKG: its
# external tests (package PKG_test, against libgo's PKG), or for context the whole package with its internal
# tests; internal/testenv and the hooks of PKG's export_test.go come from tests/corpus/go. Files that need more
# of the standard library's internals than those hooks are left out (listed per package).
build_gosuite() {
    local pkg=$1 drop=$2 dir=$WORK/go/$1 f
    [ -x "$WORK/$pkg.test" ] && [ "$WORK/$pkg.test" -nt "$0" ] && return 0
    rm -rf "$dir"; mkdir -p "$dir" "$WORK/go/testenv"
    printf 'module leakcheck.test\n\ngo 1.18\n' > "$WORK/go/go.mod"
    cp "$CORPUS/go/testenv.go" "$WORK/go/testenv/"
    if [ "$pkg" = context ]; then
        cp "$GOSRC/context/"*.go "$dir/"
        sed -i 's|"internal/reflectlite"|reflectlite "reflect"|; s|^\t\. "context"$|\t. "leakcheck.test/context"|' "$dir/"*.go
    else
        printf 'package %s\n' "$pkg" > "$dir/doc.go"
        for f in "$GOSRC/$pkg/"*_test.go; do
            case " $drop " in *" ${f##*/} "*) continue ;; esac
            grep -q "^package ${pkg}_test" "$f" && cp "$f" "$dir/"
        done
        cp "$CORPUS/go/${pkg}_"*_test.go "$dir/"
    fi
    sed -i 's|"internal/testenv"|"leakcheck.test/testenv"|' "$dir/"*.go
    (cd "$dir" && go test -c -vet=off -compiler gccgo -gccgoflags=-g -o "$WORK/$pkg.test" .) > "$WORK/$pkg.build" 2>&1
}

# ---- one case ----------------------------------------------------------------------------------------------
# run_case NAME EXPECTED CMD...: EXPECTED is "" (no report at all) or a file of EREs, one a line, each of which
# must match a line of the reports, and "COUNT N" lines: the reports hold exactly N findings and leaks in all.
run_case() {
    local name=$1 expected=$2; shift 2
    local out=$WORK/out/$name; rm -rf "$out"; mkdir -p "$out/plain" "$out/shim"
    local opts="log_path=$out/shim/lc"
    [ -n "$expected" ] && opts="$opts:exitcode=0"     # findings expected: the program's own status stays
    (cd "$out/plain" && timeout -k 5 "$TIMEOUT" "$@" > ../plain.out 2> ../plain.err < /dev/null); local ps=$?
    (cd "$out/shim" && LEAKCHECK_OPTIONS="$opts" timeout -k 5 "$TIMEOUT" env LD_PRELOAD="$LIB" "$@" \
        > ../shim.out 2> ../shim.err < /dev/null); local ss=$?
    local why=() re n
    [ "$ps" -eq "$ss" ] || why+=("exit status $ss under the shim, $ps plain")
    cmp -s "$out/plain.out" "$out/shim.out" || why+=("stdout differs: $(diff "$out/plain.out" "$out/shim.out" | head -5 | tr '\n' ' ')")
    cmp -s "$out/plain.err" "$out/shim.err" || why+=("stderr differs: $(diff "$out/plain.err" "$out/shim.err" | head -5 | tr '\n' ' ')")
    cat "$out/shim/"lc.* > "$out/reports" 2> /dev/null
    if [ -z "$expected" ]; then
        [ -s "$out/reports" ] && why+=("unexpected report: $(grep -m3 -E '^(leakcheck|\[)' "$out/reports" | tr '\n' ' ')")
    else
        while IFS= read -r re; do
            case $re in
                "COUNT "*) n=$(grep -cE '^\[' "$out/reports"); [ "$n" = "${re#COUNT }" ] || why+=("$n findings, want ${re#COUNT }") ;;
                ""|"#"*) ;;
                *) grep -qE -e "$re" "$out/reports" || why+=("not reported: $re") ;;
            esac
        done < "$expected"
    fi
    if [ ${#why[@]} -eq 0 ]; then pass "$name"; else fail "$name" "${why[@]}"; sed 's/^/    | /' "$out/reports" 2>/dev/null | head -30; fi
    return 0
}

selected() { [ ${#SEL[@]} -eq 0 ] && return 0; local p; for p in "${SEL[@]}"; do case $1 in $p) return 0 ;; esac; done; return 1; }
SEL=("$@")
# selected NAME and its programs are installed (scripts/setup installs them): else the case fails
case_on() {
    local name=$1 p; shift
    selected "$name" || return 1
    for p in "$@"; do
        command -v "$p" > /dev/null 2>&1 || { fail "$name" "$p is not installed (scripts/setup installs it)"; return 1; }
    done
}

if ! [ -f "$LIB" ]; then echo "corpus: $LIB not built (make lib)" >&2; exit 2; fi
start=$(date +%s)

case_on pigz pigz md5sum && run_case pigz "" sh -c "pigz -p 2 -c '$DATA' | pigz -d -p 2 | md5sum"
case_on xz xz && run_case xz "" sh -c "xz -T2 -2 -c '$DATA' | xz -d -T2 | md5sum"
case_on zstd zstd && run_case zstd "" sh -c "zstd -q -T2 -3 -c '$DATA' | zstd -q -d -T2 | md5sum"
case_on sort sort && run_case sort "" sh -c "sort --parallel=2 -S 4M -k2,2n -k1,1n '$DATA' | md5sum"
case_on bash bash awk && run_case bash "" bash -c "seq 1 50000 | grep 7 | sort -rn | head -100 | awk '{ s += \$1 } END { print s }'"
case_on git git && run_case git "" sh "$CORPUS/git.sh" "$DATA"
case_on python3 /usr/bin/python3 && run_case python3 "" /usr/bin/python3 "$CORPUS/threads.py"
case_on node node && run_case node "" node "$CORPUS/workers.js"
if case_on openmp gcc; then
    build_openmp && run_case openmp "" "$WORK/openmp" || fail openmp "build failed"
fi
# The Go suites: -test.short, as `go test -short` runs them.
if case_on go_sync go "$GCCGO"; then
    build_gosuite sync "pool_test.go runtime_sema_test.go" &&
        run_case go_sync "$CORPUS/go_sync.expect" "$WORK/sync.test" -test.short ||
        fail go_sync "build failed: $(tail -3 "$WORK/sync.build" | tr '\n' ' ')"
fi
if case_on go_context go "$GCCGO"; then
    build_gosuite context "" && run_case go_context "" "$WORK/context.test" -test.short ||
        fail go_context "build failed: $(tail -3 "$WORK/context.build" | tr '\n' ' ')"
fi
if case_on go_time go "$GCCGO"; then
    # the examples print times in the zone the standard tests force (US Pacific)
    build_gosuite time "format_test.go mono_test.go time_test.go tzdata_test.go zoneinfo_test.go zoneinfo_unix_test.go zoneinfo_windows_test.go" &&
        TZ=America/Los_Angeles run_case go_time "$CORPUS/go_time.expect" "$WORK/time.test" -test.short ||
        fail go_time "build failed: $(tail -3 "$WORK/time.build" | tr '\n' ' ')"
fi

echo "corpus: $(( $(date +%s) - start ))s"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
