// Correct: a recursive mutex R is taken again by its owner while the owner also holds X, taken after R. The
// order is always R then X: re-entering a mutex a thread already holds waits for nobody, so it orders nothing.
// Nothing to report (every earlier build reported a lock-order inversion of R and X, exit status 66).
// EXIT: 0
// REJECT: ^leakcheck
// STDOUT: ^depth 3, order R then X: ok$
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t R, X = PTHREAD_MUTEX_INITIALIZER;
static int depth, most;

static void enter(void)
{
    pthread_mutex_lock(&R);             /* the owner again: granted at once */
    if (++depth > most)
        most = depth;
}

static void leave(void)
{
    depth--;
    pthread_mutex_unlock(&R);
}

static void *worker(void *arg)
{
    enter();
    pthread_mutex_lock(&X);
    enter();                            /* R under X: a re-entry, not an order */
    enter();
    leave();
    leave();
    pthread_mutex_unlock(&X);
    leave();
    return arg;
}

int main(void)
{
    pthread_mutexattr_t at;
    pthread_mutexattr_init(&at);
    pthread_mutexattr_settype(&at, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&R, &at);
    pthread_t t[2];
    for (int i = 0; i < 2; i++) {
        pthread_create(&t[i], NULL, worker, NULL);
        pthread_join(t[i], NULL);
    }
    printf("depth %d, order R then X: ok\n", most);
    return 0;
}
