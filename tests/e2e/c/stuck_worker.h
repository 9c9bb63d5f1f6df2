/* For the e2e cases: a worker that waits for work nobody sends (blocked in pthread_cond_wait for good), the
 * leaked thread many cases need. Not a case itself (the runner builds *.c). */
#ifndef STUCK_WORKER_H
#define STUCK_WORKER_H
#include <pthread.h>

static pthread_mutex_t work_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t work_cv = PTHREAD_COND_INITIALIZER;

static void *wait_for_work(void *arg)
{
    pthread_mutex_lock(&work_mu);
    pthread_cond_wait(&work_cv, &work_mu);
    return arg;
}

/* One more such worker; its handle. */
static pthread_t start_stuck_worker(void)
{
    pthread_t t;
    pthread_create(&t, NULL, wait_for_work, NULL);
    return t;
}
#endif
