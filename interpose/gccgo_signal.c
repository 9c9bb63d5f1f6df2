/* os/signal under libgo: which signals the program asks for itself, and the channels it has them sent to.
 * Notify enables a signal through signal_enable, Ignore through signal_ignore, and Stop and Reset give it back
 * with signal_disable (libgo's runtime/sigqueue.go, called from os/signal through the PLT). From the first to
 * the last, Go's handler alone has the signal (signals.c): a program that catches SIGUSR1 gets no live report
 * with it, and one that shuts down cleanly on SIGTERM no report of dying of it. The bit is set before Go takes
 * the signal and cleared after it gives it back, so no signal between the two is taken for the shim's. */
#include "gccgo_int.h"
#include "signals.h"
#include "../runtime/chan.h"

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

/* signal.Notify(c, sigs...) and signal.Stop(c): the channels os/signal delivers to (runtime/chan.h). Notify
 * panics only for a nil channel, which is never kept. */
struct go_slice { void *p; intptr_t len, cap; };   /* passed in memory, as C passes a 24-byte struct */

GO_WRAPPER_ALIAS(void, go_signal_notify, "os_1signal.Notify", (void *c, struct go_slice sigs))
{
    chan_notify((uint64_t)(uintptr_t)c, 1);
    GO_NEXT(go_signal_notify)(c, sigs);
}

GO_WRAPPER_ALIAS(void, go_signal_stop, "os_1signal.Stop", (void *c))
{
    GO_NEXT(go_signal_stop)(c);
    chan_notify((uint64_t)(uintptr_t)c, 0);
}
