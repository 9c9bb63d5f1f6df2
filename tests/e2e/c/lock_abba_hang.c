// Two transfers between the same pair of accounts lock them in opposite orders and really deadlock. With
// deadlock_check_ms the program does not hang: it is ended within two check periods with the cycle, each
// thread's blocking site and where the other took the lock it waits for.
// OPTIONS: deadlock_check_ms=200:grace_ms=50
// EXIT: 66
// EXPECT: ^leakcheck: found unexpected threads \(2 leaked in 2 groups, 1 misuse, 1 deadlocks\)$
// EXPECT-COUNT: 2 ^\[1 thread blocked for [01]\.[0-9]{2}s in pthread_mutex_lock on mutex 0x[0-9a-f]+\]$
// EXPECT: ^\[deadlock of 2 threads \(threads 2 -> 3 -> 2\)\]$
// EXPECT: ^  thread 2 blocked in pthread_mutex_lock on mutex 0x[0-9a-f]+$
// EXPECT: ^    transfer +.*lock_abba_hang\.c:34( |$)
// EXPECT: ^    held by thread 3, locked at transfer +.*lock_abba_hang\.c:32$
// EXPECT: ^  thread 3 blocked in pthread_mutex_lock on mutex 0x[0-9a-f]+$
// EXPECT: ^    held by thread 2, locked at transfer +.*lock_abba_hang\.c:32$
// EXPECT: ^\[lock-order inversion of mutex 0x[0-9a-f]+ \(and 0x[0-9a-f]+\)\]$
// EXPECT: ^leakcheck: 2 leaked, 1 misuse, 1 deadlocks; exit status 66$
// STDOUT: ^transfers started$
// Without the shim this program hangs: there is no plain run to compare stdout with.
// STDOUT-VARIES
#include <pthread.h>
#include <stdio.h>

struct account {
    pthread_mutex_t lock;
    long balance;
};

static struct account alice = { PTHREAD_MUTEX_INITIALIZER, 100 }, bob = { PTHREAD_MUTEX_INITIALIZER, 100 };
static pthread_barrier_t both_in;

static void transfer(struct account *from, struct account *to, long amount)
{
    pthread_mutex_lock(&from->lock);
    pthread_barrier_wait(&both_in); /* make the bad interleaving certain */
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

int main(void)
{
    pthread_t a, b;
    pthread_barrier_init(&both_in, NULL, 2);
    pthread_create(&a, NULL, pay_bob, NULL);
    pthread_create(&b, NULL, pay_alice, NULL);
    printf("transfers started\n");
    fflush(stdout);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    printf("balances %ld %ld\n", alice.balance, bob.balance);
    return 0;
}
