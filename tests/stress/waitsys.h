/* Test helper: wait until a thread sits in a given system call (read from /proc/self/task/TID/syscall), so a
 * test can act on a thread that is really blocked rather than sleeping and hoping. */
#ifndef WAITSYS_H
#define WAITSYS_H
#include <stdio.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* 1 when thread tid is inside system call nr now. */
static int in_syscall(pid_t tid, long nr)
{
    char path[64];
    long cur = -1;
    snprintf(path, sizeof path, "/proc/self/task/%d/syscall", (int)tid);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    if (fscanf(f, "%ld", &cur) != 1)
        cur = -1;
    fclose(f);
    return cur == nr;
}

/* Waits up to ms milliseconds for thread tid to be in system call nr; returns 1 when it is. */
static int wait_in_syscall(pid_t tid, long nr, int ms)
{
    struct timespec ts = { 0, 1000000 };
    for (int i = 0; i < ms; i++) {
        if (in_syscall(tid, nr))
            return 1;
        nanosleep(&ts, NULL);
    }
    return in_syscall(tid, nr);
}
#endif
