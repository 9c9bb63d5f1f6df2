// A fault (SIGSEGV on a null pointer) with a worker blocked: reported first, then the process dies of
// SIGSEGV as without the shim.
// DRIVER: ../drivers/fidelity.sh
// ENV: FIDELITY_ARGS=segv
// EXIT: signal 11
// EXPECT: ^stdout: same$
// EXPECT: ^status: same \(139\)$
// EXPECT: ^leakcheck: found unexpected threads \(1 leaked in 1 groups\)$
// EXPECT: ^    wait_for_work +.*stuck_worker\.h:[0-9]+( |$)
// EXPECT: ^leakcheck: 1 leaked, 0 misuse; exit status 139$
#include "fidelity_abort.c"
