/* A small log-shipping service with two concurrency bugs, for `make demo`:
 *  - the flush worker waits for a "flush requested" condition that no code path ever signals;
 *  - the stats reporter thread is started and then forgotten: never joined nor detached.
 * The shipping workers themselves are correct: they drain the queue and are joined. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define WORKERS 3
#define LINES 12

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t have_line = PTHREAD_COND_INITIALIZER;
static pthread_cond_t flush_requested = PTHREAD_COND_INITIALIZER;
static const char *queue[LINES];
static int head, tail, closed, shipped, flush_pending;

static void *ship_worker(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&mu);
    for (;;) {
        while (head == tail && !closed)
            pthread_cond_wait(&have_line, &mu);
        if (head == tail)
            break;
        const char *line = queue[head++];
        pthread_mutex_unlock(&mu);
        size_t n = strlen(line); /* "send" it */
        pthread_mutex_lock(&mu);
        shipped += n > 0;
    }
    pthread_mutex_unlock(&mu);
    return NULL;
}

/* Bug 1: nothing ever sets flush_pending nor signals flush_requested. */
static void *flush_worker(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&mu);
    while (!flush_pending)
        pthread_cond_wait(&flush_requested, &mu);
    flush_pending = 0;
    pthread_mutex_unlock(&mu);
    return NULL;
}

static void *stats_reporter(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&mu);
    int n = shipped;
    pthread_mutex_unlock(&mu);
    return (void *)(long)n;
}

static void start_pool(pthread_t *workers, pthread_t *flusher)
{
    for (int i = 0; i < WORKERS; i++)
        pthread_create(&workers[i], NULL, ship_worker, NULL);
    pthread_create(flusher, NULL, flush_worker, NULL);
}

int main(void)
{
    pthread_t workers[WORKERS], flusher, stats;
    start_pool(workers, &flusher);
    pthread_create(&stats, NULL, stats_reporter, NULL); /* Bug 2: never joined */

    for (int i = 0; i < LINES; i++) {
        pthread_mutex_lock(&mu);
        queue[tail++] = "GET /index.html 200";
        pthread_cond_signal(&have_line);
        pthread_mutex_unlock(&mu);
    }
    pthread_mutex_lock(&mu);
    closed = 1;
    pthread_cond_broadcast(&have_line);
    pthread_mutex_unlock(&mu);
    for (int i = 0; i < WORKERS; i++)
        pthread_join(workers[i], NULL);
    usleep(50 * 1000);
    printf("shipped %d lines\n", shipped);
    return 0;
}
