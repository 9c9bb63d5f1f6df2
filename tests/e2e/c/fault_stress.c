// Short stress run (the long one is `make stress`): churner threads create, block and end threads for 0.8 s
// while SIGUSR1 live dumps fire every 10 ms from the driver; then exactly 7 threads are left blocked. No crash,
// no hang, the program's own checks pass, every dump is complete, the last dump (after the churn) counts main +
// 7 tasks, and the verdict counts exactly the 7 (3 cond, 2 sem, 1 mutex, 1 barrier) and main exiting with the
// mutex the blocked one waits for.
// DRIVER: fault_stress.sh
// OPTIONS: grace_ms=100
// EXIT: 66
// EXPECT: ^exit status 66$
// EXPECT: ^stdout: churn: ok, [0-9]+ rounds
// EXPECT: ^stdout: settled 7$
// EXPECT: ^dumps sent: [1-9][0-9]+$
// EXPECT: ^live reports: ([2-9]|[1-9][0-9]+)$
// EXPECT: ^last live report: leakcheck: live report \(pid [0-9]+, 8 tasks\)$
// EXPECT-COUNT: 1 ^verdict: leakcheck: found unexpected threads \(7 leaked in 4 groups, 1 misuse\)$
// EXPECT: ^verdict: \[3 threads blocked for [0-9.]+s( \(newest [0-9.]+s\))? in pthread_cond_wait on cond 0x[0-9a-f]+\]$
// EXPECT: ^verdict: \[2 threads blocked for [0-9.]+s( \(newest [0-9.]+s\))? in sem_wait on sem 0x[0-9a-f]+\]$
// EXPECT: ^verdict: \[1 thread blocked for [0-9.]+s in pthread_mutex_lock on mutex 0x[0-9a-f]+
// EXPECT: ^verdict: \[1 thread blocked for [0-9.]+s in pthread_barrier_wait on barrier 0x[0-9a-f]+\]$
// EXPECT: ^verdict: \[thread exited holding a lock on mutex 0x[0-9a-f]+\]$
// EXPECT-COUNT: 1 ^verdict: leakcheck: 7 leaked, 1 misuse; exit status 66$
// EXPECT: ^stderr: empty$
// REJECT: ^hang
// REJECT: FAILED
#include "../../stress/churn.c"
