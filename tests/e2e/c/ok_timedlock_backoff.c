// Correct: the usual order is A then B; the one path that holds B asks for A with pthread_mutex_timedlock and,
// when that times out, lets B go and starts again. A timed wait ends, so this back-off cannot hang and is no
// lock-order inversion. The first timed lock is made to time out (A is held meanwhile), so the contended path
// runs in every run. Nothing to report (every earlier build reported an inversion of A and B, exit status 66).
// EXIT: 0
// REJECT: ^leakcheck
// STDOUT: ^timed out first: yes, then got both: yes$
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <time.h>

static pthread_mutex_t A = PTHREAD_MUTEX_INITIALIZER, B = PTHREAD_MUTEX_INITIALIZER;
static sem_t a_held, backed_off, forward_done;
static int timed_out, got_both;

static void *forward(void *arg)
{
    pthread_mutex_lock(&A);
    sem_post(&a_held);
    sem_wait(&backed_off);              /* the other path timed out on A and let B go */
    pthread_mutex_lock(&B);
    pthread_mutex_unlock(&B);
    pthread_mutex_unlock(&A);
    sem_post(&forward_done);
    return arg;
}

static int lock_within(pthread_mutex_t *m, long ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += ms / 1000;
    ts.tv_nsec += (ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    return pthread_mutex_timedlock(m, &ts);
}

static void *reverse(void *arg)
{
    sem_wait(&a_held);
    for (int first = 1;; first = 0) {
        pthread_mutex_lock(&B);
        int r = lock_within(&A, first ? 20 : 10000);
        if (r == 0) {
            got_both = 1;
            pthread_mutex_unlock(&A);
            pthread_mutex_unlock(&B);
            return arg;
        }
        pthread_mutex_unlock(&B);       /* back off */
        if (first && r == ETIMEDOUT) {
            timed_out = 1;
            sem_post(&backed_off);
            sem_wait(&forward_done);    /* then try again (not racing forward for B: a 10 s back-off) */
        }
    }
}

int main(void)
{
    sem_init(&a_held, 0, 0);
    sem_init(&backed_off, 0, 0);
    sem_init(&forward_done, 0, 0);
    pthread_t f, r;
    pthread_create(&f, NULL, forward, NULL);
    pthread_create(&r, NULL, reverse, NULL);
    pthread_join(f, NULL);
    pthread_join(r, NULL);
    printf("timed out first: %s, then got both: %s\n", timed_out ? "yes" : "no", got_both ? "yes" : "no");
    return 0;
}
