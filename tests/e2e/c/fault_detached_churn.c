// Detached threads that end at once, started by four threads concurrently: a detached thread may finish (and
// its handle be reused by another creator) before pthread_create has even returned to its creator. The shim's
// records must stay consistent: no crash, no hang, no thread reported, the program's count right. (A driver
// only to bound a hang with SIGKILL: a process stuck inside the shim may not die of the runner's SIGTERM.)
// DRIVER: fault_detached_churn.sh
// OPTIONS: grace_ms=50
// EXIT: 0
// EXPECT: ^stdout: 8000 detached threads ran$
// REJECT: ^leakcheck
// REJECT: ^killed
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

#define CREATORS 4
#define EACH 2000

static atomic_int ran;

static void *quick(void *arg)
{
    atomic_fetch_add(&ran, 1);
    return arg;
}

static void *self_detaching(void *arg)
{
    pthread_detach(pthread_self());
    atomic_fetch_add(&ran, 1);
    return arg;
}

static void *creator(void *arg)
{
    long id = (long)arg;
    pthread_attr_t a;
    pthread_attr_init(&a);
    pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
    for (int i = 0; i < EACH; i++) {
        pthread_t t;
        /* Half detached by attribute, half detach themselves first thing. */
        int r = (i + id) % 2 ? pthread_create(&t, &a, quick, NULL) : pthread_create(&t, NULL, self_detaching, NULL);
        if (r != 0)
            usleep(100);                /* out of threads for a moment: the count will say so */
    }
    pthread_attr_destroy(&a);
    return NULL;
}

int main(void)
{
    pthread_t c[CREATORS];
    for (long i = 0; i < CREATORS; i++)
        pthread_create(&c[i], NULL, creator, (void *)i);
    for (int i = 0; i < CREATORS; i++)
        pthread_join(c[i], NULL);
    for (int i = 0; i < 2000 && atomic_load(&ran) < CREATORS * EACH; i++)
        usleep(1000);
    usleep(20 * 1000);                  /* the last ones return from their start routine */
    printf("%d detached threads ran\n", atomic_load(&ran));
    return 0;
}
