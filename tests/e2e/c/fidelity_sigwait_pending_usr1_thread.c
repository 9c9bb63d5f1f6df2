// Fidelity: as fidelity_sigwait_pending_usr1.c, but SIGUSR1 is sent with a thread of the program running (the
// shim's thread is there too). It is still the program's: no live report, sigwait returns it.
// EXIT: 0
// REJECT: ^leakcheck
// STDOUT: ^got 10$
#define THREAD_FIRST 1
#include "fidelity_sigwait_pending_usr1.c"
