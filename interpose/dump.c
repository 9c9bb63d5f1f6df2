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

static void on_signal(int sig)
{
    int e = errno;
    /* A second fatal signal, or no thread to report: die now, as the default action would. */
    if (is_fatal(sig) && (!thread_running || (pending & (1ull << sig)))) {
        die_of(sig);
        errno = e;
        return;
    }
    __atomic_or_fetch(&pending, 1ull << sig, __ATOMIC_SEQ_CST);
    __atomic_add_fetch(&wake_seq, 1, __ATOMIC_SEQ_CST);
    syscall(SYS_futex, &wake_seq, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
    errno = e;
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
