// A hung C program killed by SIGTERM (a CI timeout), 50 times: each run writes the verdict naming the stuck
// worker, then dies of SIGTERM as without the shim.
// DRIVER: ../drivers/fidelity.sh
// ENV: FIDELITY_SIGNAL=TERM
// ENV: FIDELITY_RUNS=50
// ENV: FIDELITY_REPORT=^    wait_for_work +.*fidelity_sigterm\.c:[0-9]+( |$)
// EXIT: signal 15
// EXPECT: ^status: same \(143\)$
// EXPECT: ^runs: 50 of 50 the same$
// EXPECT: ^reports: 50 of 50$
// EXPECT: ^leakcheck: found unexpected threads \(1 leaked in 1 groups\)$
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;

static void *wait_for_work(void *arg)
{
    pthread_mutex_lock(&mu);
    pthread_cond_wait(&cv, &mu);
    return arg;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, wait_for_work, NULL);
    usleep(20000);
    printf("ready\n");
    fflush(stdout);
    pthread_join(t, NULL);
    return 0;
}
