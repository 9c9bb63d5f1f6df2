// The same calls in a program of one thread, which has no thread of the shim's: the dump signal stays
// pending (blocked in the program's thread, which never sees it) and nothing is cut short. The live report
// waits until the program starts a thread; at exit there is nothing to say.
// DRIVER: ../drivers/fidelity.sh
// ENV: FIDELITY_DUMP=20
// ENV: FIDELITY_ARGS=single
// EXIT: 0
// EXPECT: ^stdout: same$
// EXPECT: ^status: same \(0\)$
// EXPECT: ^\| nanosleep: 0, full time$
// REJECT: early
// REJECT: ^leakcheck
#include "fidelity_sleep_dump.c"
