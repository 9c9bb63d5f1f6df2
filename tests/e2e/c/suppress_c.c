// Suppressions (drivers/suppress.sh): a rule silences exactly the matching finding, the rules used are listed
// before the closing line, the exit status is 0 once nothing remains, a malformed line is named and skipped.
// DRIVER: ../drivers/suppress.sh
// ENV: LEAK_FN=wait_for_job
// ENV: CREATOR_FN=start_pool
// ENV: MISUSE_KIND=fd_double_close
// ENV: MISUSE_FN=cleanup
// OPTIONS: grace_ms=100
// EXIT: 0
// EXPECT: ^none: exit 66$
// EXPECT: ^none: leakcheck: found unexpected threads \(2 leaked in 1 groups?, 1 misuse\)$
// EXPECT: ^leak: exit 66$
// EXPECT: ^leak: leakcheck: found misuse \(0 leaked in 0 groups, 1 misuse\)$
// EXPECT: ^leak: \[double close of fd [0-9]+
// EXPECT: ^leak: leakcheck: used suppressions:$
// EXPECT: ^leak:   2 leak:wait_for_job$
// EXPECT: ^leak: leakcheck: 0 leaked, 1 misuse; exit status 66$
// EXPECT: ^misuse: exit 66$
// EXPECT: ^misuse: leakcheck: found unexpected threads \(2 leaked in 1 groups?\)$
// EXPECT: ^misuse:   1 fd_double_close:cleanup$
// EXPECT: ^all: exit 0$
// EXPECT: ^malformed: exit 0$
// EXPECT-COUNT: 2 ^malformed: 
// EXPECT: ^malformed: leakcheck: OUT/supp\.malformed:3: unknown kind 'lek' \(valid: leak, leak_top, leak_created_by, misuse, double_close, .*fd_double_close.*\)$
// EXPECT: ^unreadable: exit 66$
// EXPECT: ^unreadable: leakcheck: cannot read suppressions file 'OUT/supp\.missing': No such file or directory; no suppressions apply$
// EXPECT: ^unreadable: leakcheck: found unexpected threads \(2 leaked in 1 groups?, 1 misuse\)$
// EXPECT: ^nomatch: exit 66$
// EXPECT: ^nomatch: leakcheck: 2 leaked, 1 misuse; exit status 66$
// EXPECT: ^ignore_top: exit 66$
// EXPECT: ^ignore_top: leakcheck: found misuse \(0 leaked in 0 groups, 1 misuse\)$
// EXPECT: ^verbose: exit 0$
// EXPECT: ^verbose: leakcheck: no leaks \(pid [0-9]+, 3 suppressed\)$
// EXPECT: ^verbose:   2 leak_top:wait_for_job$
// EXPECT: ^verbose:   1 fd_double_close:cleanup$
// EXPECT: ^clean-json: exit 0$
// EXPECT: ^clean-json: files 0$
// EXPECT: ^clean-json-v2: leakcheck: json report written to OUT/clean2\.[0-9]+\.json$
// EXPECT: ^clean-json-v2: files 1$
// EXPECT-COUNT: 2 ^clean-json: 
// REJECT: ^(all|malformed): leakcheck: found
// REJECT: ^nomatch: leakcheck: used suppressions
// REJECT: ^(leak|ignore_top): \[2 threads
// REJECT: ^misuse: \[double close
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

static void start_pool(int n)
{
    pthread_t t;
    for (int i = 0; i < n; i++) {
        pthread_create(&t, NULL, pool_worker, NULL);
        pthread_detach(t);
    }
}

static void cleanup(int fd)
{
    close(fd);
}

int main(void)
{
    int p[2];
    start_pool(2);
    if (pipe(p) == 0) {
        close(p[0]);
        close(p[1]);
        cleanup(p[1]);
    }
    for (int w = 0; w < 2; usleep(1000)) {
        pthread_mutex_lock(&mu);
        w = waiting;
        pthread_mutex_unlock(&mu);
    }
    puts("done");
    return 0;
}
