// A server ignores SIGPIPE and writes a reply on a socketpair whose peer was already closed by the client
// side: the write fails with EPIPE, which the program sees exactly as without the shim.
// EXIT: 66
// EXPECT: ^leakcheck: found misuse \(0 leaked in 0 groups, 1 misuse\)$
// EXPECT: ^\[write with no reader \(EPIPE\) on fd [0-9]+ \(socketpair\)\]$
// EXPECT: ^  write: +reply +.*fd_epipe_ignored\.c:28 +\(thread 1\)$
// EXPECT: ^  read end closed at: hang_up +.*fd_epipe_ignored\.c:23 +\(thread 1\)$
// EXPECT: ^  socketpair made at main +.*fd_epipe_ignored\.c:35$
// EXPECT: ^leakcheck: 0 leaked, 1 misuse; exit status 66$
// STDOUT: ^reply: -1 EPIPE$
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int sv[2];

static void hang_up(void)
{
    close(sv[1]);
}

static void reply(void)
{
    ssize_t r = write(sv[0], "ok", 2);
    printf("reply: %zd %s\n", r, r < 0 ? strerrorname_np(errno) : "");
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
        return 1;
    hang_up();
    reply();
    return 0;
}
