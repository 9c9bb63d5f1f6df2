// Timed and non-blocking waits that give up: same return values and errno as without the shim, and no
// report (nothing is left blocked once they returned).
// OPTIONS: grace_ms=100
// EXIT: 0
// REJECT: ^leakcheck
// STDOUT: ^sem_timedwait -1 ETIMEDOUT$
// STDOUT: ^sem_trywait -1 EAGAIN$
// STDOUT: ^pthread_mutex_timedlock ETIMEDOUT$
// STDOUT: ^pthread_mutex_trylock EBUSY$
// STDOUT: ^pthread_cond_timedwait ETIMEDOUT$
// STDOUT: ^pthread_rwlock_timedwrlock ETIMEDOUT$
// STDOUT: ^pthread_timedjoin_np ETIMEDOUT$
// STDOUT: ^pthread_tryjoin_np EBUSY$
// STDOUT: ^joined 0$
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static pthread_mutex_t held = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static int release;

static const char *ename(int e)
{
    switch (e) {
    case 0: return "0";
    case ETIMEDOUT: return "ETIMEDOUT";
    case EAGAIN: return "EAGAIN";
    case EBUSY: return "EBUSY";
    case EINTR: return "EINTR";
    default: return strerror(e);
    }
}

static struct timespec in_ms(int ms)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    t.tv_nsec += ms * 1000000L;
    t.tv_sec += t.tv_nsec / 1000000000L;
    t.tv_nsec %= 1000000000L;
    return t;
}

/* Holds `held` and a read lock on `rw` until main says release. */
static void *holder(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&held);
    pthread_rwlock_rdlock(&rw);
    pthread_mutex_lock(&mu);
    while (!release)
        pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);
    pthread_rwlock_unlock(&rw);
    pthread_mutex_unlock(&held);
    return NULL;
}

int main(void)
{
    sem_t s;
    pthread_t h;
    struct timespec t;
    int r;

    sem_init(&s, 0, 0);
    t = in_ms(30);
    errno = 0;
    r = sem_timedwait(&s, &t);
    printf("sem_timedwait %d %s\n", r, ename(errno));
    errno = 0;
    r = sem_trywait(&s);
    printf("sem_trywait %d %s\n", r, ename(errno));

    pthread_create(&h, NULL, holder, NULL);
    /* Wait until the holder owns both locks. */
    while ((r = pthread_mutex_trylock(&held)) == 0) {
        pthread_mutex_unlock(&held);
        sched_yield();
    }
    while ((r = pthread_rwlock_trywrlock(&rw)) == 0)
        pthread_rwlock_unlock(&rw);
    t = in_ms(30);
    printf("pthread_mutex_timedlock %s\n", ename(pthread_mutex_timedlock(&held, &t)));
    printf("pthread_mutex_trylock %s\n", ename(pthread_mutex_trylock(&held)));
    t = in_ms(30);
    printf("pthread_rwlock_timedwrlock %s\n", ename(pthread_rwlock_timedwrlock(&rw, &t)));
    t = in_ms(30);
    printf("pthread_timedjoin_np %s\n", ename(pthread_timedjoin_np(h, NULL, &t)));
    printf("pthread_tryjoin_np %s\n", ename(pthread_tryjoin_np(h, NULL)));

    pthread_mutex_lock(&mu);
    t = in_ms(30);
    r = 0;
    while (!release && r == 0)
        r = pthread_cond_timedwait(&cv, &mu, &t);
    printf("pthread_cond_timedwait %s\n", ename(r));
    release = 1;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
    printf("joined %d\n", pthread_join(h, NULL));
    sem_destroy(&s);
    return 0;
}
