/* See fork_report.h. The child is made with clone() and no exit signal, so the program gets no SIGCHLD and none
 * of its wait() calls can see it (it is waited for with __WCLONE). It runs on a stack of its own (the handler
 * may be on a small alternate stack), as a frozen copy taken inside the handler: it may find the heap or a
 * lock of the shim half-changed by the code the signal interrupted, and then fails or is killed at the
 * deadline, and the program dies as it would have, without the report. */
#include "fork_report.h"
#include "lifecycle.h"
#include "../runtime/lock.h"
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHILD_STACK (1 << 20)
static int in_child;

int fork_report_child(void)
{
    return in_child;
}

struct job { int parent, sig; };

static int child_main(void *arg)
{
    const struct job *j = arg;
    in_child = 1;
    lc_report_pid(j->parent);
    lc_report(LC_REASON_SIGNAL, j->sig, 128 + j->sig);
    syscall(SYS_exit_group, 0);
    return 0;
}

void fork_report(int sig)
{
    struct job j = { (int)getpid(), sig };
    void *stack = mmap(NULL, CHILD_STACK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED)
        return;
    int pid = clone(child_main, (char *)stack + CHILD_STACK, 0, &j);
    uint64_t end = lc_now_ns() + 4000000000ull;
    while (pid > 0) {
        siginfo_t si;
        si.si_pid = 0;
        long r = syscall(SYS_waitid, P_PID, pid, &si, WEXITED | __WCLONE | WNOHANG, NULL);
        if ((r == 0 && si.si_pid == pid) || (r < 0 && errno != EINTR))
            break;
        if (lc_now_ns() >= end) {
            syscall(SYS_kill, pid, SIGKILL);
            syscall(SYS_waitid, P_PID, pid, &si, WEXITED | __WCLONE, NULL);
            break;
        }
        struct timespec ts = { 0, 2000000 };
        syscall(SYS_nanosleep, &ts, NULL);
    }
    munmap(stack, CHILD_STACK);
}
