// dump_signal=11 would make every fault a live report, and the crash an endless stream of them: the option
// refuses it with one line, the default stays, and the crash is reported once before the process dies of it.
// DRIVER: ../drivers/fidelity.sh
// ENV: FIDELITY_ARGS=segv
// OPTIONS: dump_signal=11
// EXIT: signal 11
// EXPECT: ^status: same \(139\)$
// EXPECT-COUNT: 1 ^leakcheck: bad value in 'dump_signal=11' \(expected an integer 0-64 except [0-9,]+\), ignored$
// EXPECT-COUNT: 1 ^leakcheck: found unexpected threads
// REJECT: live report
#include "fidelity_abort.c"
