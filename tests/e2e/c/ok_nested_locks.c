// Correct: worker threads take three mutexes nested in one consistent order; a reverse-order path uses trylock
// and backs off (a try never waits, so it is no inversion); readers nest two read locks in either order (read
// locks never wait for each other); a recursive mutex is relocked by its owner; and a mutex destroyed and
// re-initialised is a new lock, so taking it in another order afterwards is fine. Nothing to report.
// EXIT: 0
// REJECT: ^leakcheck
// STDOUT: ^total 4000, backoffs [0-9]+, reads 400, depth 3, reinit ok$
// STDOUT-VARIES
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t outer = PTHREAD_MUTEX_INITIALIZER, middle = PTHREAD_MUTEX_INITIALIZER,
                       inner = PTHREAD_MUTEX_INITIALIZER, rec;
static pthread_rwlock_t ra = PTHREAD_RWLOCK_INITIALIZER, rb = PTHREAD_RWLOCK_INITIALIZER;
static long total, backoffs, reads;

static void *worker(void *arg)
{
    for (int i = 0; i < 1000; i++) {
        pthread_mutex_lock(&outer);
        pthread_mutex_lock(&middle);
        pthread_mutex_lock(&inner);
        total++;
        pthread_mutex_unlock(&inner);
        pthread_mutex_unlock(&middle);
        pthread_mutex_unlock(&outer);
        /* the other order, but only with a try: back off when busy */
        pthread_mutex_lock(&inner);
        if (pthread_mutex_trylock(&outer) == 0)
            pthread_mutex_unlock(&outer);
        else
            backoffs++;
        pthread_mutex_unlock(&inner);
    }
    return arg;
}

static void *reader(void *arg)
{
    long first = (long)arg;
    for (int i = 0; i < 100; i++) {
        pthread_rwlock_rdlock(first ? &ra : &rb);
        pthread_rwlock_rdlock(first ? &rb : &ra);
        __atomic_add_fetch(&reads, 1, __ATOMIC_RELAXED);
        pthread_rwlock_unlock(first ? &rb : &ra);
        pthread_rwlock_unlock(first ? &ra : &rb);
    }
    return arg;
}

static int recurse(int n)
{
    pthread_mutex_lock(&rec);
    int d = n > 1 ? recurse(n - 1) + 1 : 1;
    pthread_mutex_unlock(&rec);
    return d;
}

int main(void)
{
    pthread_t w[4], r[4];
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&rec, &a);
    for (long i = 0; i < 4; i++) {
        pthread_create(&w[i], NULL, worker, NULL);
        pthread_create(&r[i], NULL, reader, (void *)(i % 2));
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(w[i], NULL);
        pthread_join(r[i], NULL);
    }
    int depth = recurse(3);

    /* a lock's memory reused for a new lock: the old order no longer applies */
    pthread_mutex_t *m = &middle;
    pthread_mutex_destroy(m);
    pthread_mutex_init(m, NULL);
    pthread_mutex_lock(m);
    pthread_mutex_lock(&outer);
    pthread_mutex_unlock(&outer);
    pthread_mutex_unlock(m);

    printf("total %ld, backoffs %ld, reads %ld, depth %d, reinit ok\n", total, backoffs, reads, depth);
    return 0;
}
