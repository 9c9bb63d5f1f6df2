// exit() racing thread creation: three creator threads start threads (joinable and detached) as fast as they
// can while the program ends after a few milliseconds: main calls exit(), main returns, or a creator thread
// calls exit(). Six runs with different timings: no crash, no hang, and a sane verdict every time (one
// summary, one closing line with the same count, exit status 66: the creators are still running).
// DRIVER: fault_exit_race.sh
// OPTIONS: grace_ms=30
// EXIT: 0
// EXPECT: ^runs: 6$
// EXPECT: ^exit status 66: 6$
// EXPECT: ^timed out: 0$
// EXPECT: ^one summary and one closing line: 6$
// EXPECT: ^counts agree: 6$
// EXPECT: ^at least 2 leaked: 6$
// EXPECT: ^creators named: 6$
// EXPECT: ^other stderr lines: 0$
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static atomic_long started;
static int mode, delay_us;

static void *tiny(void *arg)
{
    atomic_fetch_add(&started, 1);
    return arg;
}

static void *creator(void *arg)
{
    long id = (long)arg;
    pthread_attr_t det;
    pthread_attr_init(&det);
    pthread_attr_setdetachstate(&det, PTHREAD_CREATE_DETACHED);
    for (long n = 0;; n++) {
        pthread_t t;
        if (pthread_create(&t, n % 2 ? &det : NULL, tiny, NULL) == 0 && n % 2 == 0)
            pthread_join(t, NULL);
        if (mode == 2 && id == 0 && n == 200)
            exit(0);                    /* a creator ends the program */
    }
    return NULL;
}

int main(int argc, char **argv)
{
    mode = argc > 1 ? atoi(argv[1]) : 0;
    delay_us = argc > 2 ? atoi(argv[2]) : 2000;
    pthread_t t;
    for (long i = 0; i < 3; i++)
        pthread_create(&t, NULL, creator, (void *)i);
    if (mode == 2)
        for (;;)
            pause();
    usleep((useconds_t)delay_us);
    if (mode == 1)
        return 0;
    exit(0);
}
