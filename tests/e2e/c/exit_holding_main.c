// The main thread exits while holding a lock: the process ends with a lock held (Helgrind's "exiting thread
// still holds a lock"), reported with where it exited and where it took the lock. A detached worker that left
// through a raw SYS_exit (no pthread_exit, its TLS destructors never run) is gone, not "still running".
// OPTIONS: grace_ms=100
// EXIT: 66
// EXPECT: ^leakcheck: found misuse \(0 leaked in 0 groups, 1 misuse\)$
// EXPECT: ^\[thread exited holding a lock on mutex 0x[0-9a-f]+\]$
// EXPECT: ^  at: +shutdown +.*exit_holding_main\.c:30 +\(thread 1\)$
// EXPECT: ^  locked at: main +.*exit_holding_main\.c:38 +\(thread 1\)$
// REJECT: still running|raw_worker
// EXPECT: ^leakcheck: 0 leaked, 1 misuse; exit status 66$
// STDOUT: ^saved$
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

static pthread_mutex_t journal = PTHREAD_MUTEX_INITIALIZER;

static void *raw_worker(void *arg)
{
    syscall(SYS_exit, 0);             /* the kernel ends the thread; glibc never learns */
    return arg;
}

static void shutdown(void)
{
    puts("saved");
    exit(0);                          /* bug: journal is still locked */
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, raw_worker, NULL);
    pthread_detach(t);
    pthread_mutex_lock(&journal);
    usleep(20000);
    shutdown();
}
