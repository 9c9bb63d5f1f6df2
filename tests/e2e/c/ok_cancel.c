// Correct: a thread blocked in pthread_cond_wait is cancelled (its cleanup handler releases the mutex) and
// joined; its result is PTHREAD_CANCELED. Nothing to report.
// EXIT: 0
// REJECT: ^leakcheck
// STDOUT: ^cancelled: yes, cleanup ran: yes, mutex free: yes$
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int never, cleaned;

static void unlock_mu(void *arg)
{
    cleaned = 1;
    pthread_mutex_unlock(arg);
}

static void *waiter(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&mu);
    pthread_cleanup_push(unlock_mu, &mu);
    while (!never)
        pthread_cond_wait(&cv, &mu);
    pthread_cleanup_pop(1);
    return NULL;
}

int main(void)
{
    pthread_t t;
    void *ret;
    pthread_create(&t, NULL, waiter, NULL);
    usleep(20 * 1000);
    pthread_cancel(t);
    pthread_join(t, &ret);
    int free_now = pthread_mutex_trylock(&mu) == 0;
    if (free_now)
        pthread_mutex_unlock(&mu);
    printf("cancelled: %s, cleanup ran: %s, mutex free: %s\n", ret == PTHREAD_CANCELED ? "yes" : "no",
           cleaned ? "yes" : "no", free_now ? "yes" : "no");
    return 0;
}
