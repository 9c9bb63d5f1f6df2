// Periodic mode: interval=150ms writes live reports while the program runs; max_tasks=4 prints one alert when
// the task count crosses 4, with the creation sites holding the most tasks first (the alert may come while
// spawn_sleepers is still creating its six: it names at least the 3 that put the count over 4).
// OPTIONS: interval=150ms:max_tasks=4:grace_ms=50
// EXIT: 66
// STDOUT-VARIES
// EXPECT: ^leakcheck: periodic report \(pid [0-9]+, [0-9]+ tasks\)$
// EXPECT-COUNT: 1 ^leakcheck: task count alert: [0-9]+ live tasks, max_tasks=4 \(pid [0-9]+\)$
// EXPECT-COUNT: 1 ^top creation sites \(tasks created there\):$
// EXPECT: ^ +[3-6]  spawn_sleepers +.*periodic_alert\.c:[0-9]+$
// EXPECT: ^ +1  main +.*periodic_alert\.c:[0-9]+$
// EXPECT: ^leakcheck: found unexpected threads \(7 leaked in 2 groups\)$
// EXPECT: ^leakcheck: 7 leaked, 0 misuse; exit status 66$
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static int woken;

static void *sleeper(void *arg)
{
    pthread_mutex_lock(&mu);
    while (!woken)
        pthread_cond_wait(&wake, &mu);
    pthread_mutex_unlock(&mu);
    return arg;
}

static void spawn_sleepers(int n)
{
    pthread_t t;
    for (int i = 0; i < n; i++)
        pthread_create(&t, NULL, sleeper, NULL);
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, sleeper, NULL);
    spawn_sleepers(6);
    usleep(500 * 1000);                 /* a few periodic reports, one alert */
    printf("exiting\n");
    return 0;
}
