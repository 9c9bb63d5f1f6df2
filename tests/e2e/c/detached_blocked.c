// A detached job runner waits on a semaphore for jobs; nobody ever posts one. Detached does not mean done.
// OPTIONS: grace_ms=100
// EXIT: 66
// EXPECT: ^leakcheck: found unexpected threads \(1 leaked in 1 groups?\)$
// EXPECT: ^\[1 thread blocked for [0-9]+\.[0-9]{2}s in sem_wait on sem 0x[0-9a-f]+\]$
// EXPECT: ^    next_job +.*detached_blocked\.c:22( |$)
// EXPECT: ^    job_runner +.*detached_blocked\.c:31( |$)
// EXPECT: ^  created by start_runner +.*detached_blocked\.c:42 +\(thread 1\)
// EXPECT: ^leakcheck: 1 leaked, 0 misuse; exit status 66$
// REJECT: never joined
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <unistd.h>

static sem_t jobs;
static int idle;

static int next_job(void)
{
    __atomic_store_n(&idle, 1, __ATOMIC_RELEASE);
    while (sem_wait(&jobs) != 0)
        ;
    return 1;
}

static void *job_runner(void *arg)
{
    (void)arg;
    for (;;)
        if (next_job())
            puts("job");
    return NULL;
}

static void start_runner(void)
{
    pthread_t t;
    pthread_attr_t a;
    pthread_attr_init(&a);
    pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
    pthread_create(&t, &a, job_runner, NULL);
    pthread_attr_destroy(&a);
}

int main(void)
{
    sem_init(&jobs, 0, 0);
    start_runner();
    while (!__atomic_load_n(&idle, __ATOMIC_ACQUIRE))
        usleep(1000);
    usleep(20 * 1000);
    printf("no jobs today\n");
    return 0;
}
