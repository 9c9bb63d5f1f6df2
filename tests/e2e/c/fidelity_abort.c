// A crash is reported before the process dies of it, as for SIGTERM: abort() with a worker blocked on a
// condition variable; the report names the worker, then the process dies of SIGABRT as without the shim.
// DRIVER: ../drivers/fidelity.sh
// ENV: FIDELITY_ARGS=abort
// EXIT: signal 6
// EXPECT: ^stdout: same$
// EXPECT: ^status: same \(134\)$
// EXPECT: ^leakcheck: found unexpected threads \(1 leaked in 1 groups\)$
// EXPECT: ^\[1 thread blocked for [0-9.]+s in pthread_cond_wait on cond 0x[0-9a-f]+\]$
// EXPECT: ^    wait_for_work +.*stuck_worker\.h:[0-9]+( |$)
// EXPECT: ^leakcheck: 1 leaked, 0 misuse; exit status 134$
#include "stuck_worker.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc <= 2)
        start_stuck_worker();
    usleep(100000);
    printf("crashing\n");
    fflush(stdout);
    if (argc > 1 && !strcmp(argv[1], "abort"))
        abort();
    *(volatile int *)(argc > 1 ? 0 : 16) = 1;    /* SIGSEGV */
    return 0;
}
