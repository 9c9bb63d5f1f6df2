// A hung C program killed by SIGTERM (a CI timeout), 50 times: each run writes the verdict naming the stuck
// worker, then dies of SIGTERM as without the shim.
// DRIVER: ../drivers/fidelity.sh
// ENV: FIDELITY_SIGNAL=TERM
// ENV: FIDELITY_RUNS=50
// ENV: FIDELITY_REPORT=^    wait_for_work +.*stuck_worker\.h:[0-9]+( |$)
// EXIT: signal 15
// EXPECT: ^status: same \(143\)$
// EXPECT: ^runs: 50 of 50 the same$
// EXPECT: ^reports: 50 of 50$
// EXPECT: ^leakcheck: found unexpected threads \(1 leaked in 1 groups\)$
#include "stuck_worker.h"
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    pthread_t t = start_stuck_worker();
    usleep(20000);
    printf("ready\n");
    fflush(stdout);
    pthread_join(t, NULL);
    return 0;
}
