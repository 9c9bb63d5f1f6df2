/* See fork_report.h. The child is made with a raw clone and no exit signal, so the program gets no SIGCHLD and
 * none of its wait() calls can see it (it is waited for with __WCLONE); it is a frozen copy taken inside the
 * handler, so it may find the heap or a lock of the shim half-changed by the code the signal interrupted: then
 * it fails or is killed at the deadline, and the program dies as it would have, without the report. */
#include "fork_report.h"
#include "lifecycle.h"
#include "../runtime/lock.h"
#include <errno.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int in_child;

int fork_report_child(void)
{
    return in_child;
}

void fork_report(int sig)
{
    int parent = (int)getpid();
    long pid = syscall(SYS_clone, 0L, 0L, 0L, 0L, 0L);
    if (pid == 0) {
        in_child = 1;
        lc_report_pid(parent);
        lc_report(LC_REASON_SIGNAL, sig, 128 + sig);
        syscall(SYS_exit_group, 0);
    }
    if (pid < 0)
        return;
    uint64_t end = lc_now_ns() + 4000000000ull;
    for (;;) {
        siginfo_t si;
        si.si_pid = 0;
        long r = syscall(SYS_waitid, P_PID, pid, &si, WEXITED | __WCLONE | WNOHANG, NULL);
        if ((r == 0 && si.si_pid == pid) || (r < 0 && errno != EINTR))
            return;
        if (lc_now_ns() >= end) {
            syscall(SYS_kill, pid, SIGKILL);
            syscall(SYS_waitid, P_PID, pid, &si, WEXITED | __WCLONE, NULL);
            return;
        }
        struct timespec ts = { 0, 2000000 };
        syscall(SYS_nanosleep, &ts, NULL);
    }
}
