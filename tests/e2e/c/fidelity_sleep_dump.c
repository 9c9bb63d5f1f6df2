// Live reports interrupt nothing: main sleeps, polls and waits in every call a signal handler would cut short
// (nanosleep, usleep, sleep, poll, select, epoll_wait, sem_timedwait, sigtimedwait) while a worker reads a
// pipe; the dump signal comes 20 times meanwhile. Every call takes its full time and returns what it would
// without the shim, and each dump writes a live report with the worker blocked in read.
// DRIVER: ../drivers/fidelity.sh
// ENV: FIDELITY_DUMP=20
// EXIT: 0
// EXPECT: ^stdout: same$
// EXPECT: ^status: same \(0\)$
// EXPECT: ^\| nanosleep: 0, full time$
// EXPECT: ^\| sem_timedwait: -1 ETIMEDOUT, full time$
// EXPECT: ^\[1 thread blocked for [0-9.]+s in read on pipe fd [0-9]+ \(made at main +.*fidelity_sleep_dump\.c:[0-9]+\)\]$
// EXPECT: ^leakcheck: live report \(pid [0-9]+, 2 tasks\)$
// REJECT: early
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

static int fds[2];

static void *reader(void *arg)
{
    char c;
    while (read(fds[0], &c, 1) > 0)
        ;
    return arg;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static double t0;
static void said(const char *what, int r, double want)
{
    int e = errno;
    printf("%s: %d%s%s, %s\n", what, r, r < 0 ? " " : "", r < 0 ? strerrorname_np(e) : "",
           now() - t0 >= want - 0.01 ? "full time" : "early");
}
#define TIMED(what, want, call) do { t0 = now(); errno = 0; int r_ = (call); said(what, r_, want); } while (0)

int main(int argc, char **argv)
{
    pthread_t t;
    int threaded = argc < 2;
    (void)argv;
    if (threaded) {
        if (pipe(fds) != 0)
            return 1;
        pthread_create(&t, NULL, reader, NULL);
    }
    printf("ready\n");
    fflush(stdout);
    struct timespec ts = { 0, 250000000 };
    TIMED("nanosleep", 0.25, nanosleep(&ts, NULL));
    TIMED("usleep", 0.25, usleep(250000));
    TIMED("sleep", 1, (int)sleep(1));
    TIMED("poll", 0.25, poll(NULL, 0, 250));
    struct timeval tv = { 0, 250000 };
    TIMED("select", 0.25, select(0, NULL, NULL, NULL, &tv));
    int ep = epoll_create1(0);
    struct epoll_event ev;
    TIMED("epoll_wait", 0.25, epoll_wait(ep, &ev, 1, 250));
    sem_t sem;
    sem_init(&sem, 0, 0);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_nsec += 250000000;
    if (until.tv_nsec >= 1000000000) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000;
    }
    TIMED("sem_timedwait", 0.25, sem_timedwait(&sem, &until));
    sigset_t one;
    sigemptyset(&one);
    sigaddset(&one, SIGUSR2);
    sigprocmask(SIG_BLOCK, &one, NULL);
    TIMED("sigtimedwait", 0.25, sigtimedwait(&one, NULL, &ts));
    if (threaded) {
        close(fds[1]);
        pthread_join(t, NULL);
    }
    return 0;
}
