// report=text,json,pprof,folded on a leaky C program, each format read by a real reader (drivers/formats.sh):
// three pool threads blocked in pthread_cond_wait, one finished thread never joined, an fd closed twice.
// DRIVER: ../drivers/formats.sh
// OPTIONS: grace_ms=100
// EXIT: 0
// EXPECT: ^exit 66$
// EXPECT: ^stderr bytes: 0$
// EXPECT: ^leakcheck: found unexpected threads \(4 leaked in 2 groups, 1 misuse\)$
// EXPECT: ^leakcheck: json report written to OUT/lc\.[0-9]+\.json$
// EXPECT: ^leakcheck: pprof report written to OUT/lc\.[0-9]+\.pb\.gz$
// EXPECT: ^leakcheck: pprof contention report written to OUT/lc\.[0-9]+\.contention\.pb\.gz$
// EXPECT: ^leakcheck: folded report written to OUT/lc\.[0-9]+\.folded$
// EXPECT: ^leakcheck: 4 leaked, 1 misuse; exit status 66$
// EXPECT: ^json: schema leakcheck/1 reason exit live False exit_status 66$
// EXPECT: ^json: process pid [0-9]+ exe formats_c$
// EXPECT: ^json: runtime c -$
// EXPECT: ^json: summary leaked 4 groups 2 misuse 1 deadlocks 0 suppressed 0$
// EXPECT: ^json: frames ok$
// EXPECT: ^json: group 3 thread blocked pthread_cond_wait top wait_for_job created by start_pool members ok$
// EXPECT: ^json: group 1 thread finished None top quick_task created by main members ok$
// EXPECT: ^json: object cond$
// EXPECT: ^json: main task thread leaked False$
// EXPECT: ^json: finding fd_double_close sites second_close@cleanup first_close@main$
// EXPECT: ^pprof: +3 +75(\.00)?% +75(\.00)?% +3 +75(\.00)?% +wait_for_job$
// EXPECT: ^pprof: +0 +0% +100% +3 +75(\.00)?% +pool_worker$
// EXPECT: ^contention: Type: delay$
// EXPECT: ^contention: +[0-9.]+m?s +100% +100% +[0-9.]+m?s +100% +wait_for_job$
// EXPECT: ^labels: .*state:\[blocked\].*what:\[pthread_cond_wait\]
// EXPECT: ^folded: pool_worker;wait_for_job 3$
// EXPECT: ^folded: main;quick_task 1$
// EXPECT: ^folded lines: 2, malformed: 0$
// EXPECT: ^convert-folded: same$
// EXPECT: ^convert-text: \[3 threads blocked for [0-9.]+s( \(newest [0-9.]+s\))? in pthread_cond_wait on cond 0x[0-9a-f]+\]$
// EXPECT: ^convert-text: \[double close of fd [0-9]+ \(pipe write end\)\]$
// EXPECT: ^convert-text: leakcheck: 4 leaked, 1 misuse; exit status 66$
// EXPECT: ^convert-pprof: +3 +75(\.00)?% +75(\.00)?% +3 +75(\.00)?% +wait_for_job$
// EXPECT: ^convert-contention: Type: delay$
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t job = PTHREAD_COND_INITIALIZER;
static int njobs, waiting;

static void wait_for_job(void)
{
    pthread_mutex_lock(&mu);
    waiting++;
    while (njobs == 0)
        pthread_cond_wait(&job, &mu);
    pthread_mutex_unlock(&mu);
}

static void *pool_worker(void *arg)
{
    wait_for_job();
    return arg;
}

static void *quick_task(void *arg)
{
    return arg;
}

static void start_pool(int n)
{
    pthread_t t;
    for (int i = 0; i < n; i++)
        pthread_create(&t, NULL, pool_worker, NULL);
}

static void cleanup(int fd)
{
    close(fd);
}

int main(void)
{
    int p[2];
    pthread_t q;
    printf("pid %d\n", (int)getpid());
    start_pool(3);
    pthread_create(&q, NULL, quick_task, NULL);
    if (pipe(p) == 0) {
        close(p[0]);
        close(p[1]);
        cleanup(p[1]);
    }
    for (int w = 0; w < 3; usleep(1000)) {
        pthread_mutex_lock(&mu);
        w = waiting;
        pthread_mutex_unlock(&mu);
    }
    return 0;
}
