#!/bin/sh
# fault_logpath_full driver: no file may grow (ulimit -f 0, SIGXFSZ ignored so that a write fails with EFBIG);
# the program's output goes through a pipe, which the limit does not touch.
( ulimit -f 0; trap '' XFSZ
  LEAKCHECK_OPTIONS="$LEAKCHECK_OPTIONS:log_path=$OUT/lc" LD_PRELOAD="$LIB" "$BIN"; echo "exit $?" ) 2>&1 | cat
exit 0
