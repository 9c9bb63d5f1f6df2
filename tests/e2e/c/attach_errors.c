// leakcheck attach where it cannot report: a process id that does not exist, a zombie, a process that dies
// while it is stopped for the snapshot, one of another user (when the test can switch to one), a bad
// argument. Each is one line and exit status 2; the tool never hangs and never leaves a process stopped
// (attach_errors.sh).
// DRIVER: attach_errors.sh
// EXIT: 0
// EXPECT: ^missing: exit 2, 1 line: leakcheck: attach: no process PID$
// EXPECT: ^zombie: exit 2, 1 line: leakcheck: attach: process PID has exited \(a zombie its parent has not reaped\)$
// EXPECT: ^mid-snapshot: stopped while held$
// EXPECT: ^mid-snapshot: exit 2, 1 line: leakcheck: attach: process PID exited during the snapshot$
// EXPECT: ^mid-snapshot: the tool ended within 1 s after the kill$
// EXPECT: ^eperm: (exit 2, 1 line: leakcheck: attach: cannot trace process PID: process PID belongs to another user \(uid 0\); tracing it needs CAP_SYS_PTRACE \(sudo\)|skipped: .*)$
// EXPECT: ^eperm: (target still running|skipped)$
// EXPECT: ^not a pid: exit 2, 1 line: leakcheck: attach: 'x12' is not a process id$
// EXPECT: ^no pid: exit 2, 1 line: leakcheck: usage: leakcheck attach \[--OPTION=VALUE \.\.\.\] PID \(see 'leakcheck attach --help'\)$
// EXPECT: ^bad option: exit 2, 1 line: .*unknown option 'colour'.*$
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void *idle(void *arg)
{
    pause();
    return arg;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, idle, NULL);
    printf("started\n");
    fflush(stdout);
    pause();
    return 0;
}
