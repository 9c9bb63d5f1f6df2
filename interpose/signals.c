/* Signal handlers: set a bit and wake the shim's thread with a futex (both async-signal-safe: no malloc, no
 * stdio, no locks, no file descriptor of ours). A fatal signal (SIGTERM, SIGINT, SIGHUP, SIGALRM, SIGQUIT) is
 * reported once per process, by the shim's thread, before the process dies of it. */
#include "signals.h"
#include "lifecycle.h"
#include "shim_thread.h"
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
#define NFATAL (sizeof fatal_sigs / sizeof fatal_sigs[0])
static volatile uint64_t pending;       /* one bit per signal number */
static volatile int32_t wake_seq;
static volatile int32_t reports_done;   /* bumped after each fatal-signal report (Go handlers wait on it) */
static int fatal_seen;                  /* a fatal signal was taken: one report per process, then die */

int signals_is_fatal(int sig)
{
    for (size_t i = 0; i < NFATAL; i++)
        if (fatal_sigs[i] == sig)
            return 1;
    return 0;
}

void signals_die(int sig)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    sigaction(sig, &sa, NULL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    syscall(SYS_tgkill, getpid(), gettid(), sig);
}

static void wake(int sig)
{
    __atomic_or_fetch(&pending, 1ull << sig, __ATOMIC_SEQ_CST);
    __atomic_add_fetch(&wake_seq, 1, __ATOMIC_SEQ_CST);
    syscall(SYS_futex, &wake_seq, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

uint64_t signals_take_pending(void)
{
    return __atomic_exchange_n(&pending, 0, __ATOMIC_SEQ_CST);
}

int32_t signals_seq(void)
{
    return __atomic_load_n(&wake_seq, __ATOMIC_SEQ_CST);
}

void signals_wait(int32_t seen, const struct timespec *ts)
{
    syscall(SYS_futex, &wake_seq, FUTEX_WAIT_PRIVATE, seen, ts, NULL, 0);
}

void signals_fatal_reported(void)
{
    __atomic_add_fetch(&reports_done, 1, __ATOMIC_SEQ_CST);
    syscall(SYS_futex, &reports_done, FUTEX_WAKE_PRIVATE, 64, NULL, NULL, 0);
}

void signals_after_fork(void)
{
    pending = 0;
}

/* First taker of a fatal signal: 1 (go and report), later ones: 0 (just die). */
static int first_fatal(void)
{
    return shim_thread_running() && !shim_thread_stopping() &&
           __atomic_exchange_n(&fatal_seen, 1, __ATOMIC_SEQ_CST) == 0;
}

static void on_signal(int sig)
{
    int e = errno;
    if (signals_is_fatal(sig)) {
        if (shim_thread_stopping() && !lc_is_go)
            signals_die(sig);           /* already exiting: nobody will report it, die as the default would */
        else if (first_fatal())
            wake(sig);
        else if (!lc_is_go)             /* no thread to report, or a second fatal signal: die now */
            signals_die(sig);
        /* under libgo this is Go forwarding to the handler it replaced: it dies by itself afterwards */
    } else {
        wake(sig);
    }
    errno = e;
}

/* ---- under libgo ------------------------------------------------------------------------------------------
 * libgo installs its handler for every signal after our constructor, dropping ours. Once it has (the first
 * goroutine spawn from a goroutine), we go back in front of it and chain to it: the live dump works again and a
 * program's own signal.Notify still gets every signal. For a fatal signal the handler waits (bounded) for the
 * report before Go's handler ends the process. */
static struct sigaction go_prev[64];

static void chain_go(int sig, siginfo_t *info, void *uc)
{
    const struct sigaction *p = &go_prev[sig];
    if (p->sa_flags & SA_SIGINFO)
        p->sa_sigaction(sig, info, uc);
    else if (p->sa_handler != SIG_DFL && p->sa_handler != SIG_IGN)
        p->sa_handler(sig);
}

static void on_signal_go(int sig, siginfo_t *info, void *uc)
{
    int e = errno;
    if (signals_is_fatal(sig)) {
        if (first_fatal()) {
            int32_t before = __atomic_load_n(&reports_done, __ATOMIC_SEQ_CST);
            wake(sig);
            uint64_t end = lc_now_ns() + 4000000000ull;     /* a report never holds the exit up longer */
            while (__atomic_load_n(&reports_done, __ATOMIC_SEQ_CST) == before && lc_now_ns() < end) {
                struct timespec ts = { 0, 50 * 1000000 };
                syscall(SYS_futex, &reports_done, FUTEX_WAIT_PRIVATE, before, &ts, NULL, 0);
            }
        }
    } else {
        wake(sig);
    }
    errno = e;
    chain_go(sig, info, uc);
}

static void install_before_go(int sig)
{
    struct sigaction sa;
    if (sig <= 0 || sig >= 64 || sigaction(sig, NULL, &go_prev[sig]) != 0)
        return;
    if (go_prev[sig].sa_handler == SIG_IGN || go_prev[sig].sa_handler == SIG_DFL)
        return;                         /* not Go's: the program's parent or the program decided */
    sa = go_prev[sig];
    sa.sa_sigaction = on_signal_go;
    sa.sa_flags |= SA_SIGINFO | SA_ONSTACK | SA_RESTART;
    sigaction(sig, &sa, NULL);
}

/* fn for each signal the shim handles: the dump signal, and with fatal_signals the fatal ones (under Go not
 * SIGQUIT: Go's SIGQUIT dump exits through exit(), reported there). */
static void each_signal(void (*fn)(int), int go)
{
    if (lc_opt.dump_signal > 0 && lc_opt.dump_signal < 64)
        fn(lc_opt.dump_signal);
    if (lc_opt.fatal_signals)
        for (size_t i = 0; i < NFATAL; i++)
            if (!go || fatal_sigs[i] != SIGQUIT)
                fn(fatal_sigs[i]);
}

void signals_go_started(void)
{
    each_signal(install_before_go, 1);
}

static void install(int sig)
{
    struct sigaction old, sa;
    if (sig <= 0 || sig >= 64 || sigaction(sig, NULL, &old) != 0 || old.sa_handler != SIG_DFL)
        return;                         /* the program (or its parent) decided what this signal does */
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

void signals_install(void)
{
    each_signal(install, 0);
}
