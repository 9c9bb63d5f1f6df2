/* Condition-variable ping-pong: two threads hand a turn back and forth under one mutex, so every round trip
 * is two real cond waits (the shim's blocking bracket) and two wake-ups. ns_per_op is per round trip. */
#include "bench.h"
#include <pthread.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t to_pong = PTHREAD_COND_INITIALIZER, to_ping = PTHREAD_COND_INITIALIZER;
static int turn;                        /* 0: ping's turn, 1: pong's turn */
static long rounds;

static void *pong(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&mu);
    for (long i = 0; i < rounds; i++) {
        while (turn != 1)
            pthread_cond_wait(&to_pong, &mu);
        turn = 0;
        pthread_cond_signal(&to_ping);
    }
    pthread_mutex_unlock(&mu);
    return NULL;
}

static void ping(long n)
{
    pthread_mutex_lock(&mu);
    for (long i = 0; i < n; i++) {
        turn = 1;
        pthread_cond_signal(&to_pong);
        while (turn != 0)
            pthread_cond_wait(&to_ping, &mu);
    }
    pthread_mutex_unlock(&mu);
}

int main(int argc, char **argv)
{
    long n = iterations(argc, argv, 30000), warm = n / 20 + 1;
    rounds = warm + n;
    pthread_t th;
    CHECK(pthread_create(&th, NULL, pong, NULL));
    ping(warm);
    double t0 = now_ns();
    ping(n);
    double dt = now_ns() - t0;
    CHECK(pthread_join(th, NULL));
    print_ns_per_op(dt, (double)n);
    return 0;
}
