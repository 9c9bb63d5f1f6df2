/* The shim's thread and its ticks: signals taken (dump, fatal), periodic reports, the max_tasks alert and the
 * deadlock check. The thread exists only while something needs it: from the program's second thread on (or
 * from the start when periodic work is asked for), and it leaves when the program is back to one thread for a
 * while, at once when the program has no thread left (the process then ends as it would without the shim), and
 * for the length of an unshare() or setns() that needs a single-threaded process. A deadlock is a state seen twice, a short pause apart, with no task having changed state in
 * between: a task that was only about to wake (marked blocked around a call that is returning) has moved by
 * then. */
#include "shim_thread.h"
#include "lifecycle.h"
#include "resolve.h"
#include "sigmask.h"
#include "signals.h"
#include "../runtime/deadlock.h"
#include "../report/report.h"
#include "../runtime/lock.h"
#include "../runtime/options.h"
#include "../runtime/task.h"
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int stopping;

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

enum { T_NONE, T_RUNNING, T_EXITED };   /* T_EXITED: it left by itself and is still to be joined */
static lc_lock_t life = LC_LOCK_INIT;   /* start, exit and pause decisions */
static volatile int state;
static pthread_t thread;
static LC_TLS int on_shim;              /* the calling thread is the shim's */
static int counted;                     /* C programs: prog_threads is kept */
static int always;                      /* periodic work: the thread stays from start-up on */
static volatile int32_t prog_threads = 1;
static volatile int quit;               /* asked to leave (shim_thread_pause) */
static volatile int32_t mask_req, mask_ack;
static volatile pid_t thread_tid;
static int dump_open;                   /* the dump signal is unblocked on this thread */
#define LINGER_NS 500000000ull          /* alone with one program thread that long: leave */

LC_REAL_DECL(int, pthread_create, (pthread_t *, const pthread_attr_t *, void *(*)(void *), void *));
LC_REAL_DECL(int, pthread_join, (pthread_t, void **));

int shim_thread_running(void) { return __atomic_load_n(&state, __ATOMIC_SEQ_CST) == T_RUNNING; }
int shim_thread_stopping(void) { return stopping; }
int shim_thread_is_self(void) { return on_shim; }

static void take_signals(void)
{
    uint64_t bits = signals_take_pending();
    for (int sig = 1; sig < 64 && !stopping; sig++) {
        if (!(bits & (1ull << sig)))
            continue;
        if (signals_is_fatal(sig)) {
            lc_report(LC_REASON_SIGNAL, sig, 128 + sig);
            signals_fatal_reported();   /* the thread that took it, waiting in its handler, dies */
        } else {
            lc_report(LC_REASON_DUMP, sig, 0);
        }
    }
}

/* The dump signal open on this thread exactly while the shim owns it (sigmask.c), and the request answered. */
static void apply_mask(void)
{
    int32_t req = __atomic_load_n(&mask_req, __ATOMIC_SEQ_CST);
    int sig = sigmask_dump_signal(), want = sigmask_shim_takes_dump() != 0;
    if (sig > 0 && want != dump_open) {
        sigset_t one;
        sigemptyset(&one);
        sigaddset(&one, sig);
        syscall(SYS_rt_sigprocmask, want ? SIG_UNBLOCK : SIG_BLOCK, &one, NULL, sizeof(long));
        dump_open = want;
    }
    if (__atomic_exchange_n(&mask_ack, req, __ATOMIC_SEQ_CST) != req)
        syscall(SYS_futex, &mask_ack, FUTEX_WAKE_PRIVATE, 64, NULL, NULL, 0);
}

void shim_thread_sync_mask(void)
{
    if (on_shim) {
        apply_mask();
        return;
    }
    if (!shim_thread_running())
        return;
    int32_t req = __atomic_add_fetch(&mask_req, 1, __ATOMIC_SEQ_CST);
    signals_kick();
    uint64_t end = lc_now_ns() + 200000000u;
    for (int32_t ack; (ack = __atomic_load_n(&mask_ack, __ATOMIC_SEQ_CST)) - req < 0 && shim_thread_running() &&
                      lc_now_ns() < end;) {
        struct timespec ts = { 0, 10000000 };
        syscall(SYS_futex, &mask_ack, FUTEX_WAIT_PRIVATE, ack, &ts, NULL, 0);
    }
}

/* Whether the thread should leave now: asked to, the program has no thread left (the process must end as it
 * would: glibc ends it when its last thread is gone), or one program thread alone for LINGER_NS. */
static int leaving(uint64_t *alone_since)
{
    if (quit)
        return 1;
    if (!counted || stopping)
        return 0;
    int32_t n = __atomic_load_n(&prog_threads, __ATOMIC_SEQ_CST);
    if (n <= 0) {
        __atomic_store_n(&state, T_NONE, __ATOMIC_SEQ_CST);     /* nobody joins it: the process is ending */
        return 1;
    }
    uint64_t now = lc_now_ns();
    if (n > 1 || always || signals_has_pending()) {
        *alone_since = 0;
        return 0;
    }
    if (!*alone_since)
        *alone_since = now;
    if (now - *alone_since < LINGER_NS)
        return 0;
    lc_lock(&life);
    int go = __atomic_load_n(&prog_threads, __ATOMIC_SEQ_CST) <= 1 && !signals_has_pending();
    if (go)
        __atomic_store_n(&state, T_EXITED, __ATOMIC_SEQ_CST);
    lc_unlock(&life);
    return go;
}

static void *shim_main(void *unused)
{
    (void)unused;
    lc_in_shim = 1;                     /* everything this thread calls goes straight to the real functions */
    on_shim = 1;
    thread_tid = gettid();
    prctl(PR_SET_NAME, "leakcheck");    /* (pthread_setname_np would open a file, taking a program's fd number) */
    dump_open = 0;
    uint64_t next_periodic = lc_opt.interval > 0 ? lc_now_ns() + (uint64_t)lc_opt.interval * 1000000u : 0;
    int alerted = 0;
    uint64_t next_deadlock = 0, alone_since = 0;
    for (;;) {
        int32_t seen = signals_seq();
        apply_mask();
        take_signals();
        if (leaving(&alone_since))
            break;
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
        /* Sleep until a signal, or the next tick when periodic work is on or the thread may leave. */
        struct timespec ts = { 0, 100 * 1000000 }, *tp = NULL;
        if (next_periodic || lc_opt.max_tasks > 0 || lc_opt.deadlock_check_ms > 0 || alone_since)
            tp = &ts;
        if (lc_opt.deadlock_check_ms > 0 && lc_opt.deadlock_check_ms < 200)
            ts.tv_nsec = (lc_opt.deadlock_check_ms / 2 + 1) * 1000000L;
        signals_wait(seen, tp);
    }
    on_shim = 0;
    lc_in_shim = 0;                     /* glibc may run the process's exit on this thread now */
    return NULL;
}

/* Called with life held. */
static void start(void)
{
    pthread_attr_t a;
    sigset_t all, old;
    if (state == T_EXITED) {
        LC_REAL(pthread_join)(thread, NULL);
        state = T_NONE;
    }
    if (state != T_NONE || stopping)
        return;
    sigfillset(&all);
    pthread_attr_init(&a);
    pthread_attr_setstacksize(&a, 1 << 20);
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &all, &old, sizeof(long));  /* it starts with every signal blocked */
    int e = errno;
    if (LC_REAL(pthread_create)(&thread, &a, shim_main, NULL) == 0)
        __atomic_store_n(&state, T_RUNNING, __ATOMIC_SEQ_CST);
    errno = e;
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &old, NULL, sizeof(long));
    pthread_attr_destroy(&a);
}

static int inited;

void shim_thread_need(void)
{
    if (!inited || shim_thread_running() || stopping || on_shim)
        return;
    lc_lock(&life);
    start();
    lc_unlock(&life);
}

void shim_thread_init(int count_threads)
{
    inited = 1;
    counted = count_threads;
    /* A Go runtime has threads of its own from the start, and its signal handlers run on small stacks where
     * no report can be made: the thread is there from the start too. */
    always = !count_threads || lc_opt.interval > 0 || lc_opt.max_tasks > 0 || lc_opt.deadlock_check_ms > 0;
    if (always)
        shim_thread_need();
}

void shim_thread_created(void)
{
    if (counted)
        __atomic_add_fetch(&prog_threads, 1, __ATOMIC_SEQ_CST);
    shim_thread_need();
}

void shim_thread_ended(void)
{
    if (counted && __atomic_sub_fetch(&prog_threads, 1, __ATOMIC_SEQ_CST) <= 1)
        signals_kick();                 /* it may have to leave */
}

static int paused;

/* Joined, the thread may still be in the kernel's thread group for a moment (the join returns when it clears
 * its tid, before it is gone): wait for that too, at most 100 ms. */
static void join_gone(void)
{
    pid_t tid = thread_tid;
    LC_REAL(pthread_join)(thread, NULL);
    uint64_t end = lc_now_ns() + 100000000u;
    while (tid > 0 && syscall(SYS_tgkill, getpid(), tid, 0) == 0 && lc_now_ns() < end) {
        struct timespec ts = { 0, 200000 };
        nanosleep(&ts, NULL);
    }
}

void shim_thread_pause(void)
{
    lc_lock(&life);
    paused = 0;
    if (state == T_RUNNING && !on_shim && (!counted || prog_threads <= 1)) {
        quit = 1;
        signals_kick();
        join_gone();
        __atomic_store_n(&state, T_NONE, __ATOMIC_SEQ_CST);
        quit = 0;
        paused = 1;
    } else if (state == T_EXITED) {
        join_gone();
        __atomic_store_n(&state, T_NONE, __ATOMIC_SEQ_CST);
    }
    lc_unlock(&life);
}

void shim_thread_resume(void)
{
    if (paused && (always || !counted || prog_threads > 1))
        shim_thread_need();
    paused = 0;
}

void shim_thread_stop(void)
{
    stopping = 1;
}

void shim_thread_fork_prepare(void)
{
    lc_lock(&life);
}

void shim_thread_fork_parent(void)
{
    lc_unlock(&life);
}

void shim_thread_fork_child(void)
{
    signals_after_fork();
    life = (lc_lock_t)LC_LOCK_INIT;
    state = T_NONE;
    stopping = 0;
    quit = 0;
    prog_threads = 1;
    if (always)
        shim_thread_need();
}
