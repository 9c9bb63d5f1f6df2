/* The shim's thread and its ticks: signals taken (dump, fatal), periodic reports, the max_tasks alert and the
 * deadlock check. A deadlock is a state seen twice, a short pause apart, with no task having changed state in
 * between: a task that was only about to wake (marked blocked around a call that is returning) has moved by
 * then. */
#include "shim_thread.h"
#include "lifecycle.h"
#include "resolve.h"
#include "signals.h"
#include "../runtime/deadlock.h"
#include "../report/report.h"
#include "../runtime/lock.h"
#include "../runtime/options.h"
#include "../runtime/task.h"
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int thread_running, stopping;

int shim_thread_running(void) { return thread_running; }
int shim_thread_stopping(void) { return stopping; }

/* ---- the deadlock check ------------------------------------------------------------------------------------ */

static uint64_t reported;               /* signature of the last state reported (deadlock_exit=0) */

/* Threads of this process the kernel knows of (0 when unknown), read with raw system calls. */
static long os_threads(void)
{
    char buf[4096];
    long fd = syscall(SYS_openat, AT_FDCWD, "/proc/self/status", O_RDONLY | O_CLOEXEC), n = 0;
    if (fd < 0)
        return 0;
    long got = syscall(SYS_read, fd, buf, sizeof buf - 1);
    syscall(SYS_close, fd);
    if (got > 0) {
        buf[got] = 0;
        const char *p = strstr(buf, "\nThreads:");
        n = p ? strtol(p + 9, NULL, 10) : 0;
    }
    return n;
}

/* Whether some thread the shim does not track exists (made before start-up, or by a library's constructor):
 * it might be about to wake a task, so "all asleep" cannot be claimed. Besides the tracked ones there is this
 * thread, and finished threads that may still be on their way out. */
static int untracked_threads(const struct lc_snapshot *s)
{
    long known = 1;
    for (size_t i = 0; i < s->ntasks; i++)
        if (s->tasks[i].kind == LC_THREAD)
            known++;
    long n = os_threads();
    return n > known;
}

/* 0 nothing, else the state's signature. */
static uint64_t deadlock_state(void)
{
    struct lc_snapshot s;
    uint64_t sig = 0;
    lc_lifecycle_refresh(1);
    if (snapshot_take(&s, 100) != 0)
        return 0;
    int exiting = 0;                    /* exit() is under way: its own report covers everything */
    for (size_t i = 0; i < s.ntasks; i++)
        exiting |= (s.tasks[i].flags & LC_TF_EXITING) != 0;
    if (!exiting && ((deadlock_all_asleep(&s) && !untracked_threads(&s)) || deadlock_stuck(&s)))
        sig = deadlock_signature(&s) | 1;
    snapshot_free(&s);
    return sig;
}

/* One line, where reports go, when the verdict printed nothing (no leaked task: main alone is stuck). */
static void say_asleep(int code)
{
    char line[160];
    if (lc_opt.verbosity <= 0)
        return;
    int n = snprintf(line, sizeof line, "leakcheck: all threads are asleep - deadlock! (pid %d); exit status %d\n",
                     (int)getpid(), lc_opt.deadlock_exit ? lc_opt.exitcode : code);
    int fd = report_open_fd(0);
    if (n > 0)
        syscall(SYS_write, fd, line, (size_t)n);
    if (fd != STDERR_FILENO)
        syscall(SYS_close, fd);
}

/* Every deadlock_check_ms: when no task can make progress, or tasks wait for each other in a cycle, and that is
 * still so a moment later, report; with deadlock_exit, end the program. */
static void deadlock_tick(void)
{
    uint64_t sig = deadlock_state();
    if (!sig)
        return;
    long pause_ms = lc_opt.deadlock_check_ms / 4;
    pause_ms = pause_ms < 5 ? 5 : pause_ms > 50 ? 50 : pause_ms;
    struct timespec ts = { 0, pause_ms * 1000000 };
    nanosleep(&ts, NULL);
    if (deadlock_state() != sig)
        return;
    int code = lc_opt.deadlock_exit ? lc_opt.exitcode : 0;
    if (sig != reported) {
        struct lc_verdict v = lc_report(LC_REASON_DEADLOCK, 0, code);
        if (!v.leaked && !v.misuse && !v.deadlocks && !v.suppressed)
            say_asleep(code);           /* only the main thread is stuck: the verdict itself had nothing */
    }
    reported = sig;
    if (lc_opt.deadlock_exit) {
        fcloseall();                    /* flush the program's stdio as exit() would, then leave */
        _exit(lc_opt.exitcode);
    }
}

/* ---- the thread -------------------------------------------------------------------------------------------- */

static void take_signals(void)
{
    uint64_t bits = signals_take_pending();
    for (int sig = 1; sig < 64 && !stopping; sig++) {
        if (!(bits & (1ull << sig)))
            continue;
        if (signals_is_fatal(sig)) {
            lc_report(LC_REASON_SIGNAL, sig, 128 + sig);
            if (lc_is_go) {             /* Go's own handler, waiting for us, does the dying */
                signals_fatal_reported();
                continue;
            }
            signals_die(sig);
        } else {
            lc_report(LC_REASON_DUMP, sig, 0);
        }
    }
}

static void *shim_main(void *unused)
{
    (void)unused;
    lc_in_shim = 1;                     /* everything this thread calls goes straight to the real functions */
    uint64_t next_periodic = lc_opt.interval > 0 ? lc_now_ns() + (uint64_t)lc_opt.interval * 1000000u : 0;
    int alerted = 0;
    uint64_t next_deadlock = 0;
    for (;;) {
        int32_t seen = signals_seq();
        take_signals();
        uint64_t now = lc_now_ns();
        if (!stopping && next_periodic && now >= next_periodic) {
            lc_report(LC_REASON_PERIODIC, 0, 0);
            next_periodic = now + (uint64_t)lc_opt.interval * 1000000u;
        }
        if (!stopping && lc_opt.max_tasks > 0) {
            lc_lifecycle_refresh(0);
            int over = task_count() > (uint64_t)lc_opt.max_tasks;
            if (over && !alerted)
                lc_report(LC_REASON_ALERT, 0, 0);
            alerted = over;
        }
        if (!stopping && lc_opt.deadlock_check_ms > 0 && now >= next_deadlock) {
            deadlock_tick();
            next_deadlock = lc_now_ns() + (uint64_t)lc_opt.deadlock_check_ms * 1000000u;
        }
        /* Sleep until a signal, or the next tick when periodic work is on. */
        struct timespec ts = { 0, 100 * 1000000 }, *tp = NULL;
        if (next_periodic || lc_opt.max_tasks > 0 || lc_opt.deadlock_check_ms > 0)
            tp = &ts;
        if (lc_opt.deadlock_check_ms > 0 && lc_opt.deadlock_check_ms < 200)
            ts.tv_nsec = (lc_opt.deadlock_check_ms / 2 + 1) * 1000000L;
        signals_wait(seen, tp);
    }
    return NULL;
}

void shim_thread_start(void)
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
    thread_running = pthread_create(&th, &a, shim_main, NULL) == 0;
    lc_in_shim--;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    pthread_attr_destroy(&a);
    if (thread_running)
        pthread_setname_np(th, "leakcheck");
}

void shim_thread_stop(void)
{
    stopping = 1;
}

void shim_thread_after_fork(void)
{
    signals_after_fork();
    thread_running = 0;
    stopping = 0;
    shim_thread_start();
}
