// log_path=DIR/lc sends the verdict to DIR/lc.PID and nothing to stderr.
// DRIVER: log_path.sh
// OPTIONS: grace_ms=100
// EXIT: 66
// EXPECT: ^stderr bytes: 0$
// EXPECT-COUNT: 1 ^log file: lc\.[0-9]+$
// EXPECT: ^log file for pid: found$
// EXPECT: ^leakcheck: found unexpected threads \(1 leaked in 1 groups?\)$
// EXPECT: ^\[1 thread blocked for [0-9]+\.[0-9]{2}s in pthread_cond_wait on cond 0x[0-9a-f]+\]$
// EXPECT: ^    flusher +.*log_path\.c:26( |$)
// EXPECT: ^leakcheck: 1 leaked, 0 misuse; exit status 66$
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t dirty = PTHREAD_COND_INITIALIZER;
static int ndirty, flusher_idle;

static void *flusher(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&mu);
    flusher_idle = 1;
    while (ndirty == 0)
        pthread_cond_wait(&dirty, &mu);
    pthread_mutex_unlock(&mu);
    return NULL;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, flusher, NULL);
    printf("pid %d\n", (int)getpid());
    for (int w = 0; !w; usleep(1000)) { /* until the flusher is inside its wait (mu free again) */
        pthread_mutex_lock(&mu);
        w = flusher_idle;
        pthread_mutex_unlock(&mu);
    }
    return 0;
}
