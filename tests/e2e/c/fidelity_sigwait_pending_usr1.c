// Fidelity: the program blocks SIGUSR1 (the default dump signal), sends it to itself while single-threaded,
// starts and joins a thread, and only then takes the signal with sigwait. The signal is the program's: it stays
// pending for it, no live report is made, and sigwait returns it. Every earlier build's thread, started with the
// program's first thread, took it as a dump request (a live report), and the program then waited forever in
// sigwait. fidelity_sigwait_pending_usr1_thread.c sends it with a thread already running.
// EXIT: 0
// REJECT: ^leakcheck
// STDOUT: ^got 10$
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static sem_t go_on;

static void *idle(void *arg)
{
    sem_wait(&go_on);
    usleep(50000);                      /* time for a signal to be taken, were it taken */
    return arg;
}

int main(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    sem_init(&go_on, 0, 0);
    pthread_t t;
#ifdef THREAD_FIRST
    pthread_create(&t, NULL, idle, NULL);   /* inherits the mask */
    kill(getpid(), SIGUSR1);            /* pending: every thread of the program blocks it */
#else
    kill(getpid(), SIGUSR1);            /* pending: the program blocks it */
    pthread_create(&t, NULL, idle, NULL);
#endif
    sem_post(&go_on);
    pthread_join(t, NULL);
    int sig = 0;
    sigwait(&set, &sig);
    printf("got %d\n", sig);
    return 0;
}
