#!/usr/bin/env bash
# Builds the libFuzzer targets (each compiled straight from the parser's sources with clang
# -fsanitize=fuzzer,address,undefined, not from the .so) and runs each for FUZZ_SECONDS (default 20).
# New inputs go to build/fuzz/corpus/<target> (the seeds in tests/fuzz/corpus/<target> are never modified);
# crashes are saved as build/fuzz/<target>/crash-*. Exit status: 0 clean, 1 a target found something,
# 2 the toolchain is missing.
# Usage: tests/fuzz/run.sh [target ...]        targets: the fuzz_*.c files here, without prefix and suffix.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
FUZZ=$ROOT/tests/fuzz
WORK=$ROOT/build/fuzz
SECONDS_EACH=${FUZZ_SECONDS:-20}
CLANG=${CLANG:-}
if [ -z "$CLANG" ]; then
    for c in clang clang-14 clang-15 clang-16; do command -v "$c" > /dev/null 2>&1 && { CLANG=$c; break; }; done
fi
if [ -z "$CLANG" ]; then
    echo "fuzz: clang not found (Debian: apt-get install clang-14 libclang-rt-14-dev)" >&2
    exit 2
fi
FLAGS="-g -O1 -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -fno-omit-frame-pointer
       -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined"

# Each target: its source here, and the library sources it is compiled with (beyond what it #includes).
declare -A EXTRA=(
    [options]=""
    [suppress]="$ROOT/report/suppress.c $ROOT/report/rules.c $ROOT/report/bufw.c"
)

targets=()
if [ $# -gt 0 ]; then targets=("$@")
else
    for f in "$FUZZ"/fuzz_*.c; do t=${f##*/fuzz_}; targets+=("${t%.c}"); done
fi

# A dictionary of the option names helps the parser target reach past "unknown option" quickly.
mkdir -p "$WORK"
sed -n 's/^OPTION([A-Z]*, *\([a-z_]*\),.*/"\1="/p' "$ROOT/runtime/options.inc" > "$WORK/options.dict"
printf '"%s"\n' ":" "=" "ms" "s" "m" "true" "false" "yes" "no" "," "*" "#" "\\x00" >> "$WORK/options.dict"
# ... and of the rule kinds for the suppressions parser.
{ sed -n 's/^FINDING([A-Z_]*, *\([a-z_]*\),.*/"\1:"/p' "$ROOT/runtime/findings.inc"
  sed -n '/kind_ids\[K__COUNT\]/,/};/p' "$ROOT/report/suppress.c" | grep -o '"[a-z_]*"' | sed 's/"$/:"/'
} > "$WORK/suppress.dict"
printf '"%s"\n' "*" "?" "[" "]" "#" "\\x0a" "main" "worker" ".c" >> "$WORK/suppress.dict"

failed=0
for t in "${targets[@]}"; do
    src=$FUZZ/fuzz_$t.c
    if ! [ -f "$src" ]; then echo "fuzz: no target '$t' ($src)"; failed=1; continue; fi
    bin=$WORK/$t/fuzz_$t
    mkdir -p "$WORK/$t" "$WORK/corpus/$t"
    # shellcheck disable=SC2086
    if ! "$CLANG" $FLAGS -o "$bin" "$src" ${EXTRA[$t]:-} > "$WORK/$t/build.log" 2>&1; then
        echo "fuzz $t: BUILD FAILED"; sed 's/^/    /' "$WORK/$t/build.log" | head -30; failed=1; continue
    fi
    dict=()
    [ -f "$WORK/$t.dict" ] && dict=(-dict="$WORK/$t.dict")
    seeds=()
    [ -d "$FUZZ/corpus/$t" ] && seeds=("$FUZZ/corpus/$t")
    echo "fuzz $t: ${SECONDS_EACH}s"
    # -rss_limit_mb: the targets allocate little; anything big is a finding.
    if (cd "$WORK/$t" && "$bin" -max_total_time="$SECONDS_EACH" -timeout=5 -rss_limit_mb=1024 -max_len=16384 \
            -print_final_stats=1 "${dict[@]}" "$WORK/corpus/$t" "${seeds[@]}" > "$WORK/$t/fuzz.log" 2>&1); then
        echo "fuzz $t: clean ($(sed -n 's/^stat::number_of_executed_units: *//p' "$WORK/$t/fuzz.log") runs," \
             "corpus $(ls "$WORK/corpus/$t" | wc -l) inputs)"
    else
        echo "fuzz $t: FOUND A PROBLEM (log: $WORK/$t/fuzz.log)"
        grep -E 'ERROR|SUMMARY|check failed|runtime error|Test unit written' "$WORK/$t/fuzz.log" | head -10 \
            | sed 's/^/    /'
        failed=1
    fi
done
[ $failed -eq 0 ] && echo "fuzz: all targets clean" || echo "fuzz: FAILED"
exit $failed
