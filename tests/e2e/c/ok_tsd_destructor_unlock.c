// A worker takes a per-thread lock and leaves its release to a thread-specific-data destructor, made by a key
// the program creates after its first thread: the destructor unlocks as the thread ends, so nobody waits and the
// run is clean (earlier builds checked the thread's locks in their own destructor, which ran first, and
// reported "thread exited holding a lock", exit 66).
// EXIT: 0
// REJECT: leakcheck
// STDOUT: ^released by the destructor$
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t session = PTHREAD_MUTEX_INITIALIZER;
static pthread_key_t held_key;

static void release_session(void *m)
{
    pthread_mutex_unlock(m);
}

static void *worker(void *arg)
{
    pthread_mutex_lock(&session);
    pthread_setspecific(held_key, &session);   /* released when this thread ends */
    return arg;
}

static void *warm_up(void *arg)
{
    return arg;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, warm_up, NULL);
    pthread_join(t, NULL);
    pthread_key_create(&held_key, release_session);
    pthread_create(&t, NULL, worker, NULL);
    pthread_join(t, NULL);
    pthread_mutex_lock(&session);
    puts("released by the destructor");
    pthread_mutex_unlock(&session);
    return 0;
}
