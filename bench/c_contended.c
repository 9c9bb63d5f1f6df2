/* Contended mutex: 4 threads increment one counter under one mutex, so many lock calls find it held and
 * take the blocking path. ns_per_op is wall time per lock/unlock pair over all threads. */
#include "bench.h"
#include <pthread.h>

#define THREADS 4
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t start;
static long per_thread, counter;

static void *worker(void *arg)
{
    (void)arg;
    pthread_barrier_wait(&start);
    for (long i = 0; i < per_thread; i++) {
        pthread_mutex_lock(&mu);
        counter++;
        pthread_mutex_unlock(&mu);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    per_thread = iterations(argc, argv, 2000000);
    pthread_t th[THREADS];
    CHECK(pthread_barrier_init(&start, NULL, THREADS + 1));
    for (int i = 0; i < THREADS; i++)
        CHECK(pthread_create(&th[i], NULL, worker, NULL));
    double t0 = now_ns();
    pthread_barrier_wait(&start);
    for (int i = 0; i < THREADS; i++)
        CHECK(pthread_join(th[i], NULL));
    double dt = now_ns() - t0;
    pthread_barrier_destroy(&start);
    if (counter != per_thread * THREADS) {
        fprintf(stderr, "lost updates: %ld\n", counter);
        return 1;
    }
    print_ns_per_op(dt, (double)counter);
    return 0;
}
