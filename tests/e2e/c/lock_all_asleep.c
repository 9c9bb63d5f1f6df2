// main waits for a worker that waits for a "start" signal main was supposed to send first: no thread can ever
// make progress. With deadlock_check_ms the program is ended (the C analogue of Go's "all goroutines are
// asleep") instead of hanging until a CI timeout.
// OPTIONS: deadlock_check_ms=150
// EXIT: 66
// EXPECT: ^leakcheck: found unexpected threads \(1 leaked in 1 groups?\)$
// EXPECT: ^\[1 thread blocked for [01]\.[0-9]{2}s in pthread_cond_wait on cond 0x[0-9a-f]+\]$
// EXPECT: ^    wait_for_start +.*lock_all_asleep\.c:24( |$)
// EXPECT: ^leakcheck: 1 leaked, 0 misuse; exit status 66$
// STDOUT: ^waiting for the worker$
// Without the shim this program hangs: there is no plain run to compare stdout with.
// STDOUT-VARIES
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t start = PTHREAD_COND_INITIALIZER;
static int started;

static void *wait_for_start(void *arg)
{
    pthread_mutex_lock(&mu);
    while (!started)
        pthread_cond_wait(&start, &mu);
    pthread_mutex_unlock(&mu);
    return arg;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, wait_for_start, NULL);
    printf("waiting for the worker\n");
    fflush(stdout);
    pthread_join(t, NULL); /* bug: started is never set */
    return 0;
}
