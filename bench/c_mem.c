/* Memory per live thread: start N threads (default 1000) that block in pthread_cond_wait, measure VmRSS once
 * the first tenth of them waits and again once they all wait, then release and join them so the run ends clean.
 * Prints the RSS growth per thread between the two (what each more blocked thread costs; what the first ones
 * bring once, a runtime's or the shim's own start-up, is not per thread). Threads get 256 KiB stacks (a common
 * choice for many-thread servers; only touched pages count in RSS anyway).
 * `c_mem N leak` instead returns from main with all N threads still blocked (the scale rows: under the shim
 * they are the exit report), after printing the wall-clock time it starts exiting (exiting_real_ns). */
#include "bench.h"
#include <pthread.h>
#include <unistd.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t go = PTHREAD_COND_INITIALIZER, ready = PTHREAD_COND_INITIALIZER;
static long waiting, released;

static void *waiter(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&mu);
    waiting++;
    pthread_cond_signal(&ready);
    while (!released)
        pthread_cond_wait(&go, &mu);
    pthread_mutex_unlock(&mu);
    return NULL;
}

int main(int argc, char **argv)
{
    long n = iterations(argc, argv, 1000);
    pthread_t *th = calloc((size_t)n, sizeof *th);
    pthread_attr_t attr;
    if (!th)
        return 2;
    CHECK(pthread_attr_init(&attr));
    CHECK(pthread_attr_setstacksize(&attr, 256 * 1024));
    long first = n / 10, before = 0, after = 0;
    for (long i = 0; i < n; i++) {
        CHECK(pthread_create(&th[i], &attr, waiter, NULL));
        if (i + 1 == first || i + 1 == n) {
            pthread_mutex_lock(&mu);
            while (waiting < i + 1)
                pthread_cond_wait(&ready, &mu);
            pthread_mutex_unlock(&mu);
            usleep(50000);              /* the last ones are inside pthread_cond_wait by now */
            *(i + 1 == n ? &after : &before) = rss_kb();
        }
    }
    if (argc > 2 && strcmp(argv[2], "leak") == 0) {
        struct timespec rt;
        printf("rss_before_kb %ld\nrss_after_kb %ld\ntasks %ld\n", before, after, n);
        printf("bytes_per_task %.1f\n", (double)(after - before) * 1024.0 / (double)(n - first));
        clock_gettime(CLOCK_REALTIME, &rt);
        printf("exiting_real_ns %lld\n", (long long)rt.tv_sec * 1000000000LL + rt.tv_nsec);
        fflush(stdout);
        return 0;
    }
    pthread_mutex_lock(&mu);
    released = 1;
    pthread_cond_broadcast(&go);
    pthread_mutex_unlock(&mu);
    for (long i = 0; i < n; i++)
        CHECK(pthread_join(th[i], NULL));
    pthread_attr_destroy(&attr);
    free(th);
    printf("rss_before_kb %ld\nrss_after_kb %ld\ntasks %ld\n", before, after, n);
    printf("bytes_per_task %.1f\n", (double)(after - before) * 1024.0 / (double)(n - first));
    return 0;
}
