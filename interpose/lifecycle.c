/* The lifecycle: start-up (options, the main task, signals, the shim's thread), the task sources, every report,
 * fork, and every way out: return from main, exit() from any thread, a family's own exit call (see
 * lifecycle.h), death by a fatal signal (signals.c, shim_thread.c). Which process this is (role.c: the one the
 * user started, a launcher, a program started under the shim) and what its findings may change. */
#include "lifecycle.h"
#include "mutex.h"
#include "role.h"
#include "blocking_call.h"
#include "gc_family.h"
#include "shim_thread.h"
#include "signals.h"
#include "sigview.h"
#include "spawn.h"
#include "../report/verdict.h"
#include "../runtime/deadlock.h"
#include "../runtime/lock.h"
#include "../runtime/lockset.h"
#include "../runtime/options.h"
#include "../runtime/runtime.h"
#include "../runtime/shim_fd.h"
#include "../runtime/stack.h"
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int lc_is_go;
static int exit_status = -1;            /* status given to exit() or returned by main; -1 unknown */
static lc_lock_t report_lock = LC_LOCK_INIT;

static void say(const char *s)
{
    size_t n = strlen(s);
    while (n) {
        ssize_t w = write(2, s, n);
        if (w <= 0)
            break;
        s += w;
        n -= (size_t)w;
    }
}

/* ---- task sources ---------------------------------------------------------------------------------------- */

static const struct lc_task_source *sources[LC_TASK_SOURCES_MAX];
static int nsources;

int lc_task_source_add(const struct lc_task_source *src)
{
    int i = __atomic_fetch_add(&nsources, 1, __ATOMIC_ACQ_REL);
    if (i >= LC_TASK_SOURCES_MAX) {
        __atomic_sub_fetch(&nsources, 1, __ATOMIC_ACQ_REL);
        return -1;
    }
    __atomic_store_n(&sources[i], src, __ATOMIC_RELEASE);
    return 0;
}

void lc_lifecycle_refresh(int report)
{
    int n = __atomic_load_n(&nsources, __ATOMIC_ACQUIRE);
    for (int i = 0; i < n && i < LC_TASK_SOURCES_MAX; i++) {
        const struct lc_task_source *src = __atomic_load_n(&sources[i], __ATOMIC_ACQUIRE);
        if (src && src->refresh)
            src->refresh(report);
    }
}

/* ---- start-up ---------------------------------------------------------------------------------------------- */

/* Options, quietly: what they say is printed only by a process that checks itself (see role()). */
static char option_errors[2048];
static void load_options(void)
{
    options_defaults(&lc_opt);
    if (options_parse(&lc_opt, getenv("LEAKCHECK_OPTIONS"), option_errors, sizeof option_errors) == 0)
        option_errors[0] = 0;
    if (getauxval(AT_SECURE) && (lc_opt.log_path[0] || lc_opt.suppressions[0])) {
        lc_opt.log_path = "";
        lc_opt.suppressions = "";
        if (lc_opt.verbosity >= 2)
            say("leakcheck: setuid program: log_path and suppressions from the environment ignored\n");
    }
    stack_set_depth(lc_opt.stack_depth);
}

static void say_options(void)
{
    if (option_errors[0]) {
        say(option_errors);
        say("\n");
    }
    if (lc_opt.help) {
        static char help[4096];
        options_help(help, sizeof help);
        say(help);
    }
}

/* A process that is not the one the user started (a fork child, a program started by a process under the
 * shim) never changes its own exit status unless children=status: exitcode 0 and no deadlock exit. */
static void keep_own_status(void)
{
    if (strcmp(lc_opt.children, "status") != 0) {
        lc_opt.exitcode = 0;
        lc_opt.deadlock_exit = 0;
    }
}

static void fork_prepare(void);
static void fork_parent(void);
static void fork_child(void);

static void start(void)
{
    load_options();
    enum lc_role role = role_of_process();
    if (role == LC_ROLE_LAUNCHER || (role == LC_ROLE_CHILD && !strcmp(lc_opt.children, "off"))) {
        __atomic_store_n(&lc_never_ready, 1, __ATOMIC_RELEASE);
        return;                         /* not checked: every wrapper only forwards */
    }
    if (role == LC_ROLE_CHILD)
        keep_own_status();
    else
        say_options();
    lc_site_init();
    lc_note_variables();                /* locks elsewhere may be freed with their memory (runtime/lockset.h) */
    uintptr_t data_lo, data_hi;
    lc_data_range((uintptr_t)&report_lock, &data_lo, &data_hi);
    snapshot_set_shim_data(data_lo, data_hi);
    /* A copy of stderr for programs that close fd 2 before they exit, kept out of the program's reach
     * (shim_fd.h). Not kept in fork children: a daemon closing its stdio there must let its parent see EOF. */
    lc_fd_keep(lc_fd_hide((int)syscall(SYS_fcntl, STDERR_FILENO, F_DUPFD_CLOEXEC, 0)));
    if (lc_gc_start() != LC_GC_NOT_GO) {
        /* Go built by gc: its own thread, hooks and handlers (gc_family.c); the C wrappers only forward */
        lc_is_go = 1;
        __atomic_store_n(&lc_ready, 1, __ATOMIC_RELEASE);
        return;
    }
    lc_is_go = lc_dlsym_next("__go_go", 0) != NULL;  /* libgo itself, not our own wrapper */
    if (lc_is_go)
        snapshot_set_runtime("gccgo", NULL);
    if (!lc_is_go) {
        lc_self = task_new(LC_THREAD, (uint64_t)pthread_self(), NULL, NULL, 0);
        if (lc_self) {
            lc_self->tid = getpid();
            task_set_flag(lc_self, LC_TF_MAIN, 1);
        }
    }
    pthread_atfork(fork_prepare, fork_parent, fork_child);
    spawn_init();
    signals_install(lc_is_go);
    shim_thread_init(!lc_is_go);        /* no thread of ours yet, unless periodic work asks for one */
    __atomic_store_n(&lc_ready, 1, __ATOMIC_RELEASE);
}

/* errno as the program's start-up left it (C wants 0 at the start of main), read before anything of the
 * shim's ran: libgcc's split-stack support, linked in for gccgo_*.c, has a constructor of priority 0 that
 * probes mmap with a zero length and leaves EINVAL; this entry sorts before it. */
static int errno_at_load;
static void note_errno(void)
{
    errno_at_load = errno;
}
__attribute__((section(".init_array.00000"), used)) static void (*const note_errno_entry)(void) = note_errno;

__attribute__((constructor)) static void lifecycle_start(void)
{
    static int done;
    if (done++)
        return;
    lc_in_shim++;
    start();
    lc_in_shim--;
    errno = errno_at_load;
}

/* ---- reports ----------------------------------------------------------------------------------------------- */

static int report_pid;                  /* the process reports speak for (a child writing for its parent) */

void lc_report_pid(int pid)
{
    report_pid = pid;
}

struct lc_verdict lc_report(enum lc_reason reason, int signo, int status)
{
    struct lc_verdict v = { 0 };
    /* Never hang: a report already in progress (the shim's thread) gets a few seconds, then we go on without. */
    if (!lc_lock_timed(&report_lock, 3000))
        return v;
    /* A program thread's report (its exit, a self-deadlock) reads debug info with calls that are cancellation
     * points: a cancellation pending must not end the thread there, holding the report's locks. */
    int cs;
    pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &cs);
    lc_in_shim++;
    lc_lifecycle_refresh(1);
    int verdict = reason != LC_REASON_DUMP && reason != LC_REASON_PERIODIC && reason != LC_REASON_ALERT;
    if (verdict)
        lockset_order_confirm(1);       /* lock-order cycles of goroutines still holding their locks, too */
    struct lc_snapshot s;
    if (snapshot_take(&s, 1000) == 0) {
        if (report_pid)
            s.pid = report_pid;
        /* wait-for cycles become findings of this report; goroutines waiting for themselves at a verdict */
        deadlock_augment(&s, verdict);
        struct lc_report_ctx ctx = { reason, signo, status, 0 };
        for (size_t i = 0; i < s.ntasks; i++)
            if (s.tasks[i].flags & LC_TF_EXITING)
                ctx.exiting_task = s.tasks[i].id;
        v = report_write(&s, &ctx);
        snapshot_free(&s);
    } else {
        say("leakcheck: the task table stayed locked for 1 s; no report\n");
    }
    lc_in_shim--;
    pthread_setcancelstate(cs, NULL);
    lc_unlock(&report_lock);
    return v;
}

void lc_deadlock_now(const void *lock)
{
    (void)lock;
    if (lc_opt.deadlock_check_ms > 0)
        return;
    lc_report(LC_REASON_DEADLOCK, 0, 0);
}

/* ---- the exit ---------------------------------------------------------------------------------------------- */

#define GRACE_LOOK 64                     /* unsettled tasks looked at by name each round; more: wait */
struct grace_ctx { int unsettled, n; uint64_t now, settle_ns; struct lc_task look[GRACE_LOOK]; };
static void count_unsettled(struct lc_task *t, void *arg)
{
    struct grace_ctx *g = arg;
    if (t->flags & (LC_TF_MAIN | LC_TF_INTERNAL | LC_TF_EXITING))
        return;
    /* Running (may finish), or blocked so recently that it may just have been released and not yet scheduled
     * (a barrier or a broadcast right before exit). */
    if (t->state == LC_RUNNING || (t->state == LC_BLOCKED && g->now - t->since_ns < g->settle_ns)) {
        if (g->n < GRACE_LOOK)
            g->look[g->n++] = *t;         /* judged below, out of the table's locks */
        else
            g->unsettled++;
    }
}

/* Let tasks settle before judging: running ones get up to grace_ms to finish (goleak retries for the same
 * reason), freshly blocked ones up to 50 ms to show they were only on their way out. A task the verdict leaves
 * out anyway (the runtime's own, suppressed: a library's workers parked until a cleanup the program skips) is
 * not waited for. */
static void grace_wait(void)
{
    uint64_t grace_ns = (uint64_t)lc_opt.grace_ms * 1000000u, end = lc_now_ns() + grace_ns;
    static struct grace_ctx g;            /* one exit at a time (the exit path is serialized) */
    for (;;) {
        g.unsettled = g.n = 0;
        g.now = lc_now_ns();
        g.settle_ns = grace_ns < 50000000u ? grace_ns : 50000000u;
        if (g.now >= end)
            return;
        lc_lifecycle_refresh(0);
        task_foreach(count_unsettled, &g);
        if (g.n)
            verdict_ignore_begin();
        for (int i = 0; i < g.n; i++)
            if (!verdict_never_reported(&g.look[i]))
                g.unsettled++;
        if (!g.unsettled)
            return;
        struct timespec ts = { 0, 5 * 1000000 };
        nanosleep(&ts, NULL);
    }
}

int lc_lifecycle_exit(int status)
{
    if (!__atomic_load_n(&lc_ready, __ATOMIC_ACQUIRE))
        return status;
    shim_thread_stop();
    grace_wait();
    struct lc_verdict v = lc_report(LC_REASON_EXIT, 0, status);
    __atomic_store_n(&lc_ready, 0, __ATOMIC_RELEASE);
    if (status == 0 && (v.leaked || v.misuse || v.deadlocks) && lc_opt.exitcode != 0)
        return lc_opt.exitcode;
    return status;
}

typedef int (*main_fn)(int, char **, char **);
static main_fn real_main;

/* in_exit: called from exit() (the exit's site is its caller), else main returned. */
static void note_exit(int status, int in_exit)
{
    if (exit_status < 0)
        exit_status = status;
    if (lc_self)
        task_set_flag(lc_self, LC_TF_EXITING, 1);
    if (lc_self && !lc_is_go && lc_locks_held()) {
        /* the locks the exiting thread holds (main's, mostly), as Helgrind says */
        lc_in_shim++;
        stack_id where = in_exit ? stack_capture(2) : lockset_site_stack((uintptr_t)real_main + 1);
        lc_in_shim--;
        lc_locks_process_exit(where);
    }
}

__attribute__((destructor)) static void lifecycle_end(void)
{
    int status = exit_status < 0 ? 0 : exit_status;
    int code = lc_lifecycle_exit(status);
    if (code != status) {
        /* Change the status: flush stdio the way exit() would (fcloseall only flushes, and never waits on a
         * stream another thread holds), then leave with it. */
        fcloseall();
        _exit(code);
    }
}

LC_REAL_DECL(void, exit, (int));
LC_EXPORT void exit(int status)
{
    note_exit(status, 1);
    LC_REAL(exit)(status);
    __builtin_unreachable();
}


static int main_trampoline(int argc, char **argv, char **envp)
{
    int r = real_main(argc, argv, envp);
    note_exit(r, 0);
    return r;
}

/* Wrapping the C start-up lets us see main's return value, which exit() then receives internally. */
LC_REAL_DECL(int, __libc_start_main, (main_fn, int, char **, void (*)(void), void (*)(void), void (*)(void), void *));
LC_EXPORT int __libc_start_main(main_fn main, int argc, char **argv, void (*init)(void), void (*fini)(void),
                                void (*rtld_fini)(void), void *stack_end)
{
    real_main = main;
    int e = errno;                      /* the lookup must not show in main's errno */
    (void)LC_REAL(__libc_start_main);
    errno = e;
    return LC_REAL(__libc_start_main)(main_trampoline, argc, argv, init, fini, rtld_fini, stack_end);
}

/* ---- fork: every lock in the order lifecycle.h gives ----------------------------------------------------- */

static void fork_prepare(void)
{
    sigview_fork_prepare();
    shim_thread_fork_prepare();
    lc_lock(&report_lock);
    runtime_fork_prepare();
}

static void fork_parent(void)
{
    runtime_fork_parent();
    lc_unlock(&report_lock);
    shim_thread_fork_parent();
    sigview_fork_release();
}

/* The child: one thread (the forking one), no thread of the shim's until one is needed, its own reports and
 * its own exit status. */
static void fork_child(void)
{
    int kept = lc_fd_kept();
    if (kept >= 0) {
        lc_fd_release(kept);
        syscall(SYS_close, kept);       /* our own fd: no wrapper may record it */
    }
    runtime_fork_child(lc_is_go ? 0 : (uint64_t)pthread_self());
    lc_unlock(&report_lock);
    exit_status = -1;
    keep_own_status();
    if (!lc_is_go && lc_self) {
        task_set_flag(lc_self, LC_TF_MAIN, 1);
        task_set_flag(lc_self, LC_TF_EXITING, 0);
        lc_self->tid = getpid();
    }
    shim_thread_fork_child();
    sigview_fork_release();
}
