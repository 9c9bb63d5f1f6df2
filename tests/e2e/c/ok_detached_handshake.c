// Correct: detached workers report back through a barrier that main also waits on; after it they only return,
// which the grace period covers. Nothing to report.
// EXIT: 0
// REJECT: ^leakcheck
// STDOUT: ^3 workers checked in, results 1 4 9$
#include <pthread.h>
#include <stdio.h>

#define N 3
static pthread_barrier_t checkin;
static int results[N];

static void *worker(void *arg)
{
    int i = (int)(long)arg;
    results[i] = (i + 1) * (i + 1);
    pthread_barrier_wait(&checkin);
    return NULL;
}

int main(void)
{
    pthread_attr_t a;
    pthread_attr_init(&a);
    pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
    pthread_barrier_init(&checkin, NULL, N + 1);
    for (long i = 0; i < N; i++) {
        pthread_t t;
        pthread_create(&t, &a, worker, (void *)i);
    }
    pthread_attr_destroy(&a);
    pthread_barrier_wait(&checkin);
    printf("%d workers checked in, results %d %d %d\n", N, results[0], results[1], results[2]);
    return 0;
}
