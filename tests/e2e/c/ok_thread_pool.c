// Correct: a fixed pool of workers drains a mutex+cond work queue, is told to stop, and is joined.
// EXIT: 0
// REJECT: ^leakcheck
// STDOUT: ^processed 200 jobs, sum 20100$
#include <pthread.h>
#include <stdio.h>

#define WORKERS 4
#define JOBS 200

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t has_work = PTHREAD_COND_INITIALIZER;
static pthread_cond_t all_done = PTHREAD_COND_INITIALIZER;
static int queue[JOBS], head, tail, done, shutting_down;
static long sum;

static void *worker(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&mu);
    for (;;) {
        while (head == tail && !shutting_down)
            pthread_cond_wait(&has_work, &mu);
        if (head == tail)
            break;
        int job = queue[head++];
        pthread_mutex_unlock(&mu);
        long v = job + 1; /* the "work" */
        pthread_mutex_lock(&mu);
        sum += v;
        if (++done == JOBS)
            pthread_cond_signal(&all_done);
    }
    pthread_mutex_unlock(&mu);
    return NULL;
}

int main(void)
{
    pthread_t pool[WORKERS];
    for (int i = 0; i < WORKERS; i++)
        pthread_create(&pool[i], NULL, worker, NULL);
    for (int i = 0; i < JOBS; i++) {
        pthread_mutex_lock(&mu);
        queue[tail++] = i;
        pthread_cond_signal(&has_work);
        pthread_mutex_unlock(&mu);
    }
    pthread_mutex_lock(&mu);
    while (done < JOBS)
        pthread_cond_wait(&all_done, &mu);
    shutting_down = 1;
    pthread_cond_broadcast(&has_work);
    pthread_mutex_unlock(&mu);
    for (int i = 0; i < WORKERS; i++)
        pthread_join(pool[i], NULL);
    printf("processed %d jobs, sum %ld\n", done, sum);
    return 0;
}
