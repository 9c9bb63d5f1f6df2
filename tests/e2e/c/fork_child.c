// The parent keeps a helper thread across fork(); the child starts a worker that blocks and then exits.
// The child's report (log_path, its own pid) names only its own worker, and the child keeps its own exit
// status (0: a fork child's findings never change it); the parent ends clean.
// DRIVER: fork_child.sh
// OPTIONS: grace_ms=100
// EXIT: 0
// EXPECT: ^child exit status 0$
// EXPECT: ^parent done$
// EXPECT: ^child report: found$
// EXPECT: ^parent report: none$
// EXPECT-COUNT: 1 ^leakcheck: found unexpected threads \(1 leaked in 1 groups?\)$
// EXPECT: ^\[1 thread blocked for [0-9]+\.[0-9]{2}s in pthread_cond_wait on cond 0x[0-9a-f]+\]$
// EXPECT: ^    child_worker +.*fork_child\.c:60( |$)
// EXPECT: ^  created by run_child +.*fork_child\.c:68 +\(thread [0-9]+\)
// EXPECT: ^leakcheck: 1 leaked, 0 misuse; exit status 0$
// EXPECT: ^stderr: empty$
// REJECT: parent_helper
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

/* The parent's helper and the child's worker each wait on their own condition; `waiting` tells the waiting
 * side's creator that the wait began (it can read it once the mutex is free again). */
struct waitpoint {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int go, waiting;
};
static struct waitpoint parent_wp = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0 };
static struct waitpoint child_wp = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0 };

static void until_waiting(struct waitpoint *wp)
{
    for (int w = 0; !w; usleep(1000)) {
        pthread_mutex_lock(&wp->mu);
        w = wp->waiting;
        pthread_mutex_unlock(&wp->mu);
    }
}

static void *parent_helper(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&parent_wp.mu);
    parent_wp.waiting = 1;
    while (!parent_wp.go)
        pthread_cond_wait(&parent_wp.cv, &parent_wp.mu);
    pthread_mutex_unlock(&parent_wp.mu);
    return NULL;
}

static void *child_worker(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&child_wp.mu);
    child_wp.waiting = 1;
    while (!child_wp.go)
        pthread_cond_wait(&child_wp.cv, &child_wp.mu);
    pthread_mutex_unlock(&child_wp.mu);
    return NULL;
}

static void run_child(void)
{
    pthread_t t;
    pthread_create(&t, NULL, child_worker, NULL);
    until_waiting(&child_wp);
    exit(0);
}

int main(void)
{
    pthread_t h;
    int st;
    pthread_create(&h, NULL, parent_helper, NULL);
    until_waiting(&parent_wp);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0)
        run_child();
    waitpid(pid, &st, 0);
    printf("parent pid %d\nchild pid %d\n", (int)getpid(), (int)pid);
    printf("child exit status %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    pthread_mutex_lock(&parent_wp.mu);
    parent_wp.go = 1;
    pthread_cond_broadcast(&parent_wp.cv);
    pthread_mutex_unlock(&parent_wp.mu);
    pthread_join(h, NULL);
    printf("parent done\n");
    return 0;
}
