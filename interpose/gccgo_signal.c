/* os/signal under libgo: which signals the program asks for itself. Notify enables a signal through
 * signal_enable, Ignore through signal_ignore, and Stop and Reset give it back with signal_disable (libgo's
 * runtime/sigqueue.go, called from os/signal through the PLT). From the first to the last, Go's handler alone
 * has the signal (signals.c): a program that catches SIGUSR1 gets no live report with it, and one that shuts
 * down cleanly on SIGTERM no report of dying of it. The bit is set before Go takes the signal and cleared
 * after it gives it back, so no signal between the two is taken for the shim's. */
#include "gccgo_int.h"
#include "signals.h"

GO_WRAPPER_ALIAS(void, go_signal_enable, "os_1signal.signal__enable", (uint32_t sig))
{
    signals_go_catches((int)sig, 1);
    GO_NEXT(go_signal_enable)(sig);
}

GO_WRAPPER_ALIAS(void, go_signal_ignore, "os_1signal.signal__ignore", (uint32_t sig))
{
    signals_go_catches((int)sig, 1);
    GO_NEXT(go_signal_ignore)(sig);
}

GO_WRAPPER_ALIAS(void, go_signal_disable, "os_1signal.signal__disable", (uint32_t sig))
{
    GO_NEXT(go_signal_disable)(sig);
    signals_go_catches((int)sig, 0);
}
