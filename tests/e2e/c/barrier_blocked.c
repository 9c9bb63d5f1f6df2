// A pipeline of three stages meets at a barrier, but the third stage is never started: the two others wait
// forever, reported as one group of two.
// OPTIONS: grace_ms=100
// EXIT: 66
// EXPECT: ^leakcheck: found unexpected threads \(2 leaked in 1 groups?\)$
// EXPECT: ^\[2 threads blocked for [0-9]+\.[0-9]{2}s( \(newest [0-9]+\.[0-9]{2}s\))? in pthread_barrier_wait on barrier 0x[0-9a-f]+\]$
// EXPECT: ^    stage +.*barrier_blocked\.c:24( |$)
// EXPECT: ^  created by main +.*barrier_blocked\.c:34 +\(thread 1\)
// EXPECT-COUNT: 1 ^\[
// EXPECT: ^leakcheck: 2 leaked, 0 misuse; exit status 66$
// STDOUT: ^started 2 of 3 stages$
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

#define STAGES 3
static pthread_barrier_t ready;
static int arrived;

static void *stage(void *arg)
{
    (void)arg;
    __atomic_add_fetch(&arrived, 1, __ATOMIC_RELEASE);
    pthread_barrier_wait(&ready);
    return NULL;
}

int main(void)
{
    pthread_t t[STAGES];
    int started = 0;
    pthread_barrier_init(&ready, NULL, STAGES);
    for (int i = 0; i < STAGES - 1; i++) /* bug: off by one */
        started += pthread_create(&t[i], NULL, stage, NULL) == 0;
    printf("started %d of %d stages\n", started, STAGES);
    while (__atomic_load_n(&arrived, __ATOMIC_ACQUIRE) < started)
        usleep(1000);
    usleep(20 * 1000);
    return 0;
}
