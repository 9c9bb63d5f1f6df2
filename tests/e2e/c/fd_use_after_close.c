// A worker keeps reading its notification pipe after the owner closed it: read on a closed fd.
// EXIT: 66
// EXPECT: ^leakcheck: found misuse \(0 leaked in 0 groups, 1 misuse\)$
// EXPECT: ^\[use of closed fd [0-9]+ \(read\)\]$
// EXPECT: ^  use: +drain +.*fd_use_after_close\.c:28 +\(thread 2\)$
// EXPECT: ^  closed at: shutdown_notify +.*fd_use_after_close\.c:21 +\(thread 1\)$
// EXPECT: ^  pipe made at main +.*fd_use_after_close\.c:36$
// EXPECT: ^leakcheck: 0 leaked, 1 misuse; exit status 66$
// STDOUT: ^drain: -1 EBADF$
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int notify[2];

static void shutdown_notify(void)
{
    close(notify[0]);
    close(notify[1]);
}

static void *drain(void *arg)
{
    char c;
    ssize_t r = read(notify[0], &c, 1);
    printf("drain: %zd %s\n", r, strerrorname_np(errno));
    return arg;
}

int main(void)
{
    pthread_t t;
    if (pipe(notify) != 0)
        return 1;
    shutdown_notify();
    pthread_create(&t, NULL, drain, NULL);
    pthread_join(t, NULL);
    return 0;
}
