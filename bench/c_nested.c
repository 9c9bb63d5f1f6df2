/* Nested locking: 2 threads each take the same 4 mutexes in one consistent order (A, B, C, D), do a little
 * work, release them in reverse, then do some private work. This is what lock-order tracking sees in a
 * correct program. ns_per_op is wall time per nested section over both threads. */
#include "bench.h"
#include <pthread.h>

#define THREADS 2
#define LOCKS 4
static pthread_mutex_t mu[LOCKS] = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
                                    PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER};
static pthread_barrier_t start;
static long per_thread, shared_sum;

static void *worker(void *arg)
{
    unsigned long x = (unsigned long)arg + 1;
    pthread_barrier_wait(&start);
    for (long i = 0; i < per_thread; i++) {
        for (int k = 0; k < LOCKS; k++)
            pthread_mutex_lock(&mu[k]);
        shared_sum += (long)(x & 7);
        for (int k = LOCKS - 1; k >= 0; k--)
            pthread_mutex_unlock(&mu[k]);
        for (int k = 0; k < 32; k++)             /* private work outside the locks */
            x = x * 6364136223846793005UL + 1442695040888963407UL;
    }
    return (void *)x;
}

int main(int argc, char **argv)
{
    per_thread = iterations(argc, argv, 1500000);
    pthread_t th[THREADS];
    CHECK(pthread_barrier_init(&start, NULL, THREADS + 1));
    for (long i = 0; i < THREADS; i++)
        CHECK(pthread_create(&th[i], NULL, worker, (void *)i));
    double t0 = now_ns();
    pthread_barrier_wait(&start);
    for (int i = 0; i < THREADS; i++)
        CHECK(pthread_join(th[i], NULL));
    double dt = now_ns() - t0;
    pthread_barrier_destroy(&start);
    print_ns_per_op(dt, (double)(per_thread * THREADS));
    return 0;
}
