// A worker relocks a non-recursive mutex it holds and sleeps for ever; main goes on and exits. The self-deadlock is reported at once (the program may never end), and that report says the program
// goes on rather than naming an exit status; the exit's verdict then reports it again and sets the status.
// EXIT: 66
// EXPECT-COUNT: 2 ^\[self-deadlock on mutex 0x[0-9a-f]+\]$
// EXPECT-COUNT: 2 ^  at: +relock +.*lock_self_deadlock_goes_on\.c:22 +\(thread 2\)$
// EXPECT-COUNT: 1 ^leakcheck: 1 leaked, 1 misuse; the program goes on \(its exit gives the verdict\)$
// EXPECT-COUNT: 1 ^leakcheck: 1 leaked, 1 misuse; exit status 66$
// STDOUT: ^main done$
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>
#include "../../stress/waitsys.h"

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static volatile int worker_tid;

static void *relock(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&m);
    worker_tid = (int)syscall(SYS_gettid);
    pthread_mutex_lock(&m);
    return NULL;
}

int main(void)
{
    pthread_t a;
    pthread_create(&a, NULL, relock, NULL);
    while (!worker_tid)
        usleep(1000);
    wait_in_syscall(worker_tid, SYS_futex, 2000);
    printf("main done\n");
    return 0;
}
