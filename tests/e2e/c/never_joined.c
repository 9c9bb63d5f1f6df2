// A worker computes a checksum and returns; main prints its own result and forgets to join or detach it.
// OPTIONS: grace_ms=100
// EXIT: 66
// EXPECT: ^leakcheck: found unexpected threads \(1 leaked in 1 groups?\)$
// EXPECT: ^\[1 thread finished [0-9]+\.[0-9]{2}s ago, never joined nor detached\]$
// EXPECT: ^    start routine worker +.*never_joined\.c:[0-9]+
// EXPECT: ^  created by main +.*never_joined\.c:27 +\(thread 1\)
// EXPECT: ^leakcheck: 1 leaked, 0 misuse; exit status 66$
// STDOUT: ^sum 4950$
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static long checksum;

static void *worker(void *arg)
{
    (void)arg;
    for (int i = 0; i < 100; i++)
        checksum += i;
    return NULL;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    usleep(50 * 1000);
    printf("sum %ld\n", checksum);
    return 0;
}
