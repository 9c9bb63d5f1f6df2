// A fault in a program of one thread, which has no thread of the shim's: a child process (a copy made in the
// handler) writes the report, here the clean verdict verbosity=2 prints, then the process dies of SIGSEGV.
// DRIVER: ../drivers/fidelity.sh
// ENV: FIDELITY_ARGS=segv single
// OPTIONS: verbosity=2
// EXIT: signal 11
// EXPECT: ^stdout: same$
// EXPECT: ^status: same \(139\)$
// EXPECT-COUNT: 1 ^leakcheck: no leaks \(pid [0-9]+, 0 suppressed\)$
#include "fidelity_abort.c"
