// The program fails on its own (status 3) and leaks a thread: the program's status wins over exitcode.
// OPTIONS: grace_ms=100
// EXIT: 3
// EXPECT: ^leakcheck: found unexpected threads \(1 leaked in 1 groups?\)$
// EXPECT: ^\[1 thread blocked for [0-9]+\.[0-9]{2}s in pthread_cond_wait on cond 0x[0-9a-f]+\]$
// EXPECT: ^    wait_reply +.*program_failed\.c:24( |$)
// EXPECT: ^leakcheck: 1 leaked, 0 misuse; exit status 3$
// REJECT: exit status 66
// STDOUT: ^error: no reply$
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t replied = PTHREAD_COND_INITIALIZER;
static int have_reply, waiting;

static void *wait_reply(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&mu);
    waiting = 1;
    while (!have_reply)
        pthread_cond_wait(&replied, &mu);
    pthread_mutex_unlock(&mu);
    return NULL;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, wait_reply, NULL);
    for (int w = 0; !w; usleep(1000)) { /* until the waiter is inside its wait (mu free again) */
        pthread_mutex_lock(&mu);
        w = waiting;
        pthread_mutex_unlock(&mu);
    }
    printf("error: no reply\n");
    return 3;
}
