// Three mutex mistakes that glibc does not complain about for normal mutexes: a double unlock, an unlock by a
// thread that does not own the mutex, and a destroy while locked (EBUSY, ignored). Each is reported with its
// site and, where known, where the mutex was locked.
// EXIT: 66
// EXPECT: ^leakcheck: found misuse \(0 leaked in 0 groups, 3 misuse\)$
// EXPECT: ^\[unlock of unlocked mutex 0x[0-9a-f]+\]$
// EXPECT: ^  at: finish_twice +.*lock_misuse\.c:25 +\(thread 1\)$
// EXPECT: ^\[unlock by a thread that does not own the mutex 0x[0-9a-f]+ \(owner tid [0-9]+\)\]$
// EXPECT: ^  at: +release_for_owner +.*lock_misuse\.c:38 +\(thread 1\)$
// EXPECT: ^  locked at: grab +.*lock_misuse\.c:30 +\(thread 2\)$
// EXPECT: ^\[destroy of locked mutex 0x[0-9a-f]+\]$
// EXPECT: ^  at: +teardown +.*lock_misuse\.c:43 +\(thread 1\)$
// EXPECT: ^  locked at: main +.*lock_misuse\.c:60 +\(thread 1\)$
// EXPECT: ^leakcheck: 0 leaked, 3 misuse; exit status 66$
// STDOUT: ^destroy: 16$
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER, c = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t handed_over, released;

static void finish_twice(void)
{
    pthread_mutex_unlock(&a);
    pthread_mutex_unlock(&a); /* bug: already unlocked */
}

static void *grab(void *arg)
{
    pthread_mutex_lock(&b);
    pthread_barrier_wait(&handed_over);
    pthread_barrier_wait(&released);
    return arg;
}

static void release_for_owner(void)
{
    pthread_mutex_unlock(&b); /* bug: b is owned by the grab thread */
}

static int teardown(void)
{
    return pthread_mutex_destroy(&c); /* bug: c is still locked */
}

int main(void)
{
    pthread_t t;
    pthread_barrier_init(&handed_over, NULL, 2);
    pthread_barrier_init(&released, NULL, 2);
    pthread_mutex_lock(&a);
    finish_twice();

    pthread_create(&t, NULL, grab, NULL);
    pthread_barrier_wait(&handed_over);
    release_for_owner();
    pthread_barrier_wait(&released);
    pthread_join(t, NULL);

    pthread_mutex_lock(&c);
    printf("destroy: %d\n", teardown());
    pthread_mutex_unlock(&c);
    return 0;
}
