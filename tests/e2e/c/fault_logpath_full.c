// A log file that cannot be written (the disk is full: here no file may grow, ulimit -f 0): the text report
// of every periodic report and of the verdict fails, and stderr says so once, naming the file and the reason.
// The program runs as usual.
// DRIVER: fault_logpath_full.sh
// OPTIONS: grace_ms=50:interval=100ms
// EXIT: 0
// EXPECT: ^exit 66$
// EXPECT-COUNT: 1 ^leakcheck: cannot write the report to '.*/lc\.[0-9]+': File too large; it is incomplete or missing$
// EXPECT: ^working$
// EXPECT: ^done$
// REJECT: ^\[
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;

static void *wait_for_work(void *arg)
{
    pthread_mutex_lock(&mu);
    pthread_cond_wait(&cv, &mu);
    return arg;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, wait_for_work, NULL);
    printf("working\n");
    fflush(stdout);
    usleep(400000);
    printf("done\n");
    return 0;
}
