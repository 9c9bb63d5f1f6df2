// A program that closes its stderr before it exits (as xz does) still gets its report: leakcheck keeps a copy
// of the stderr it started with.
// OPTIONS: grace_ms=50
// EXIT: 66
// EXPECT: ^leakcheck: found unexpected threads \(1 leaked in 1 groups\)$
// EXPECT: ^    flusher +.*stderr_closed\.c:20( |$)
// EXPECT: ^  created by main +.*stderr_closed\.c:27 +\(thread 1\)
// STDOUT: ^done$
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t more = PTHREAD_COND_INITIALIZER;

static void *flusher(void *arg)
{
    pthread_mutex_lock(&mu);
    for (;;)
        pthread_cond_wait(&more, &mu);
    return arg;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, flusher, NULL);
    usleep(20 * 1000);
    printf("done\n");
    fclose(stderr);
    return 0;
}
