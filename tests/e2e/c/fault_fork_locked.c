// fork() in a busy multi-threaded program: a thread holds a mutex while it waits on a semaphore, another waits
// for that mutex, two more churn (create/join threads, contended mutex: they are inside the shim all the time)
// while main forks 10 children. Each child must run (no deadlock on a lock the fork copied held), leave one
// thread of its own blocked and report only that one (log_path: its own file), exiting 66 (children=status: a
// child's findings change its status as the root's do). The parent then releases everything, joins all and
// ends clean.
// DRIVER: fault_fork_locked.sh
// OPTIONS: grace_ms=50:children=status
// EXIT: 0
// EXPECT: ^children exited 66: 10$
// EXPECT: ^children hung: 0$
// EXPECT: ^child reports: 10$
// EXPECT: ^child reports saying 1 leaked: 10$
// EXPECT: ^child reports naming parent threads: 0$
// EXPECT: ^parent report: none$
// EXPECT: ^parent: all joined, counter ok$
// EXPECT: ^first child report:$
// EXPECT: ^leakcheck: found unexpected threads \(1 leaked in 1 groups?\)$
// EXPECT: ^\[1 thread blocked for [0-9]+\.[0-9]{2}s in pthread_cond_wait on cond 0x[0-9a-f]+\]$
// EXPECT: ^    child_waiter +.*fault_fork_locked\.c:[0-9]+( |$)
// EXPECT: ^  created by child_main +.*fault_fork_locked\.c:[0-9]+ +\(thread [0-9]+\)
// EXPECT: ^leakcheck: 1 leaked, 0 misuse; exit status 66$
// EXPECT: ^stderr: empty$
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "../../stress/waitsys.h"

#define CHILDREN 10

static pthread_mutex_t held = PTHREAD_MUTEX_INITIALIZER;     /* locked by locker across every fork */
static pthread_mutex_t busy = PTHREAD_MUTEX_INITIALIZER;     /* contended by the churners */
static sem_t release;
static atomic_int stop, ready;
static atomic_int locker_tid, waiter_tid;
static long counter, want;

static void *locker(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&held);
    atomic_store(&locker_tid, (int)syscall(SYS_gettid));
    while (sem_wait(&release) != 0)
        ;
    pthread_mutex_unlock(&held);
    return NULL;
}

static void *waiter(void *arg)
{
    (void)arg;
    atomic_store(&waiter_tid, (int)syscall(SYS_gettid));
    pthread_mutex_lock(&held);
    pthread_mutex_unlock(&held);
    return NULL;
}

static void *short_child(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&busy);
    counter++;
    pthread_mutex_unlock(&busy);
    return NULL;
}

static void *churner(void *arg)
{
    long n = 0;
    (void)arg;
    atomic_fetch_add(&ready, 1);
    while (!atomic_load(&stop)) {
        pthread_t t;
        if (pthread_create(&t, NULL, short_child, NULL) == 0) {
            pthread_join(t, NULL);
            n++;
        }
    }
    return (void *)n;
}

/* ---- the child ------------------------------------------------------------------------------------------ */

static pthread_mutex_t child_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t child_cv = PTHREAD_COND_INITIALIZER;

static void *child_waiter(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&child_mu);
    for (;;)
        pthread_cond_wait(&child_cv, &child_mu);
    return NULL;
}

static void *child_helper(void *arg)
{
    return arg;
}

static void child_main(void)
{
    pthread_t t, h;
    pthread_create(&h, NULL, child_helper, NULL);
    pthread_join(h, NULL);
    pthread_create(&t, NULL, child_waiter, NULL);
    usleep(20 * 1000);
    exit(0);
}

/* Waits for pid up to ms milliseconds; kills it when it is still there. Returns its status or -1. */
static int reap(pid_t pid, int ms)
{
    int st;
    for (int i = 0; i < ms; i++) {
        pid_t r = waitpid(pid, &st, WNOHANG);
        if (r == pid)
            return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        usleep(1000);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &st, 0);
    return -1;
}

int main(void)
{
    pthread_t l, w, c[2];
    sem_init(&release, 0, 0);
    pthread_create(&l, NULL, locker, NULL);
    while (!atomic_load(&locker_tid))
        usleep(1000);
    pthread_create(&w, NULL, waiter, NULL);
    while (!atomic_load(&waiter_tid))
        usleep(1000);
    wait_in_syscall(atomic_load(&locker_tid), SYS_futex, 2000);
    wait_in_syscall(atomic_load(&waiter_tid), SYS_futex, 2000);
    for (int i = 0; i < 2; i++)
        pthread_create(&c[i], NULL, churner, NULL);
    while (atomic_load(&ready) < 2)
        usleep(1000);

    int exited66 = 0, hung = 0;
    for (int i = 0; i < CHILDREN; i++) {
        usleep(5 * 1000);
        fflush(stdout);                 /* or the child's exit() writes our buffered lines again */
        pid_t pid = fork();
        if (pid < 0) {
            perror("fork");
            return 1;
        }
        if (pid == 0)
            child_main();
        printf("child pid %d\n", (int)pid);
        int st = reap(pid, 3000);
        exited66 += st == 66;
        hung += st == -1;
    }
    printf("children exited 66: %d\nchildren hung: %d\n", exited66, hung);

    atomic_store(&stop, 1);
    for (int i = 0; i < 2; i++) {
        void *n;
        pthread_join(c[i], &n);
        want += (long)n;
    }
    sem_post(&release);
    pthread_join(l, NULL);
    pthread_join(w, NULL);
    printf("parent: all joined, counter %s\n", counter == want ? "ok" : "WRONG");
    printf("parent pid %d\n", (int)getpid());
    return 0;
}
