// A program that never returns from main dies of its own SIGALRM (ualarm, default action): the verdict is
// printed first, then the process dies of signal 14 as it would without the shim, with the same stdout. (A
// driver only so that the runner's shell does not print "Alarm clock".)
// DRIVER: fault_sigalrm.sh
// OPTIONS: grace_ms=50
// EXIT: signal 14
// EXPECT-COUNT: 1 ^leakcheck: found unexpected threads \(1 leaked in 1 groups?\)$
// EXPECT: ^\[1 thread blocked for [0-9]+\.[0-9]{2}s in sem_wait on sem 0x[0-9a-f]+\]$
// EXPECT: ^    wait_for_job +.*fault_sigalrm\.c:[0-9]+( |$)
// EXPECT: ^  created by main +.*fault_sigalrm\.c:[0-9]+ +\(thread 1\)
// EXPECT: ^leakcheck: 1 leaked, 0 misuse; exit status 142$
// EXPECT: ^stdout: waiting for the alarm$
// EXPECT: ^stdout: same as without the shim$
// EXPECT: ^without the shim: exit 142$
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <unistd.h>

static sem_t jobs;

static void *wait_for_job(void *arg)
{
    (void)arg;
    while (sem_wait(&jobs) != 0)
        ;
    return NULL;
}

int main(void)
{
    pthread_t t;
    sem_init(&jobs, 0, 0);
    pthread_create(&t, NULL, wait_for_job, NULL);
    printf("waiting for the alarm\n");
    fflush(stdout);
    ualarm(200 * 1000, 0);
    for (;;)
        pause();
}
