/* Live reports. Signal handlers only set a bit and wake the dump thread with a futex (both async-signal-safe:
 * no malloc, no stdio, no locks, no file descriptor of ours). The dump thread makes live reports (dump signal),
 * the report of a fatal signal before dying of it, periodic snapshots (interval) and the max_tasks alert. */
#include "dump.h"
#include "shim.h"
#include "deadlock_watch.h"
#include "../runtime/lock.h"
#include "../runtime/options.h"
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static const int fatal_sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGALRM, SIGQUIT };
static volatile uint64_t pending;       /* one bit per signal number */
static volatile int32_t wake_seq;
static volatile int32_t reports_done;   /* bumped after each fatal-signal report (Go handlers wait on it) */
static int fatal_seen;                  /* a fatal signal was taken: one report per process, then die */
static int thread_running, stopping;

static int is_fatal(int sig)
{
    for (size_t i = 0; i < sizeof fatal_sigs / sizeof fatal_sigs[0]; i++)
        if (fatal_sigs[i] == sig)
            return 1;
    return 0;
}

static void die_of(int sig)
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

/* First taker of a fatal signal: 1 (go and report), later ones: 0 (just die). */
static int first_fatal(void)
{
    return thread_running && !stopping && __atomic_exchange_n(&fatal_seen, 1, __ATOMIC_SEQ_CST) == 0;
}

static void on_signal(int sig)
{
    int e = errno;
    if (is_fatal(sig)) {
        if (stopping && !lc_is_go)      /* already exiting: nobody will report it, die as the default would */
            die_of(sig);
        else if (first_fatal())
            wake(sig);
        else if (!lc_is_go)             /* no thread to report, or a second fatal signal: die now */
            die_of(sig);
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
    if (is_fatal(sig)) {
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

void lc_go_runtime_started(void)
{
    if (lc_opt.dump_signal > 0 && lc_opt.dump_signal < 64)
        install_before_go(lc_opt.dump_signal);
    if (lc_opt.fatal_signals)
        for (size_t i = 0; i < sizeof fatal_sigs / sizeof fatal_sigs[0]; i++)
            if (fatal_sigs[i] != SIGQUIT)   /* Go's SIGQUIT dump exits through exit(): reported there */
                install_before_go(fatal_sigs[i]);
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

static uint64_t live_tasks(void)
{
    return task_count();
}

static void *dump_main(void *unused)
{
    (void)unused;
    lc_in_shim = 1;                     /* everything this thread calls goes straight to the real functions */
    uint64_t next_periodic = lc_opt.interval > 0 ? lc_now_ns() + (uint64_t)lc_opt.interval * 1000000u : 0;
    int alerted = 0;
    uint64_t next_deadlock = 0;
    for (;;) {
        int32_t seen = __atomic_load_n(&wake_seq, __ATOMIC_SEQ_CST);
        uint64_t bits = __atomic_exchange_n(&pending, 0, __ATOMIC_SEQ_CST);
        for (int sig = 1; sig < 64 && !stopping; sig++) {
            if (!(bits & (1ull << sig)))
                continue;
            if (is_fatal(sig)) {
                lc_report(LC_REASON_SIGNAL, sig, 128 + sig);
                if (lc_is_go) {                 /* Go's own handler, waiting for us, does the dying */
                    __atomic_add_fetch(&reports_done, 1, __ATOMIC_SEQ_CST);
                    syscall(SYS_futex, &reports_done, FUTEX_WAKE_PRIVATE, 64, NULL, NULL, 0);
                    continue;
                }
                die_of(sig);
            } else {
                lc_report(LC_REASON_DUMP, sig, 0);
            }
        }
        uint64_t now = lc_now_ns();
        if (!stopping && next_periodic && now >= next_periodic) {
            lc_report(LC_REASON_PERIODIC, 0, 0);
            next_periodic = now + (uint64_t)lc_opt.interval * 1000000u;
        }
        if (!stopping && lc_opt.max_tasks > 0) {
            int over = live_tasks() > (uint64_t)lc_opt.max_tasks;
            if (over && !alerted)
                lc_report(LC_REASON_ALERT, 0, 0);
            alerted = over;
        }
        if (!stopping && lc_opt.deadlock_check_ms > 0 && now >= next_deadlock) {
            lc_deadlock_tick();
            next_deadlock = lc_now_ns() + (uint64_t)lc_opt.deadlock_check_ms * 1000000u;
        }
        /* Sleep until a signal, or the next tick when periodic work is on. */
        struct timespec ts = { 0, 100 * 1000000 }, *tp = NULL;
        if (next_periodic || lc_opt.max_tasks > 0 || lc_opt.deadlock_check_ms > 0)
            tp = &ts;
        if (lc_opt.deadlock_check_ms > 0 && lc_opt.deadlock_check_ms < 200)
            ts.tv_nsec = (lc_opt.deadlock_check_ms / 2 + 1) * 1000000L;
        syscall(SYS_futex, &wake_seq, FUTEX_WAIT_PRIVATE, seen, tp, NULL, 0);
    }
    return NULL;
}

static void start_thread(void)
{
    pthread_attr_t a;
    pthread_t th;
    sigset_t all, old;
    sigfillset(&all);
    pthread_attr_init(&a);
    pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&a, 1 << 20);
    pthread_sigmask(SIG_SETMASK, &all, &old);   /* the thread starts with every signal blocked */
    lc_in_shim++;
    thread_running = pthread_create(&th, &a, dump_main, NULL) == 0;
    lc_in_shim--;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    pthread_attr_destroy(&a);
    if (thread_running)
        pthread_setname_np(th, "leakcheck");
}

void lc_dump_start(void)
{
    if (lc_opt.dump_signal > 0 && lc_opt.dump_signal < 64)
        install(lc_opt.dump_signal);
    if (lc_opt.fatal_signals)
        for (size_t i = 0; i < sizeof fatal_sigs / sizeof fatal_sigs[0]; i++)
            install(fatal_sigs[i]);
    start_thread();
}

void lc_dump_stop(void)
{
    stopping = 1;
}

void lc_dump_after_fork(void)
{
    pending = 0;
    thread_running = 0;
    stopping = 0;
    start_thread();
}
