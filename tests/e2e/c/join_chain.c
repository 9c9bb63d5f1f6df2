// A supervisor thread joins its helper, but the helper waits on a condition nobody signals: both hang.
// OPTIONS: grace_ms=100
// EXIT: 66
// EXPECT: ^leakcheck: found unexpected threads \(2 leaked in 2 groups\)$
// EXPECT: ^\[1 thread blocked for [0-9]+\.[0-9]{2}s in pthread_join on thread [0-9a-fx]+\]$
// EXPECT: ^    supervisor +.*join_chain\.c:37( |$)
// EXPECT: ^\[1 thread blocked for [0-9]+\.[0-9]{2}s in pthread_cond_wait on cond 0x[0-9a-f]+\]$
// EXPECT: ^    helper +.*join_chain\.c:26( |$)
// EXPECT: ^  created by supervisor +.*join_chain\.c:35 +\(thread [0-9]+\)
// EXPECT-COUNT: 2 ^  created by main +.*join_chain\.c:44 +\(thread 1\)
// EXPECT: ^leakcheck: 2 leaked, 0 misuse; exit status 66$
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t go = PTHREAD_COND_INITIALIZER;
static int started, helper_waiting, joining;

static void *helper(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&mu);
    helper_waiting = 1;
    while (!started)
        pthread_cond_wait(&go, &mu);
    pthread_mutex_unlock(&mu);
    return NULL;
}

static void *supervisor(void *arg)
{
    pthread_t h;
    (void)arg;
    pthread_create(&h, NULL, helper, NULL);
    __atomic_store_n(&joining, 1, __ATOMIC_RELEASE);
    pthread_join(h, NULL);
    return NULL;
}

int main(void)
{
    pthread_t s;
    pthread_create(&s, NULL, supervisor, NULL);
    /* Both threads on their way to block: the helper inside its wait (mu free again), the supervisor at its join. */
    for (int w = 0; !w; usleep(1000)) {
        pthread_mutex_lock(&mu);
        w = helper_waiting && __atomic_load_n(&joining, __ATOMIC_ACQUIRE);
        pthread_mutex_unlock(&mu);
    }
    usleep(20 * 1000);
    printf("main done\n");
    return 0;
}
