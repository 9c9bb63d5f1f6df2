/* The periodic deadlock check, run on the dump thread. A state seen twice, a short pause apart, with no task
 * having changed state in between, is a deadlock: a task that was only about to wake (marked blocked around a
 * call that is returning) has moved by then. */
#include "deadlock_watch.h"
#include "dump.h"
#include "shim.h"
#include "../report/deadlock.h"
#include "../runtime/options.h"
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

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
 * it might be about to wake a task, so "all asleep" cannot be claimed. Besides the tracked ones there is the
 * dump thread, and finished threads that may still be on their way out. */
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
static uint64_t check(void)
{
    struct lc_snapshot s;
    uint64_t sig = 0;
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
    int fd = report_open_fd();
    if (n > 0)
        syscall(SYS_write, fd, line, (size_t)n);
    if (fd != STDERR_FILENO)
        syscall(SYS_close, fd);
}

void lc_deadlock_tick(void)
{
    uint64_t sig = check();
    if (!sig)
        return;
    long pause_ms = lc_opt.deadlock_check_ms / 4;
    pause_ms = pause_ms < 5 ? 5 : pause_ms > 50 ? 50 : pause_ms;
    struct timespec ts = { 0, pause_ms * 1000000 };
    nanosleep(&ts, NULL);
    if (check() != sig)
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

void lc_deadlock_now(const void *lock)
{
    (void)lock;
    if (lc_opt.deadlock_check_ms > 0)
        return;
    lc_report(LC_REASON_DEADLOCK, 0, 0);
}
