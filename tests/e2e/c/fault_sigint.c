// A program that never returns from main is interrupted with SIGINT (Ctrl-C): the verdict is printed first,
// then the process dies of signal 2 as it would without the shim. The driver starts it with SIGINT at its
// default action (a shell ignores SIGINT in background jobs, and the shim leaves ignored signals alone).
// DRIVER: fault_sigint.sh
// OPTIONS: grace_ms=50
// EXIT: signal 2
// EXPECT-COUNT: 1 ^leakcheck: found unexpected threads \(2 leaked in 1 groups?\)$
// EXPECT: ^\[2 threads blocked for [0-9]+\.[0-9]{2}s( \(newest [0-9.]+s\))? in pthread_mutex_lock on mutex 0x[0-9a-f]+
// EXPECT: ^    take_turn +.*fault_sigint\.c:[0-9]+( |$)
// EXPECT: ^  created by main +.*fault_sigint\.c:[0-9]+ +\(thread 1\)
// EXPECT: ^leakcheck: 2 leaked, 0 misuse; exit status 130$
// EXPECT: ^stdout: ready$
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t turn = PTHREAD_MUTEX_INITIALIZER;

static void *take_turn(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&turn);
    pthread_mutex_unlock(&turn);
    return NULL;
}

int main(void)
{
    pthread_t t[2];
    pthread_mutex_lock(&turn);          /* main keeps it: both threads wait */
    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, take_turn, NULL);
    printf("ready\n");
    fflush(stdout);
    for (;;)
        pause();
}
