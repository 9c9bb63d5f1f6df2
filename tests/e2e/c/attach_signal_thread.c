// leakcheck attach on a C program that takes its signals the POSIX way: SIGTERM blocked everywhere and taken by
// a watcher in sigwait, a second thread in pause(), a third reading a pipe nobody writes. attach reads each from
// the kernel's view of the thread: the two signal waits are shown as waits for signals (which ones is the
// program's memory, not read), as the preload shows them, and the reader as a wait on its fd
// (attach_signal_thread.sh).
// DRIVER: attach_signal_thread.sh
// EXIT: 0
// EXPECT: ^attach: exit 0$
// EXPECT: ^leakcheck: live report \(pid PID, 4 tasks\)$
// EXPECT: ^\[1 thread blocked( for [0-9.]+s)? in sigtimedwait\]$
// EXPECT: ^    watcher +.*attach_signal_thread\.c:31$
// EXPECT: ^\[1 thread blocked( for [0-9.]+s)? in pause\]$
// EXPECT: ^    idler +.*attach_signal_thread\.c:39$
// EXPECT: ^\[1 thread blocked( for [0-9.]+s)? in read on fd [0-9]+\]$
// EXPECT: ^json: sigtimedwait waits on signals$
// EXPECT: ^json: pause waits on signals$
// EXPECT: ^json: read waits on fd$
// EXPECT: ^after: running$
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static sigset_t term;
static int feed[2];

static void *watcher(void *arg)
{
    for (int sig;;)
        if (sigwait(&term, &sig) == 0)
            printf("got signal %d\n", sig);
    return arg;
}

static void *idler(void *arg)
{
    for (;;)
        pause();
    return arg;
}

static void *reader(void *arg)
{
    char c;
    while (read(feed[0], &c, 1) > 0)
        ;
    return arg;
}

int main(void)
{
    sigemptyset(&term);
    sigaddset(&term, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &term, NULL);
    if (pipe(feed) != 0)
        return 1;
    pthread_t t[3];
    void *(*body[3])(void *) = { watcher, idler, reader };
    for (int i = 0; i < 3; i++)
        pthread_create(&t[i], NULL, body[i], NULL);
    printf("started\n");
    fflush(stdout);
    for (int i = 0; i < 3; i++)
        pthread_join(t[i], NULL);
    return 0;
}
