/* The traced run of a static gc-built program (no preload can enter it): started under ptrace, it runs as it
 * would (every signal it gets is passed on untouched: the tracer costs it nothing until a signal or a new
 * thread), and when it ends (PTRACE_EVENT_EXIT: its memory is still there) its goroutines are read from
 * outside, the exit verdict is written, and it ends as it was going to. The tracer then leaves with the
 * preload's status rules: the program's own non-zero status, else exitcode when there were findings; a death
 * by signal is the tracer's death by that signal.
 *
 * Every thread is traced (PTRACE_O_TRACECLONE), so that at the exit each one stops with its registers: the one
 * that called exit_group names the goroutine that exits (not a leak), and the running goroutines have their
 * exact stacks. A signal sent to the tracer itself by another process (timeout(1), kill) goes on to the
 * program; the terminal's signals reach the program directly, being in its process group.
 *
 * The dump signal (dump_signal, SIGUSR1 by default) reaching the program asks for a live report, as under the
 * preload: every thread is stopped where it is, the goroutines are read, the report is written, and each
 * thread goes on as it would have, the signal passed on to the program as sent (the Go runtime ignores it).
 * A program that took the signal for itself (signal.Notify or Ignore, while it does) just gets it, with no
 * report, as under the preload. interval writes the same report, periodic, on a timer of the tracer's own (a
 * real-time signal the program never sees). */
#include "attach.h"
#include "../report/report.h"
#include "../report/symbolize.h"
#include "../runtime/deadlock.h"
#include "../runtime/lock.h"
#include "../runtime/options.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

void at_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void at_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define EXIT_GATHER_MS 1000       /* how long the other threads get to reach their exit stop */

static volatile pid_t child;

/* A signal sent to us by another process goes to the program (one from the terminal reached it already). */
static void forward(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    if (child > 0 && si->si_code <= 0 && si->si_pid != child)
        kill(child, sig);
}

static void forward_signals(void)
{
    static const int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGALRM, SIGUSR1, SIGUSR2, SIGPIPE, SIGWINCH };
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = forward;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigaction(sigs[i], &sa, NULL);
}

/* interval: a timer of the tracer's, on a real-time signal that only interrupts its wait for the program. */
static volatile sig_atomic_t tick;
static void on_tick(int sig)
{
    (void)sig;
    tick = 1;
}

static void start_interval(void)
{
    if (lc_opt.interval <= 0)
        return;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_tick;             /* no SA_RESTART: waitpid returns EINTR */
    sigemptyset(&sa.sa_mask);
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGRTMIN + 1;
    timer_t timer;
    long ms = lc_opt.interval;
    struct itimerspec its = { { ms / 1000, (ms % 1000) * 1000000 }, { ms / 1000, (ms % 1000) * 1000000 } };
    if (sigaction(SIGRTMIN + 1, &sa, NULL) != 0 || timer_create(CLOCK_MONOTONIC, &ev, &timer) != 0 ||
        timer_settime(timer, 0, &its, NULL) != 0)
        at_fail("cannot start the interval's timer (%s): no periodic reports", strerror(errno));
}

/* The program, stopped until we trace it: exec only once the tracer is in place. */
static pid_t start(char **argv, char *err, size_t errlen)
{
    int go[2], ex[2];
    if (pipe2(go, O_CLOEXEC) != 0 || pipe2(ex, O_CLOEXEC) != 0) {
        snprintf(err, errlen, "cannot make a pipe: %s", strerror(errno));
        return -1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, errlen, "cannot fork: %s", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        char b;
        close(go[1]);
        close(ex[0]);
        while (read(go[0], &b, 1) < 0 && errno == EINTR)
            ;
        execvp(argv[0], argv);
        int e = errno;
        if (write(ex[1], &e, sizeof e) < 0)
            _exit(127);
        _exit(127);
    }
    close(go[0]);
    close(ex[1]);
    child = pid;
    long opts = PTRACE_O_TRACEEXIT | PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC;
    if (ptrace(PTRACE_SEIZE, pid, 0, (void *)opts) != 0) {
        char why[300] = "";
        if (errno == EPERM)
            at_eperm_reason(pid, why, sizeof why);
        snprintf(err, errlen, "cannot trace '%s': %s", argv[0], why[0] ? why : strerror(errno));
        kill(pid, SIGKILL);               /* it has not run a line of the program */
        waitpid(pid, NULL, 0);
        return -1;
    }
    close(go[1]);                         /* it execs now */
    int e = 0;
    if (read(ex[0], &e, sizeof e) == (ssize_t)sizeof e) {
        snprintf(err, errlen, "cannot run '%s': %s", argv[0], strerror(e));
        waitpid(pid, NULL, __WALL);
        close(ex[0]);
        return -2;
    }
    close(ex[0]);
    return pid;
}

/* ---- the traced threads --------------------------------------------------------------------------------------- */

struct tracee { pid_t tid; int at_exit; struct user_regs_struct regs; int have_regs; };
static struct tracee *tr;
static int ntr, captr;

static struct tracee *tracee(pid_t tid, int make)
{
    for (int i = 0; i < ntr; i++)
        if (tr[i].tid == tid)
            return &tr[i];
    if (!make)
        return NULL;
    if (ntr == captr) {
        int cap = captr ? captr * 2 : 64;
        struct tracee *n = realloc(tr, (size_t)cap * sizeof *n);
        if (!n)
            return NULL;
        tr = n;
        captr = cap;
    }
    memset(&tr[ntr], 0, sizeof tr[ntr]);
    tr[ntr].tid = tid;
    return &tr[ntr++];
}

static void drop(pid_t tid)
{
    for (int i = 0; i < ntr; i++)
        if (tr[i].tid == tid) {
            tr[i] = tr[--ntr];
            return;
        }
}

/* Whether a thread of the process is in execve: the others' exit stops are then the exec's, not an exit. */
static int execing(pid_t pid)
{
    for (int i = 0; i < ntr; i++) {
        char path[64], buf[64];
        if (tr[i].at_exit)
            continue;
        snprintf(path, sizeof path, "/proc/%d/task/%d/syscall", (int)pid, (int)tr[i].tid);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
        if (fd >= 0)
            close(fd);
        if (n > 0) {
            buf[n] = 0;
            long nr = strtol(buf, NULL, 10);
            if (nr == SYS_execve || nr == SYS_execveat)
                return 1;
        }
    }
    return 0;
}

/* One event of a thread while the process runs: pass it on. */
static void pass_on(pid_t tid, int st)
{
    int ev = st >> 16, sig = WSTOPSIG(st);
    if (ev == PTRACE_EVENT_CLONE) {
        unsigned long nt = 0;
        if (ptrace(PTRACE_GETEVENTMSG, tid, 0, &nt) == 0)
            tracee((pid_t)nt, 1);          /* it starts with a stop of its own */
        ptrace(PTRACE_CONT, tid, 0, 0);
    } else if (ev == PTRACE_EVENT_STOP) {
        if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU)
            ptrace(PTRACE_LISTEN, tid, 0, 0);    /* a group-stop: stays stopped until SIGCONT */
        else
            ptrace(PTRACE_CONT, tid, 0, 0);      /* a new thread's first stop */
    } else if (ev) {
        ptrace(PTRACE_CONT, tid, 0, 0);
    } else {
        ptrace(PTRACE_CONT, tid, 0, (void *)(long)sig);   /* a signal for the program: delivered as sent */
    }
}

/* Events that arrived while a live report held the threads and that the main loop handles (an exit, an exec, a
 * new thread's first stop), in order. Each is a thread left stopped until handled: none may be lost. */
struct event { pid_t tid; int st; };
static struct event *deferred;
static int ndeferred, capdeferred;

static void defer_event(pid_t tid, int st)
{
    if (ndeferred == capdeferred) {
        int cap = capdeferred ? capdeferred * 2 : 16;
        struct event *n = realloc(deferred, (size_t)cap * sizeof *n);
        if (!n) {
            pass_on(tid, st);             /* no room to keep it: handled now, as the main loop would */
            return;
        }
        deferred = n;
        capdeferred = cap;
    }
    deferred[ndeferred++] = (struct event){ tid, st };
}

/* ---- live reports --------------------------------------------------------------------------------------------- */

#define LIVE_STOP_MS 1000         /* how long the other threads get to stop for a live report */

/* Thread w took the dump signal (its signal-delivery stop, status st; w 0: the interval's timer, no thread
 * stopped yet): every other thread is interrupted and
 * waited for (LIVE_STOP_MS at most: a straggler is read without registers), the goroutines are read and the
 * report written, then each goes on from the stop it reported (pass_on: a signal it was about to take is
 * delivered; w's is the dump signal, passed on), but for an exit or an exec, left for the main loop. */
static void report_live(struct at_go *go, pid_t pid, pid_t w, int st, enum lc_reason reason)
{
    int cap = ntr + 1;
    struct event *h = calloc((size_t)cap, sizeof *h);
    struct at_proc p;
    memset(&p, 0, sizeof p);
    p.pid = pid;
    p.t = calloc((size_t)cap, sizeof *p.t);
    if (!h || !p.t) {
        free(h);
        free(p.t);
        if (w)
            pass_on(w, st);
        return;
    }
    int nh = 0, waiting = 0;
    if (w)
        h[nh++] = (struct event){ w, st };
    for (int i = 0; i < ntr; i++)
        if (tr[i].tid != w && !tr[i].at_exit && ptrace(PTRACE_INTERRUPT, tr[i].tid, 0, 0) == 0)
            waiting++;
    uint64_t t0 = lc_now_ns();
    while (waiting > 0 && nh < cap) {
        int s2;
        pid_t w2 = waitpid(-1, &s2, __WALL | WNOHANG);
        if (w2 > 0) {
            int ev = s2 >> 16;
            if (tracee(w2, 0) && WIFSTOPPED(s2) && ev != PTRACE_EVENT_EXIT && ev != PTRACE_EVENT_EXEC) {
                h[nh++] = (struct event){ w2, s2 };
                waiting--;
            } else {
                defer_event(w2, s2);             /* the main loop's */
                waiting -= tracee(w2, 0) != NULL;
            }
            continue;
        }
        if (lc_now_ns() - t0 >= LIVE_STOP_MS * 1000000ull)
            break;
        struct timespec ts = { 0, 100000 };
        nanosleep(&ts, NULL);
    }
    for (int i = 0; i < nh; i++) {
        struct at_thread *t = &p.t[p.n++];
        t->tid = h[i].tid;
        t->seized = t->stopped = 1;
        t->state = '?';
        t->have_regs = ptrace(PTRACE_GETREGS, h[i].tid, 0, &t->regs) == 0;
    }
    for (int i = 0; i < ntr && p.n < cap; i++) {
        int seen = 0;
        for (int k = 0; k < nh && !seen; k++)
            seen = h[k].tid == tr[i].tid;
        if (!seen) {
            struct at_thread *t = &p.t[p.n++];      /* it did not stop in time: no registers */
            t->tid = tr[i].tid;
            t->seized = 1;
            t->state = '?';
            p.nstraggler++;
        }
    }
    char err[512];
    struct lc_snapshot s;
    if (at_go_read(go, &p, 0, err, sizeof err) != 0)
        at_fail("%s", err);
    else if (snapshot_take(&s, 1000) == 0) {
        deadlock_augment(&s, 0);         /* a live report: the program runs on */
        struct lc_report_ctx ctx = { reason, 0, 0, 0 };
        report_write(&s, &ctx);
        snapshot_free(&s);
    }
    for (int i = 0; i < nh; i++)
        pass_on(h[i].tid, h[i].st);
    free(h);
    free(p.t);
}

/* ---- the exit ------------------------------------------------------------------------------------------------- */

struct outcome { int reported; struct lc_verdict v; };

/* Every other thread to its exit stop (they are being killed), each with its registers. */
static void gather(uint64_t deadline_ms)
{
    uint64_t t0 = lc_now_ns();
    for (;;) {
        int waiting = 0;
        for (int i = 0; i < ntr; i++)
            waiting += !tr[i].at_exit;
        if (!waiting)
            return;
        int st;
        pid_t w = waitpid(-1, &st, __WALL | WNOHANG);
        if (w > 0) {
            struct tracee *t = tracee(w, 0);
            if (WIFEXITED(st) || WIFSIGNALED(st)) {
                if (t)
                    t->at_exit = 1;        /* gone: nothing to read of it */
            } else if (t && (st >> 16) == PTRACE_EVENT_EXIT) {
                t->at_exit = 1;
                t->have_regs = ptrace(PTRACE_GETREGS, w, 0, &t->regs) == 0;
            } else if (WIFSTOPPED(st)) {
                pass_on(w, st);
            }
            continue;
        }
        if (lc_now_ns() - t0 >= deadline_ms * 1000000u)
            return;
        struct timespec ts = { 0, 100000 };
        nanosleep(&ts, NULL);
    }
}

/* The verdict at the exit: the process ends with status (wait status form: a code, or a signal). */
static void report_exit(struct at_go *go, pid_t pid, unsigned long how, struct outcome *out)
{
    struct at_proc p;
    memset(&p, 0, sizeof p);
    p.pid = pid;
    p.t = calloc((size_t)ntr + 1, sizeof *p.t);
    pid_t exiting = 0;
    for (int i = 0; p.t && i < ntr; i++) {
        struct at_thread *t = &p.t[p.n++];
        t->tid = tr[i].tid;
        t->stopped = tr[i].at_exit && tr[i].have_regs;
        t->have_regs = tr[i].have_regs;
        t->regs = tr[i].regs;
        if (tr[i].have_regs && (long)tr[i].regs.orig_rax == SYS_exit_group)
            exiting = tr[i].tid;           /* the thread that called exit: its goroutine is not a leak */
    }
    int sig = (int)(how & 0x7f), code = (int)((how >> 8) & 0xff);
    static const int fatal[] = { SIGTERM, SIGINT, SIGHUP, SIGALRM, SIGQUIT };
    int report = !sig;
    for (size_t i = 0; sig && lc_opt.fatal_signals && i < sizeof fatal / sizeof fatal[0]; i++)
        report |= sig == fatal[i];
    char err[512];
    struct lc_snapshot s;
    if (report && go && at_go_read(go, &p, exiting, err, sizeof err) == 0 && snapshot_take(&s, 1000) == 0) {
        deadlock_augment(&s, 1);         /* the verdict: the program ends */
        struct lc_report_ctx ctx = { sig ? LC_REASON_SIGNAL : LC_REASON_EXIT, sig, code, 0 };
        out->v = report_write(&s, &ctx);
        out->reported = 1;
        snapshot_free(&s);
    } else if (report && go) {
        at_fail("%s", err);
    }
    free(p.t);
}

/* Leave as the program did: its status, or exitcode for a clean exit with findings, or its signal. */
static int leave(int st, const struct outcome *o)
{
    if (WIFSIGNALED(st)) {
        int sig = WTERMSIG(st);
        struct rlimit none = { 0, 0 };
        setrlimit(RLIMIT_CORE, &none);    /* its core is the program's; not one of ours */
        signal(sig, SIG_DFL);
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, sig);
        sigprocmask(SIG_UNBLOCK, &set, NULL);
        raise(sig);
        return 128 + sig;
    }
    int code = WIFEXITED(st) ? WEXITSTATUS(st) : 1;
    if (code == 0 && o->reported && (o->v.leaked || o->v.misuse || o->v.deadlocks) && lc_opt.exitcode != 0)
        return lc_opt.exitcode;
    return code;
}

int at_run(char **argv)
{
    char err[1024] = "";
    forward_signals();
    if (lc_opt.max_tasks > 0 || lc_opt.deadlock_check_ms > 0)
        at_fail("max_tasks and deadlock_check_ms need the preload, which a static program cannot load (build it "
                "with -buildmode=pie): not checked in this run");
    pid_t pid = start(argv, err, sizeof err);
    if (pid < 0) {
        at_fail("%s", err);
        return pid == -2 ? 127 : 2;
    }
    tracee(pid, 1);
    start_interval();
    struct at_go *go = NULL;
    struct outcome out = { 0, { 0 } };
    int execs = 0, traced = 1;
    for (;;) {
        int st;
        pid_t w = ndeferred ? deferred[0].tid : waitpid(-1, &st, __WALL);
        if (ndeferred) {
            st = deferred[0].st;
            memmove(&deferred[0], &deferred[1], (size_t)--ndeferred * sizeof deferred[0]);
        }
        if (w < 0) {
            if (errno == EINTR) {
                if (tick && go && traced && !out.reported)
                    report_live(go, pid, 0, 0, LC_REASON_PERIODIC);
                tick = 0;
                continue;
            }
            at_fail("lost the program (%s)", strerror(errno));
            return 2;
        }
        if (WIFEXITED(st) || WIFSIGNALED(st)) {
            if (w == pid)
                return leave(st, &out);
            drop(w);
            continue;
        }
        if (!WIFSTOPPED(st) || !traced)
            continue;
        int ev = st >> 16;
        if (ev == PTRACE_EVENT_EXEC) {
            /* the program's image: read its executable now (the load address is known) */
            if (execs++ == 0) {
                char exe[64];
                snprintf(exe, sizeof exe, "/proc/%d/exe", (int)pid);
                if (!(go = at_go_open(pid, exe, argv[0], err, sizeof err)))
                    at_fail("%s; running it without a verdict", err);
            }
            if (execs > 1 || !go) {
                /* it became another program: nothing of ours to check; let it go */
                for (int i = 0; i < ntr; i++)
                    ptrace(PTRACE_DETACH, tr[i].tid, 0, 0);
                traced = 0;
                at_go_close(go);
                go = NULL;
                continue;
            }
            symbolize_set_process(pid);
            snapshot_set_process(pid, NULL);
            ptrace(PTRACE_CONT, w, 0, 0);
            continue;
        }
        if (!ev && go && lc_opt.dump_signal > 0 && WSTOPSIG(st) == lc_opt.dump_signal && tracee(w, 0) &&
            at_go_signal_own(go, WSTOPSIG(st)) != 1) {
            report_live(go, pid, w, st, LC_REASON_DUMP);
            continue;
        }
        if (ev != PTRACE_EVENT_EXIT) {
            pass_on(w, st);
            continue;
        }
        struct tracee *t = tracee(w, 1);
        unsigned long how = 0;
        ptrace(PTRACE_GETEVENTMSG, w, 0, &how);
        t->have_regs = ptrace(PTRACE_GETREGS, w, 0, &t->regs) == 0;
        if (t->have_regs && (long)t->regs.orig_rax == SYS_exit && w != pid) {
            ptrace(PTRACE_CONT, w, 0, 0);  /* one thread ends; the program goes on */
            continue;
        }
        /* the process ends (exit_group, or a signal that kills it), or an exec replaces it */
        t->at_exit = 1;
        if (!execing(pid))
            gather(EXIT_GATHER_MS);
        if (!out.reported && !execing(pid))
            report_exit(go, pid, how, &out);
        for (int i = 0; i < ntr; i++)
            if (tr[i].at_exit)
                ptrace(PTRACE_CONT, tr[i].tid, 0, 0);
    }
}
