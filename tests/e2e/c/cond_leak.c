// A worker waits for a "config loaded" flag; the loader path that sets it and signals was never reached.
// OPTIONS: grace_ms=100
// EXIT: 66
// EXPECT: ^leakcheck: found unexpected threads \(1 leaked in 1 groups?\)$
// EXPECT: ^\[1 thread blocked for [0-9]+\.[0-9]{2}s in pthread_cond_wait on cond 0x[0-9a-f]+\]$
// EXPECT: ^    wait_for_config +.*cond_leak\.c:25( |$)
// EXPECT: ^    worker +.*cond_leak\.c:33( |$)
// EXPECT: ^  created by main +.*cond_leak\.c:50 +\(thread 1\)
// EXPECT: ^leakcheck: 1 leaked, 0 misuse; exit status 66$
// EXPECT-COUNT: 1 ^\[
// STDOUT: ^worker started$
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t loaded = PTHREAD_COND_INITIALIZER;
static int config_ready, waiters;

static void wait_for_config(void)
{
    pthread_mutex_lock(&mu);
    waiters++;
    while (!config_ready)
        pthread_cond_wait(&loaded, &mu);
    waiters--;
    pthread_mutex_unlock(&mu);
}

static void *worker(void *arg)
{
    (void)arg;
    wait_for_config();
    return NULL;
}

/* Once mu is free again with waiters > 0, the worker is inside pthread_cond_wait. */
static void until_waiting(void)
{
    for (int w = 0; !w; usleep(1000)) {
        pthread_mutex_lock(&mu);
        w = waiters;
        pthread_mutex_unlock(&mu);
    }
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    printf("worker started\n");
    until_waiting();
    return 0;
}
