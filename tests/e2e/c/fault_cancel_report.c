// A report made on a program thread with a cancellation pending: the worker has cancelled itself (deferred, so
// pending until a cancellation point) and then relocks a mutex it holds. pthread_mutex_lock is no
// cancellation point, so without the shim the worker just hangs there; under the shim it must too, although the
// self-deadlock is reported at once from that very call, and reading debug info for the report makes calls
// that are cancellation points. The worker is still there when main looks, and the exit's verdict comes.
// EXIT: 66
// EXPECT-COUNT: 2 ^\[self-deadlock on mutex 0x[0-9a-f]+\]$
// EXPECT: ^leakcheck: 1 leaked, 1 misuse; exit status 66$
// STDOUT: ^worker still blocked in its relock$
// STDOUT-VARIES
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>
#include "../../stress/waitsys.h"

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static volatile int worker_tid;

static void *relock(void *arg)
{
    (void)arg;
    pthread_cancel(pthread_self());
    pthread_mutex_lock(&m);
    worker_tid = (int)syscall(SYS_gettid);
    pthread_mutex_lock(&m);
    return NULL;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, relock, NULL);
    while (!worker_tid)
        usleep(1000);
    wait_in_syscall(worker_tid, SYS_futex, 2000);
    usleep(100000);
    int r = pthread_tryjoin_np(t, NULL);
    printf(r == EBUSY ? "worker still blocked in its relock\n" : "worker ended (%d)\n", r);
    return 0;
}
