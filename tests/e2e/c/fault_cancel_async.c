// Cancellation and the shim's own work. First, deferred: a thread with a cancellation pending calls a lock wait
// that gives up at once (its timeout has passed) and takes the shim's slow path; a lock call is no cancellation
// point, so it returns and the thread ends at its next one (pthread_testcancel), not inside the shim (where it
// would also end holding the shim's locks). Then asynchronous cancellation landing anywhere in a wrapper: a thread with PTHREAD_CANCEL_ASYNCHRONOUS loops on a
// lock wait that gives up at once (its timeout has passed), which is the shim's slow path (a stack is taken under
// the shim's own locks), and is cancelled at a random moment, 300 times. A cancellation that ended the thread
// while it held one of the shim's locks would leave the next thread, or main, waiting for it for ever (the
// case times out). Every thread ends cancelled and is joined; nothing is reported.
// EXIT: 0
// REJECT: ^leakcheck
// STDOUT: ^pending: timedlock returned 110, then canceled$
// STDOUT: ^300 of 300 cancelled$
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define ROUNDS 300

static pthread_mutex_t held = PTHREAD_MUTEX_INITIALIZER;      /* held by main throughout */
static atomic_int started;

static void *spinner(void *arg)
{
    (void)arg;
    struct timespec past = { 1, 0 };    /* long gone: the wait gives up at once */
    pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, NULL);
    atomic_store(&started, 1);
    for (;;)
        pthread_mutex_timedlock(&held, &past);
    return NULL;
}

static int pending_ret = -1;

static void *pending(void *arg)
{
    (void)arg;
    struct timespec past = { 1, 0 };
    pthread_cancel(pthread_self());     /* deferred: pending until a cancellation point */
    pending_ret = pthread_mutex_timedlock(&held, &past);
    pthread_testcancel();
    return NULL;
}

int main(void)
{
    int cancelled = 0;
    void *r;
    pthread_t p;
    pthread_mutex_lock(&held);
    pthread_create(&p, NULL, pending, NULL);
    pthread_join(p, &r);
    printf("pending: timedlock returned %d, then %s\n", pending_ret, r == PTHREAD_CANCELED ? "canceled" : "not canceled");
    unsigned seed = 12345;
    for (int i = 0; i < ROUNDS; i++) {
        pthread_t t;
        void *ret;
        atomic_store(&started, 0);
        if (pthread_create(&t, NULL, spinner, NULL) != 0)
            return 1;
        while (!atomic_load(&started))
            ;
        struct timespec ts = { 0, (long)(rand_r(&seed) % 200) * 1000 };
        nanosleep(&ts, NULL);
        pthread_cancel(t);
        pthread_join(t, &ret);
        cancelled += ret == PTHREAD_CANCELED;
    }
    pthread_mutex_unlock(&held);
    printf("%d of %d cancelled\n", cancelled, ROUNDS);
    return 0;
}
