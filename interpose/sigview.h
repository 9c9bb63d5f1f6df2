/* The program's view of its signal dispositions, kept apart from the kernel's. For the few signals the shim
 * handles (signals.c says which), sigaction() and its relatives report and record what the program asked for,
 * while the kernel runs the shim's handler; the program never sees a handler it did not install.
 *
 * Two modes. C programs: the shim's handler is in the kernel only while the program's action is the default;
 * a handler or SIG_IGN of the program's own goes to the kernel as it is (the shim steps aside), and SIG_DFL
 * takes the signal back. libgo (gccgo), whose runtime installs a handler for every signal: the shim's handler
 * stays in front of Go's, with Go's flags and mask, and passes every signal on to it. gc-built Go (gc_*.c) and
 * an inactive shim leave every call as it is. */
#ifndef LC_SIGVIEW_H
#define LC_SIGVIEW_H
#include <signal.h>

enum lc_sv_mode { LC_SV_OFF, LC_SV_C, LC_SV_GO };
typedef void (*lc_sv_handler)(int, siginfo_t *, void *);

/* Start keeping views (from the constructor, once): the shim's handler for every signal it wants. */
void sigview_start(enum lc_sv_mode mode, lc_sv_handler handler);
enum lc_sv_mode sigview_mode(void);
/* The shim wants sig: its handler goes in where the program's action allows it (see above). */
void sigview_want(int sig);
/* The program takes sig as it is (it waits for it: sigwait, signalfd): the kernel gets its action. */
void sigview_release(int sig);
/* Whether the shim's handler is the kernel's action for sig now. */
int sigview_mine(int sig);
/* In the shim's handler, after its own work: what the program's action would have done. A handler of the
 * program's is called; for SIG_DFL, 1 is returned when that default would end the process (the caller dies of
 * sig), 0 when it ignores the signal. */
int sigview_chain(int sig, siginfo_t *info, void *uc);
/* The kernel's sigaction, for the shim's own use (never recorded as the program's). */
int lc_sigaction_real(int sig, const struct sigaction *act, struct sigaction *old);
/* fork: the lock that guards the views, held across fork (lifecycle.h's order: taken first). */
void sigview_fork_prepare(void);
void sigview_fork_release(void);
#endif
