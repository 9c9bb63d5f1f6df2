// leakcheck attach on a C program that runs under the preload and hangs: a restock and an audit take two locks
// in opposite orders (ABBA), a third thread waits on a pipe nobody writes, the main thread joins the first.
// Read from outside, the report is the same as of a process without the preload: the program's four threads,
// each in the call the program made (pthread_mutex_lock, not the futex wait inside it), at the program's own
// frames; never the shim's thread (in ps -L as "leakcheck"), its wrappers or its thread trampoline. A last line
// says that the process's own live report knows more (attach_preloaded.sh).
// DRIVER: attach_preloaded.sh
// EXIT: 0
// EXPECT: ^attach: exit 0$
// EXPECT: ^leakcheck: attach: process PID \(.*/attach_preloaded\), 5 threads, threads: paused for [0-9.]+ ms$
// EXPECT: ^leakcheck: live report \(pid PID, 4 tasks\)$
// EXPECT: ^\[deadlock of 2 threads \(threads 2 -> 3 -> 2\)\]$
// EXPECT-COUNT: 2 ^\[1 thread blocked( for [0-9.]+s)? in pthread_mutex_lock on mutex 0x[0-9a-f]+\]$
// EXPECT-COUNT: 2 ^    restock +.*attach_preloaded\.c:38$
// EXPECT-COUNT: 2 ^    audit +.*attach_preloaded\.c:48$
// EXPECT: ^\[1 thread blocked( for [0-9.]+s)? in read on fd [0-9]+\]$
// EXPECT: ^    wait_for_order +.*attach_preloaded\.c:56$
// EXPECT: ^\[1 thread blocked( for [0-9.]+s)? in pthread_join on thread 2\]$
// EXPECT: ^    main +.*attach_preloaded\.c:72$
// EXPECT: ^leakcheck: attach: process PID runs under leakcheck: its own live report \(kill -USR1 PID, written where its reports go\)
// EXPECT: ^json: live, 4 tasks \(0 goroutines, 4 threads\), 1 deadlocks$
// EXPECT: ^after: running$
// REJECT: /interpose/|futex wait|shim_main|signals_wait|trampoline
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t inventory = PTHREAD_MUTEX_INITIALIZER, ledger = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t holding;
static int stock, entries, orders[2];

/* inventory, then ledger */
static void *restock(void *arg)
{
    pthread_mutex_lock(&inventory);
    stock += 10;
    pthread_barrier_wait(&holding);     /* both hold their first lock: the bad interleaving is certain */
    pthread_mutex_lock(&ledger);
    entries++;
    return arg;
}

/* ledger, then inventory */
static void *audit(void *arg)
{
    pthread_mutex_lock(&ledger);
    pthread_barrier_wait(&holding);
    pthread_mutex_lock(&inventory);
    printf("%d in stock\n", stock);
    return arg;
}

static void *wait_for_order(void *arg)
{
    char c;
    ssize_t n = read(orders[0], &c, 1);
    return n == 1 ? arg : NULL;
}

int main(void)
{
    pthread_t t[3];
    void *(*body[3])(void *) = { restock, audit, wait_for_order };
    pthread_barrier_init(&holding, NULL, 2);
    if (pipe(orders) != 0)
        return 1;
    for (int i = 0; i < 3; i++)
        pthread_create(&t[i], NULL, body[i], NULL);
    printf("started\n");
    fflush(stdout);
    for (int i = 0; i < 3; i++)
        pthread_join(t[i], NULL);
    return 0;
}
