// A signal-handling thread calls exit(0) while main waits in pthread_join; the exiting thread and main are not
// leaks, but a watcher left waiting on a condition is.
// OPTIONS: grace_ms=100
// EXIT: 66
// EXPECT: ^leakcheck: found unexpected threads \(1 leaked in 1 groups?\)$
// EXPECT: ^\[1 thread blocked for [0-9]+\.[0-9]{2}s in pthread_cond_wait on cond 0x[0-9a-f]+\]$
// EXPECT: ^    watcher +.*exit_from_thread\.c:30( |$)
// EXPECT: ^  created by main +.*exit_from_thread\.c:51 +\(thread 1\)
// EXPECT: ^leakcheck: 1 leaked, 0 misuse; exit status 66$
// EXPECT-COUNT: 1 ^\[
// REJECT: shutdown_thread
// REJECT: pthread_join
// STDOUT: ^shutting down$
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static int generation, watching;

static void *watcher(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&mu);
    int seen = generation;
    watching = 1;
    while (generation == seen)
        pthread_cond_wait(&changed, &mu);
    pthread_mutex_unlock(&mu);
    return NULL;
}

static void *shutdown_thread(void *arg)
{
    (void)arg;
    /* Shut down once the watcher is in place (inside its wait once mu is free again). */
    for (int w = 0; !w; usleep(1000)) {
        pthread_mutex_lock(&mu);
        w = watching;
        pthread_mutex_unlock(&mu);
    }
    printf("shutting down\n");
    exit(0);
}

int main(void)
{
    pthread_t w, s;
    pthread_create(&w, NULL, watcher, NULL);
    pthread_create(&s, NULL, shutdown_thread, NULL);
    pthread_join(s, NULL);
    printf("not reached\n");
    return 1;
}
