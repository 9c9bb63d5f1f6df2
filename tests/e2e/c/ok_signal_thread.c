// The POSIX way to take signals in a threaded program: block them everywhere, and let one thread take them in
// sigwait (here also a second in sigwaitinfo, and a third in pause(), which the shim does not wrap: the
// kernel's view of the thread says it waits for a signal). All still wait at exit, for a signal that may yet
// come: signal watchers, not leaks, so the verdict is quiet. The periodic reports (interval) show them blocked
// in their call, for the signals they wait for when the shim saw the set.
// OPTIONS: interval=100ms:grace_ms=50
// EXIT: 0
// REJECT: ^leakcheck: found
// EXPECT: ^\[1 thread blocked for [0-9]+\.[0-9]{2}s in sigwait for SIGHUP, SIGTERM\]$
// EXPECT: ^\[1 thread blocked for [0-9]+\.[0-9]{2}s in sigwaitinfo for SIGUSR2\]$
// EXPECT: ^\[1 thread blocked in pause\]$
// EXPECT: ^    watcher +.*ok_signal_thread\.c:29$
// STDOUT: ^watcher got signal 15$
// STDOUT: ^main done$
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

static sigset_t term, usr2;
static atomic_int got;

static void *watcher(void *arg)
{
    (void)arg;
    for (int sig;;)
        if (sigwait(&term, &sig) == 0)
            atomic_store(&got, sig);
    return NULL;
}

static void *info_watcher(void *arg)
{
    (void)arg;
    for (siginfo_t si;;)
        sigwaitinfo(&usr2, &si);
    return NULL;
}

static void *pauser(void *arg)
{
    (void)arg;
    for (;;)
        pause();
    return NULL;
}

int main(void)
{
    sigset_t all;
    sigemptyset(&term);
    sigaddset(&term, SIGTERM);
    sigaddset(&term, SIGHUP);
    sigemptyset(&usr2);
    sigaddset(&usr2, SIGUSR2);
    all = term;
    sigaddset(&all, SIGUSR2);
    pthread_sigmask(SIG_BLOCK, &all, NULL);
    pthread_t a, b, c;
    pthread_create(&a, NULL, watcher, NULL);
    pthread_create(&b, NULL, info_watcher, NULL);
    pthread_create(&c, NULL, pauser, NULL);
    usleep(50000);
    kill(getpid(), SIGTERM);
    for (int i = 0; i < 200 && !atomic_load(&got); i++)
        usleep(5000);
    printf("watcher got signal %d\n", atomic_load(&got));
    usleep(250000);                     /* a periodic report or two */
    printf("main done\n");
    return 0;
}
