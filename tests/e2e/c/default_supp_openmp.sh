#!/bin/sh
# default_supp_openmp.c's scenarios: "NAME: exit N" then its stderr lines prefixed "NAME: ".
run() {
    name=$1; opts=$2; shift 2
    LEAKCHECK_OPTIONS="$LEAKCHECK_OPTIONS${opts:+:$opts}" LD_PRELOAD="$LIB" "$BIN" "$@" > "$OUT/$name.out" 2> "$OUT/$name.err"
    echo "$name: exit $?"
    sed "s|^|$name: |" "$OUT/$name.err"
}
run default ""
run off "default_suppressions=0"
run verbose "verbosity=2"
run clean "" clean
exit 0
