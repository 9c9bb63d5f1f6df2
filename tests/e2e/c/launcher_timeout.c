// A CI job runs its test under timeout(1), with LD_PRELOAD in the job's environment, so the shim is loaded into
// timeout too, which forks and runs the program. A program started by a process under the shim is normally
// left alone (children=off); one started by a launcher such as timeout, time or flock is the one under test
// and is checked as if run directly: its leaked thread is reported and timeout passes its 66 on. Earlier
// builds checked only timeout and the job passed.
// DRIVER: launcher_timeout.sh
// OPTIONS: grace_ms=50
// EXIT: 66
// EXPECT: ^leakcheck: found unexpected threads \(1 leaked in 1 groups?\)$
// EXPECT: ^\[1 thread blocked for [0-9.]+s in pthread_cond_wait on cond 0x[0-9a-f]+\]$
// EXPECT: ^    wait_for_work +.*launcher_timeout\.c:25( |$)
// EXPECT: ^leakcheck: 1 leaked, 0 misuse; exit status 66$
// EXPECT: ^timeout: status 66$
// EXPECT: ^timeout nice: status 66 1 verdict$
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;

static void *wait_for_work(void *arg)
{
    pthread_mutex_lock(&mu);
    pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);
    return arg;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, wait_for_work, NULL);
    usleep(20000);
    puts("done");
    return 0;
}
