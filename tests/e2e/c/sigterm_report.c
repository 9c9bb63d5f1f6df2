// A server is stopped with SIGTERM while a worker still waits for a request that never comes: the verdict is
// printed before the process dies of SIGTERM, as it would have without the shim.
// DRIVER: sigterm_report.sh
// OPTIONS: grace_ms=100
// EXIT: signal 15
// EXPECT: ^leakcheck: found unexpected threads \(1 leaked in 1 groups?\)$
// EXPECT: ^\[1 thread blocked for [0-9]+\.[0-9]{2}s in pthread_cond_wait on cond 0x[0-9a-f]+\]$
// EXPECT: ^    next_request +.*sigterm_report\.c:24( |$)
// EXPECT: ^    serve +.*sigterm_report\.c:33( |$)
// EXPECT: ^  created by main +.*sigterm_report\.c:41 +\(thread 1\)
// EXPECT: ^stdout: serving$
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t arrived = PTHREAD_COND_INITIALIZER;
static int pending;

static int next_request(void)
{
    pthread_mutex_lock(&mu);
    while (!pending)
        pthread_cond_wait(&arrived, &mu);
    pending--;
    pthread_mutex_unlock(&mu);
    return 1;
}

static void *serve(void *arg)
{
    (void)arg;
    while (next_request())
        ;
    return NULL;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, serve, NULL);
    printf("serving\n");
    fflush(stdout);
    for (;;)
        pause();
}
