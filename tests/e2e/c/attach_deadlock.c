// leakcheck attach on a C program that runs without leakcheck and hangs: a restock and an audit take the
// inventory and ledger locks in opposite orders (ABBA), a third thread waits on a pipe nobody writes, a
// fourth on a condition variable, the main thread joins the first. The live report names the cycle with both
// threads, their lock sites and which thread holds what, every other thread's blocking call as the kernel
// shows it, and the program is left running (attach_deadlock.sh).
// DRIVER: attach_deadlock.sh
// EXIT: 0
// EXPECT: ^attach: exit 0$
// EXPECT: ^leakcheck: attach: process PID \(.*/attach_deadlock\), 5 threads, threads: paused for [0-9.]+ ms$
// EXPECT: ^leakcheck: live report \(pid PID, 5 tasks\)$
// EXPECT: ^\[deadlock of 2 threads \(threads 2 -> 3 -> 2\)\]$
// EXPECT: ^  thread 2 blocked in pthread_mutex_lock on mutex 0x[0-9a-f]+$
// EXPECT: ^  thread 3 blocked in pthread_mutex_lock on mutex 0x[0-9a-f]+$
// EXPECT-COUNT: 2 ^    restock +.*attach_deadlock\.c:44$
// EXPECT-COUNT: 2 ^    audit +.*attach_deadlock\.c:54$
// EXPECT-COUNT: 2 ^ +held by thread 3$
// EXPECT-COUNT: 2 ^ +held by thread 2$
// EXPECT-COUNT: 2 ^\[1 thread blocked( for [0-9.]+s)? in pthread_mutex_lock on mutex 0x[0-9a-f]+\]$
// EXPECT: ^\[1 thread blocked( for [0-9.]+s)? in read on fd [0-9]+\]$
// EXPECT: ^    wait_for_order +.*attach_deadlock\.c:62$
// EXPECT: ^\[1 thread blocked( for [0-9.]+s)? in pthread_cond_wait on cond 0x[0-9a-f]+\]$
// EXPECT: ^    wait_for_config +.*attach_deadlock\.c:70$
// EXPECT: ^\[1 thread blocked( for [0-9.]+s)? in pthread_join on thread 2\]$
// EXPECT: ^    main +.*attach_deadlock\.c:87$
// EXPECT: ^json: live, 5 tasks \(0 goroutines, 5 threads\), 1 deadlocks$
// EXPECT-COUNT: 2 ^json: thread blocked in pthread_mutex_lock at (restock|audit)$
// EXPECT: ^after: running$
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t inventory = PTHREAD_MUTEX_INITIALIZER, ledger = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t holding;
static int stock, entries, orders[2], have_config;
static pthread_mutex_t config_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t config_ready = PTHREAD_COND_INITIALIZER;

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

static void *wait_for_config(void *arg)
{
    pthread_mutex_lock(&config_lock);
    while (!have_config)
        pthread_cond_wait(&config_ready, &config_lock);
    pthread_mutex_unlock(&config_lock);
    return arg;
}

int main(void)
{
    pthread_t t[4];
    void *(*body[4])(void *) = { restock, audit, wait_for_order, wait_for_config };
    pthread_barrier_init(&holding, NULL, 2);
    if (pipe(orders) != 0)
        return 1;
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, body[i], NULL);
    printf("started\n");
    fflush(stdout);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    return 0;
}
