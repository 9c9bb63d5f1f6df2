// A fatal signal that arrives while the shim is busy at exit (here: waiting grace_ms=5000 for a thread that
// keeps running) must still end the process at once, as it would without the shim: `timeout`, systemd and
// Ctrl-C have to keep working on a program that is exiting. SIGTERM is sent 300 ms after main returned; the
// process must be dead of SIGTERM well before the 5 s grace period is over.
// DRIVER: fault_signal_at_exit.sh
// OPTIONS: grace_ms=5000
// EXIT: signal 15
// EXPECT: ^stdout: main returning$
// EXPECT: ^dead within 2 s: yes$
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

static atomic_long spins;

static void *spin(void *arg)
{
    (void)arg;
    for (;;)
        atomic_fetch_add(&spins, 1);
    return NULL;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, spin, NULL);
    printf("main returning\n");
    fflush(stdout);
    return 0;
}
