/* Signal handlers: the dump signal, the fatal ones (SIGTERM, SIGINT, SIGHUP, SIGALRM, SIGQUIT) and the crashes
 * (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT). The handler sets a bit and wakes the shim's thread with a futex
 * (both async-signal-safe: no malloc, no stdio, no locks, no file descriptor of ours), then does what the
 * program's own action would have done (sigview.c): Go's handler under libgo, the default action otherwise.
 * A fatal signal or a crash is reported once per process before the process dies of it: the thread that took
 * it waits (at most 4 s) for the shim's thread to write the report, or, when there is no such thread (a
 * process with one thread), for a child process that writes it from a copy of the process (fork_report.c). */
#include "signals.h"
#include "fork_report.h"
#include "lifecycle.h"
#include "shim_thread.h"
#include "sigmask.h"
#include "sigview.h"
#include "../runtime/lock.h"
#include "../runtime/options.h"
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static const int fatal_sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGALRM, SIGQUIT };
static const int crash_sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
#define N(a) (sizeof a / sizeof a[0])
#define REPORT_WAIT_NS 4000000000ull    /* a report never holds a dying process up longer */

static volatile uint64_t pending;       /* one bit per signal number */
static volatile uint64_t go_caught;     /* one bit per signal the Go program asked for (libgo) */
static volatile int32_t wake_seq;
enum { FATAL_NONE, FATAL_REPORTING, FATAL_DONE };
static volatile int32_t fatal_state;    /* one fatal report per process */
static uint64_t fatal_deadline;

static int in(const int *set, size_t n, int sig)
{
    for (size_t i = 0; i < n; i++)
        if (set[i] == sig)
            return 1;
    return 0;
}

int signals_is_fatal(int sig)
{
    return sig != lc_opt.dump_signal && (in(fatal_sigs, N(fatal_sigs), sig) || in(crash_sigs, N(crash_sigs), sig));
}

void signals_die(int sig)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    lc_sigaction_real(sig, &sa, NULL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    syscall(SYS_rt_sigprocmask, SIG_UNBLOCK, &set, NULL, sizeof(long));
    syscall(SYS_tgkill, getpid(), gettid(), sig);
}

/* Die of sig as the default action would, where the crash happened when the kernel raised it for a fault (the
 * faulting instruction runs again with the default action, and the core shows it). */
static void die_of(int sig, const siginfo_t *info)
{
    int fault = info && info->si_code > 0 && sig != SIGABRT && in(crash_sigs, N(crash_sigs), sig);
    if (!fault) {
        signals_die(sig);
        return;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    lc_sigaction_real(sig, &sa, NULL);
}

void signals_kick(void);
static void wake(int sig)
{
    __atomic_or_fetch(&pending, 1ull << sig, __ATOMIC_SEQ_CST);
    signals_kick();
}

uint64_t signals_take_pending(void)
{
    return __atomic_exchange_n(&pending, 0, __ATOMIC_SEQ_CST);
}

int32_t signals_seq(void)
{
    return __atomic_load_n(&wake_seq, __ATOMIC_SEQ_CST);
}

void signals_kick(void)
{
    __atomic_add_fetch(&wake_seq, 1, __ATOMIC_SEQ_CST);
    syscall(SYS_futex, &wake_seq, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

int signals_has_pending(void)
{
    return __atomic_load_n(&pending, __ATOMIC_SEQ_CST) != 0;
}

void signals_wait(int32_t seen, const struct timespec *ts)
{
    syscall(SYS_futex, &wake_seq, FUTEX_WAIT_PRIVATE, seen, ts, NULL, 0);
}

void signals_fatal_reported(void)
{
    __atomic_store_n(&fatal_state, FATAL_DONE, __ATOMIC_SEQ_CST);
    syscall(SYS_futex, &fatal_state, FUTEX_WAKE_PRIVATE, 64, NULL, NULL, 0);
}

void signals_after_fork(void)
{
    pending = 0;
}

/* The report of a fatal signal: written once, by the shim's thread or a child process; every thread that
 * takes one waits for it (up to the first one's deadline) before its own action goes on. */
static void fatal_report(int sig)
{
    int32_t none = FATAL_NONE;
    if (__atomic_compare_exchange_n(&fatal_state, &none, FATAL_REPORTING, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
        __atomic_store_n(&fatal_deadline, lc_now_ns() + REPORT_WAIT_NS, __ATOMIC_SEQ_CST);
        if (shim_thread_running() && !shim_thread_is_self()) {
            wake(sig);
        } else {
            if (sigview_mode() == LC_SV_C)
                fork_report(sig);       /* waits for the child */
            signals_fatal_reported();
        }
    }
    while (__atomic_load_n(&fatal_state, __ATOMIC_SEQ_CST) == FATAL_REPORTING &&
           lc_now_ns() < __atomic_load_n(&fatal_deadline, __ATOMIC_SEQ_CST)) {
        if (!shim_thread_running() && !shim_thread_is_self() && sigview_mode() == LC_SV_C &&
            signals_take_pending() != 0) {
            /* the thread left just before it could see the signal: the report is made without it */
            fork_report(sig);
            signals_fatal_reported();
            break;
        }
        struct timespec ts = { 0, 50 * 1000000 };
        syscall(SYS_futex, &fatal_state, FUTEX_WAIT_PRIVATE, FATAL_REPORTING, &ts, NULL, 0);
    }
}

void signals_go_catches(int sig, int on)
{
    if (sig <= 0 || sig >= 64)
        return;
    if (on)
        __atomic_or_fetch(&go_caught, 1ull << sig, __ATOMIC_SEQ_CST);
    else
        __atomic_and_fetch(&go_caught, ~(1ull << sig), __ATOMIC_SEQ_CST);
}

static void on_signal(int sig, siginfo_t *info, void *uc)
{
    int e = errno;
    if (sigview_mode() == LC_SV_GO && (__atomic_load_n(&go_caught, __ATOMIC_SEQ_CST) >> sig & 1)) {
        sigview_chain(sig, info, uc);   /* the program's own: Go queues it for signal.Notify, or drops it */
    } else if (!signals_is_fatal(sig)) {
        wake(sig);                      /* the dump signal: a live report */
        if (sigview_mode() == LC_SV_GO)
            sigview_chain(sig, info, uc);
    } else {
        /* No report once the exit is under way (its own report covers it), nor from the report's own code. */
        if (!shim_thread_stopping() && !shim_thread_is_self() && !fork_report_child())
            fatal_report(sig);
        if (sigview_chain(sig, info, uc))
            die_of(sig, info);
    }
    errno = e;
}

/* The signals the shim handles: the dump signal, and with fatal_signals the fatal ones (under libgo not
 * SIGQUIT, whose goroutine dump exits through exit(), reported there) and in C programs the crashes (Go turns
 * faults into panics). */
void signals_install(int go)
{
    sigview_start(go ? LC_SV_GO : LC_SV_C, on_signal);
    int dump = lc_opt.dump_signal;
    if (!go)
        sigmask_start(dump);
    if (dump > 0)
        sigview_want(dump);
    for (size_t i = 0; lc_opt.fatal_signals && i < N(fatal_sigs); i++)
        if (!go || fatal_sigs[i] != SIGQUIT)
            sigview_want(fatal_sigs[i]);
    for (size_t i = 0; lc_opt.fatal_signals && !go && i < N(crash_sigs); i++)
        sigview_want(crash_sigs[i]);
}
