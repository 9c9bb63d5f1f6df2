// leakcheck attach on a C program that runs without leakcheck and hangs: two threads lock two accounts in
// opposite orders (ABBA), a third waits on a pipe nobody writes, a fourth on a condition variable. The live
// report names the cycle with both threads, their lock sites and which thread holds what, every other
// thread's blocking call as the kernel shows it, and the program is left running (attach_deadlock.sh).
// DRIVER: attach_deadlock.sh
// EXIT: 0
// EXPECT: ^attach: exit 0$
// EXPECT: ^leakcheck: attach: process PID \(.*/attach_deadlock\), 5 threads, threads: paused for [0-9.]+ ms$
// EXPECT: ^leakcheck: live report \(pid PID, 5 tasks\)$
// EXPECT: ^\[deadlock of 2 threads \(threads 2 -> 3 -> 2\)\]$
// EXPECT: ^  thread 2 blocked in pthread_mutex_lock on mutex 0x[0-9a-f]+$
// EXPECT: ^  thread 3 blocked in pthread_mutex_lock on mutex 0x[0-9a-f]+$
// EXPECT-COUNT: 4 ^    transfer +.*attach_deadlock\.c:39$
// EXPECT: ^    pay_bob +.*attach_deadlock\.c:48$
// EXPECT: ^    pay_alice +.*attach_deadlock\.c:54$
// EXPECT-COUNT: 2 ^ +held by thread 3$
// EXPECT-COUNT: 2 ^ +held by thread 2$
// EXPECT-COUNT: 2 ^\[1 thread blocked( for [0-9.]+s)? in pthread_mutex_lock on mutex 0x[0-9a-f]+\]$
// EXPECT: ^\[1 thread blocked( for [0-9.]+s)? in read on fd [0-9]+\]$
// EXPECT: ^    wait_for_order +.*attach_deadlock\.c:62$
// EXPECT: ^\[1 thread blocked( for [0-9.]+s)? in pthread_cond_wait on cond 0x[0-9a-f]+\]$
// EXPECT: ^    wait_for_config +.*attach_deadlock\.c:72$
// EXPECT: ^\[1 thread blocked( for [0-9.]+s)? in pthread_join on thread 2\]$
// EXPECT: ^    main +.*attach_deadlock\.c:89$
// EXPECT: ^json: live, 5 threads, 1 deadlocks$
// EXPECT: ^after: running$
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

struct account { pthread_mutex_t lock; long balance; };
static struct account alice = { PTHREAD_MUTEX_INITIALIZER, 100 }, bob = { PTHREAD_MUTEX_INITIALIZER, 100 };
static pthread_barrier_t both_in;

static void transfer(struct account *from, struct account *to, long amount)
{
    pthread_mutex_lock(&from->lock);
    pthread_barrier_wait(&both_in);
    pthread_mutex_lock(&to->lock);
    from->balance -= amount;
    to->balance += amount;
    pthread_mutex_unlock(&to->lock);
    pthread_mutex_unlock(&from->lock);
}

static void *pay_bob(void *arg)
{
    transfer(&alice, &bob, 10);
    return arg;
}

static void *pay_alice(void *arg)
{
    transfer(&bob, &alice, 20);
    return arg;
}

static int orders[2];
static void *wait_for_order(void *arg)
{
    char c;
    return read(orders[0], &c, 1) == 1 ? arg : NULL;
}

static pthread_mutex_t config_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t config_ready = PTHREAD_COND_INITIALIZER;
static int have_config;
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
    pthread_t a, b, r, c;
    pthread_barrier_init(&both_in, NULL, 2);
    if (pipe(orders) != 0)
        return 1;
    pthread_create(&a, NULL, pay_bob, NULL);
    pthread_create(&b, NULL, pay_alice, NULL);
    pthread_create(&r, NULL, wait_for_order, NULL);
    pthread_create(&c, NULL, wait_for_config, NULL);
    printf("started\n");
    fflush(stdout);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    return 0;
}
