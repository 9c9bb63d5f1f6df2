/* Stress program: churner threads create, block (mutex, cond, semaphore, join, barrier, rwlock) and end
 * threads as fast as they can for a while, then the program leaves exactly LEFT threads blocked for good and
 * returns 0 from main. It checks its own results (counters, every thread accounted for) and exits 1 when they
 * are wrong; under the shim the verdict must then say exactly "7 leaked".
 * Usage: churn [CHURN_MS [CHURNERS [SETTLE_MS]]]    defaults 2000 4 300
 * stdout: "pid P", then "churn: ok, ..." when every check passed, then "settled 7" once the 7 threads sleep in
 * the kernel; main returns SETTLE_MS later. */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "waitsys.h"

#define LEFT 7                 /* threads left blocked at the end: 3 cond, 2 sem, 1 mutex, 1 barrier */
#define BURST 24               /* threads started at once by the burst pattern */
#define MUTEX_ITERS 200

static atomic_long created, ended, detached_ended, detached_created;
static pthread_mutex_t count_mu = PTHREAD_MUTEX_INITIALIZER;
static long counter;           /* incremented under count_mu only */
static atomic_long counter_want;
static pthread_rwlock_t table_rw = PTHREAD_RWLOCK_INITIALIZER;
static long table_value;       /* written under the write lock, read under the read lock */
static atomic_int failures;
static struct timespec deadline;

static void fail(const char *what)
{
    atomic_fetch_add(&failures, 1);
    fprintf(stderr, "churn: FAILED: %s\n", what);
}

static int past_deadline(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec > deadline.tv_sec || (now.tv_sec == deadline.tv_sec && now.tv_nsec >= deadline.tv_nsec);
}

/* sem_wait may fail with EINTR when a signal handler ran (the dump signal): retry, as programs must. */
static void sem_wait_all(sem_t *s)
{
    while (sem_wait(s) != 0)
        if (errno != EINTR) {
            fail("sem_wait");
            return;
        }
}

static void spawn(pthread_t *t, void *(*fn)(void *), void *arg)
{
    int r = pthread_create(t, NULL, fn, arg);
    if (r != 0) {
        fprintf(stderr, "churn: pthread_create: %s\n", strerror(r));
        exit(2);
    }
    atomic_fetch_add(&created, 1);
}

static void join(pthread_t t)
{
    if (pthread_join(t, NULL) != 0)
        fail("pthread_join");
}

/* ---- the patterns: each child ends by counting itself --------------------------------------------------- */

static void *mutex_child(void *arg)
{
    (void)arg;
    for (int i = 0; i < MUTEX_ITERS; i++) {
        pthread_mutex_lock(&count_mu);
        counter++;
        pthread_mutex_unlock(&count_mu);
    }
    atomic_fetch_add(&ended, 1);
    return NULL;
}

struct handshake {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int flag;
    sem_t sem;
    pthread_barrier_t bar;
};

static void *cond_child(void *arg)
{
    struct handshake *h = arg;
    pthread_mutex_lock(&h->mu);
    while (!h->flag)
        pthread_cond_wait(&h->cv, &h->mu);
    h->flag = 2;
    pthread_cond_signal(&h->cv);
    pthread_mutex_unlock(&h->mu);
    atomic_fetch_add(&ended, 1);
    return NULL;
}

static void *sem_child(void *arg)
{
    struct handshake *h = arg;
    for (int i = 0; i < 3; i++)
        sem_wait_all(&h->sem);
    atomic_fetch_add(&ended, 1);
    return NULL;
}

static void *sleeper(void *arg)
{
    (void)arg;
    struct timespec ts = { 0, 100 * 1000 };
    nanosleep(&ts, NULL);
    atomic_fetch_add(&ended, 1);
    return NULL;
}

static void *joiner_child(void *arg)
{
    (void)arg;
    pthread_t g;
    spawn(&g, sleeper, NULL);
    join(g);
    atomic_fetch_add(&ended, 1);
    return NULL;
}

static void *barrier_child(void *arg)
{
    struct handshake *h = arg;
    pthread_barrier_wait(&h->bar);
    atomic_fetch_add(&ended, 1);
    return NULL;
}

static void *rw_child(void *arg)
{
    long id = (long)arg;
    for (int i = 0; i < 50; i++) {
        if ((i + id) % 5 == 0) {
            pthread_rwlock_wrlock(&table_rw);
            table_value++;
            pthread_rwlock_unlock(&table_rw);
        } else {
            pthread_rwlock_rdlock(&table_rw);
            if (table_value < 0)
                fail("rwlock value");
            pthread_rwlock_unlock(&table_rw);
        }
    }
    atomic_fetch_add(&ended, 1);
    return NULL;
}

static void *detached_child(void *arg)
{
    (void)arg;
    atomic_fetch_add(&detached_ended, 1);
    return NULL;
}

static void round_of(int pattern)
{
    struct handshake h;
    pthread_t t[BURST];
    memset(&h, 0, sizeof h);
    pthread_mutex_init(&h.mu, NULL);
    pthread_cond_init(&h.cv, NULL);
    switch (pattern) {
    case 0:                                     /* contended mutex */
        for (int i = 0; i < 4; i++)
            spawn(&t[i], mutex_child, NULL);
        atomic_fetch_add(&counter_want, 4 * MUTEX_ITERS);
        for (int i = 0; i < 4; i++)
            join(t[i]);
        break;
    case 1:                                     /* cond handshake both ways */
        spawn(&t[0], cond_child, &h);
        pthread_mutex_lock(&h.mu);
        h.flag = 1;
        pthread_cond_signal(&h.cv);
        while (h.flag != 2)
            pthread_cond_wait(&h.cv, &h.mu);
        pthread_mutex_unlock(&h.mu);
        join(t[0]);
        break;
    case 2:                                     /* semaphore */
        sem_init(&h.sem, 0, 0);
        spawn(&t[0], sem_child, &h);
        for (int i = 0; i < 3; i++)
            sem_post(&h.sem);
        join(t[0]);
        sem_destroy(&h.sem);
        break;
    case 3:                                     /* join chain */
        spawn(&t[0], joiner_child, NULL);
        join(t[0]);
        break;
    case 4:                                     /* burst through a barrier */
        pthread_barrier_init(&h.bar, NULL, BURST + 1);
        for (int i = 0; i < BURST; i++)
            spawn(&t[i], barrier_child, &h);
        pthread_barrier_wait(&h.bar);
        for (int i = 0; i < BURST; i++)
            join(t[i]);
        pthread_barrier_destroy(&h.bar);
        break;
    case 5:                                     /* readers and writers */
        for (long i = 0; i < 3; i++)
            spawn(&t[i], rw_child, (void *)i);
        for (int i = 0; i < 3; i++)
            join(t[i]);
        break;
    default: {                                  /* detached, never joined: fine */
        pthread_attr_t a;
        pthread_attr_init(&a);
        pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
        for (int i = 0; i < 4; i++) {
            if (pthread_create(&t[i], &a, detached_child, NULL) != 0) {
                fail("pthread_create detached");
                continue;
            }
            atomic_fetch_add(&detached_created, 1);
        }
        pthread_attr_destroy(&a);
        break;
    }
    }
    pthread_cond_destroy(&h.cv);
    pthread_mutex_destroy(&h.mu);
}

static atomic_long rounds;

static void *churner(void *arg)
{
    long id = (long)arg;
    for (int r = (int)id; !past_deadline(); r++) {
        round_of(r % 7);
        atomic_fetch_add(&rounds, 1);
    }
    return NULL;
}

/* ---- the deliberate leaks ------------------------------------------------------------------------------- */

static pthread_mutex_t left_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t never_cv = PTHREAD_COND_INITIALIZER;
static pthread_mutex_t held_mu = PTHREAD_MUTEX_INITIALIZER;   /* main holds it until the end */
static sem_t never_sem;
static pthread_barrier_t half_bar;                            /* count 2, one waiter */
static pid_t left_tid[LEFT];
static atomic_int left_started;

static void note_tid(void)
{
    left_tid[atomic_fetch_add(&left_started, 1)] = (pid_t)syscall(SYS_gettid);
}

static void *wait_cond_forever(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&left_mu);
    note_tid();
    for (;;)
        pthread_cond_wait(&never_cv, &left_mu);
    return NULL;
}

static void *wait_sem_forever(void *arg)
{
    (void)arg;
    note_tid();
    sem_wait_all(&never_sem);
    return NULL;
}

static void *wait_mutex_forever(void *arg)
{
    (void)arg;
    note_tid();
    pthread_mutex_lock(&held_mu);
    return NULL;
}

static void *wait_barrier_forever(void *arg)
{
    (void)arg;
    note_tid();
    pthread_barrier_wait(&half_bar);
    return NULL;
}

/* Sleeps ms milliseconds whatever signals arrive (nanosleep returns early when a handler runs). */
static void sleep_ms(int ms)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += ms / 1000;
    until.tv_nsec += (long)(ms % 1000) * 1000000;
    if (until.tv_nsec >= 1000000000) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000;
    }
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL) != 0)
        ;
}

static int leave_blocked(void)
{
    pthread_t t;
    sem_init(&never_sem, 0, 0);
    pthread_barrier_init(&half_bar, NULL, 2);
    pthread_mutex_lock(&held_mu);
    for (int i = 0; i < 3; i++)
        spawn(&t, wait_cond_forever, NULL);
    for (int i = 0; i < 2; i++)
        spawn(&t, wait_sem_forever, NULL);
    spawn(&t, wait_mutex_forever, NULL);
    spawn(&t, wait_barrier_forever, NULL);
    /* Each one must be asleep in the kernel before we call it settled. */
    for (int ms = 0; atomic_load(&left_started) < LEFT && ms < 2000; ms++)
        usleep(1000);
    int asleep = 0;
    for (int i = 0; i < atomic_load(&left_started); i++)
        asleep += wait_in_syscall(left_tid[i], SYS_futex, 2000);
    return asleep;
}

int main(int argc, char **argv)
{
    int churn_ms = argc > 1 ? atoi(argv[1]) : 2000;
    int nchurners = argc > 2 ? atoi(argv[2]) : 4;
    int settle_ms = argc > 3 ? atoi(argv[3]) : 300;
    if (nchurners < 1 || nchurners > 64 || churn_ms < 0 || settle_ms < 0) {
        fprintf(stderr, "usage: churn [CHURN_MS [CHURNERS(1-64) [SETTLE_MS]]]\n");
        return 2;
    }
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += churn_ms / 1000;
    deadline.tv_nsec += (long)(churn_ms % 1000) * 1000000;
    if (deadline.tv_nsec >= 1000000000) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000;
    }
    printf("pid %d\n", (int)getpid());
    fflush(stdout);

    pthread_t c[64];
    for (long i = 0; i < nchurners; i++)
        if (pthread_create(&c[i], NULL, churner, (void *)i) != 0)
            return 2;
    for (int i = 0; i < nchurners; i++)
        join(c[i]);

    /* Detached threads finish on their own: give them a moment. */
    for (int ms = 0; atomic_load(&detached_ended) < atomic_load(&detached_created) && ms < 2000; ms++)
        usleep(1000);
    if (atomic_load(&detached_ended) != atomic_load(&detached_created))
        fail("detached threads lost");
    if (atomic_load(&ended) != atomic_load(&created))
        fail("joined threads lost");
    if (counter != atomic_load(&counter_want))
        fail("mutex counter wrong");
    printf("churn: %s, %ld rounds, %ld joinable + %ld detached threads, counter %ld\n",
           atomic_load(&failures) ? "FAILED" : "ok", atomic_load(&rounds), atomic_load(&created),
           atomic_load(&detached_created), counter);
    fflush(stdout);

    int asleep = leave_blocked();
    printf("settled %d\n", asleep);
    fflush(stdout);
    sleep_ms(settle_ms);
    return atomic_load(&failures) || asleep != LEFT ? 1 : 0;
}
