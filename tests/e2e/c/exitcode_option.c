// exitcode=42: a leak turns the successful exit into status 42. The leaked thread waits with a far deadline.
// OPTIONS: exitcode=42:grace_ms=100
// EXIT: 42
// EXPECT: ^leakcheck: found unexpected threads \(1 leaked in 1 groups?\)$
// EXPECT: ^\[1 thread blocked for [0-9]+\.[0-9]{2}s in pthread_cond_timedwait on cond 0x[0-9a-f]+\]$
// EXPECT: ^    lease_renewer +.*exitcode_option\.c:27( |$)
// EXPECT: ^leakcheck: 1 leaked, 0 misuse; exit status 42$
// REJECT: exit status 66
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cancel_cv = PTHREAD_COND_INITIALIZER;
static int cancelled, renewing;

static void *lease_renewer(void *arg)
{
    struct timespec deadline;
    (void)arg;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += 3600;
    pthread_mutex_lock(&mu);
    renewing = 1;
    while (!cancelled)
        if (pthread_cond_timedwait(&cancel_cv, &mu, &deadline) != 0)
            break;
    pthread_mutex_unlock(&mu);
    return NULL;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, lease_renewer, NULL);
    for (int w = 0; !w; usleep(1000)) { /* until the renewer is inside its wait (mu free again) */
        pthread_mutex_lock(&mu);
        w = renewing;
        pthread_mutex_unlock(&mu);
    }
    printf("lease held\n");
    return 0;
}
