// _exit() skips atexit handlers and destructors, so the shim has no say: no report, the status is the
// program's own (3), no hang, even with a thread blocked and main waiting in pthread_join. (quick_exit and
// _Exit take the same road.)
// OPTIONS: grace_ms=50
// EXIT: 3
// REJECT: ^leakcheck
// STDOUT: ^worker: leaving with _exit\(3\)$
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <unistd.h>

static sem_t never;

static void *stuck(void *arg)
{
    (void)arg;
    while (sem_wait(&never) != 0)
        ;
    return NULL;
}

static void *worker(void *arg)
{
    (void)arg;
    usleep(20 * 1000);
    printf("worker: leaving with _exit(3)\n");
    fflush(stdout);
    _exit(3);
}

int main(void)
{
    pthread_t s, w;
    sem_init(&never, 0, 0);
    pthread_create(&s, NULL, stuck, NULL);
    pthread_create(&w, NULL, worker, NULL);
    pthread_join(w, NULL);
    printf("not reached\n");
    return 0;
}
