// leakcheck attach on a C program that runs under the preload and hangs: attach_deadlock.c's program (an ABBA
// between a restock and an audit, a thread waiting on a pipe nobody writes, one on a condition variable, the
// main thread joining the first). Read from outside, the report is the same as of the process without the
// preload: the program's five threads, each in the call the program made (pthread_mutex_lock, not the futex
// wait inside it), at the program's own frames; never the shim's thread (in ps -L as "leakcheck"), its wrappers
// or its thread trampoline. A last line says that the process's own live report knows more
// (attach_preloaded.sh).
// DRIVER: attach_preloaded.sh
// EXIT: 0
// EXPECT: ^attach: exit 0$
// EXPECT: ^leakcheck: attach: process PID \(.*/attach_preloaded\), 6 threads, threads: paused for [0-9.]+ ms$
// EXPECT: ^leakcheck: live report \(pid PID, 5 tasks\)$
// EXPECT: ^\[deadlock of 2 threads \(threads 2 -> 3 -> 2\)\]$
// EXPECT-COUNT: 2 ^\[1 thread blocked( for [0-9.]+s)? in pthread_mutex_lock on mutex 0x[0-9a-f]+\]$
// EXPECT-COUNT: 2 ^    restock +.*attach_deadlock\.c:44$
// EXPECT-COUNT: 2 ^    audit +.*attach_deadlock\.c:54$
// EXPECT-COUNT: 2 ^ +held by thread 3$
// EXPECT-COUNT: 2 ^ +held by thread 2$
// EXPECT: ^\[1 thread blocked( for [0-9.]+s)? in read on fd [0-9]+\]$
// EXPECT: ^    wait_for_order +.*attach_deadlock\.c:62$
// EXPECT: ^\[1 thread blocked( for [0-9.]+s)? in pthread_cond_wait on cond 0x[0-9a-f]+\]$
// EXPECT: ^    wait_for_config +.*attach_deadlock\.c:70$
// EXPECT: ^\[1 thread blocked( for [0-9.]+s)? in pthread_join on thread 2\]$
// EXPECT: ^    main +.*attach_deadlock\.c:87$
// EXPECT: ^leakcheck: attach: process PID runs under leakcheck: its own live report \(kill -USR1 PID, written where its reports go\)
// EXPECT: ^json: live, 5 tasks \(0 goroutines, 5 threads\), 1 deadlocks$
// EXPECT: ^after: running$
// REJECT: /interpose/|futex wait|shim_main|signals_wait|trampoline
#include "attach_deadlock.c"
