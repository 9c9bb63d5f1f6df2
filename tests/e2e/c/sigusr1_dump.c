// A service runs for a second with one worker waiting for shutdown and one polling; SIGUSR1 mid-run prints a
// live report of every thread, then the program shuts down cleanly (no verdict, status 0, stdout intact).
// DRIVER: sigusr1_dump.sh
// OPTIONS: grace_ms=100
// EXIT: 0
// EXPECT: ^leakcheck: live report \(pid [0-9]+, 3 tasks\)$
// EXPECT: ^\[1 thread blocked for [0-9]+\.[0-9]{2}s in pthread_cond_wait on cond 0x[0-9a-f]+\]$
// EXPECT: ^    shutdown_waiter +.*sigusr1_dump\.c:29( |$)
// EXPECT: ^    .*poller( |$)
// EXPECT-COUNT: 2 ^  created by main +.*sigusr1_dump\.c:[0-9]+ +\(thread 1\)
// EXPECT: ^stdout intact$
// REJECT: ^leakcheck: found
// REJECT: exit status
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t stop_cv = PTHREAD_COND_INITIALIZER;
static volatile int stopping;
static volatile long polls;

static void *shutdown_waiter(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&mu);
    while (!stopping)
        pthread_cond_wait(&stop_cv, &mu);
    pthread_mutex_unlock(&mu);
    return NULL;
}

static void *poller(void *arg)
{
    (void)arg;
    while (!stopping) {
        polls++;
        usleep(5 * 1000);
    }
    return NULL;
}

/* Sleeps until one second after start, whatever signals arrive meanwhile. */
static void run_for_a_second(void)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += 1;
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL) != 0)
        ;
}

int main(void)
{
    pthread_t w, p;
    pthread_create(&w, NULL, shutdown_waiter, NULL);
    pthread_create(&p, NULL, poller, NULL);
    printf("workers started\n");
    fflush(stdout);
    run_for_a_second();
    pthread_mutex_lock(&mu);
    stopping = 1;
    pthread_cond_broadcast(&stop_cv);
    pthread_mutex_unlock(&mu);
    pthread_join(w, NULL);
    pthread_join(p, NULL);
    printf("done\n");
    return 0;
}
