// The shim under valgrind memcheck: threads created, joined, blocked on a mutex, a condition variable and a
// semaphore, one left blocked; the report (symbolizer included) runs under memcheck. No memcheck error (exit
// status 99 otherwise), the usual verdict, and the program's own output. The driver skips when valgrind is
// not installed.
// DRIVER: fault_valgrind.sh
// OPTIONS: grace_ms=50
// EXIT: 66
// EXPECT: ^ERROR SUMMARY: 0 errors
// EXPECT-COUNT: 1 ^leakcheck: found unexpected threads \(1 leaked in 1 groups?\)$
// EXPECT: ^\[1 thread blocked for [0-9]+\.[0-9]{2}s in pthread_cond_wait on cond 0x[0-9a-f]+\]$
// EXPECT: ^    never_told +.*fault_valgrind\.c:[0-9]+( |$)
// EXPECT: ^  created by main +.*fault_valgrind\.c:[0-9]+ +\(thread 1\)
// EXPECT: ^leakcheck: 1 leaked, 0 misuse; exit status 66$
// EXPECT: ^stdout: sum 4950$
// REJECT: ^SKIP
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static sem_t items;
static long sum;

static void *adder(void *arg)
{
    for (long i = (long)arg; i < 100; i += 4) {
        pthread_mutex_lock(&mu);
        sum += i;
        pthread_mutex_unlock(&mu);
        sem_post(&items);
    }
    return NULL;
}

static void *never_told(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&mu);
    for (;;)
        pthread_cond_wait(&cv, &mu);
    return NULL;
}

int main(void)
{
    pthread_t t[4], w;
    sem_init(&items, 0, 0);
    pthread_create(&w, NULL, never_told, NULL);
    for (long i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, adder, (void *)i);
    for (int i = 0; i < 100; i++)
        while (sem_wait(&items) != 0)
            ;
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    printf("sum %ld\n", sum);
    return 0;
}
