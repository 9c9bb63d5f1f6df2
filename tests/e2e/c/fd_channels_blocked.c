// Two more kinds of fd channel left waiting: a worker waits on an eventfd that is never signalled, and a
// session thread waits for a second message on a socketpair after the first one arrived.
// OPTIONS: grace_ms=100
// EXIT: 66
// EXPECT: ^leakcheck: found unexpected threads \(2 leaked in 2 groups?\)$
// EXPECT: ^\[1 thread blocked for [0-9]+\.[0-9]{2}s in read on eventfd fd [0-9]+ \(made at main +.*fd_channels_blocked\.c:43\)\]$
// EXPECT: ^    wait_wakeup +.*fd_channels_blocked\.c:26( |$)
// EXPECT: ^  eventfd never written$
// EXPECT: ^\[1 thread blocked for [0-9]+\.[0-9]{2}s in recv on socketpair fd [0-9]+ \(made at main +.*fd_channels_blocked\.c:44\)\]$
// EXPECT: ^    session +.*fd_channels_blocked\.c:36( |$)
// EXPECT: ^  other end fd [0-9]+ still open, last written by thread 1$
// EXPECT: ^leakcheck: 2 leaked, 0 misuse; exit status 66$
// STDOUT: ^got hi$
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

static int wake, sv[2];

static void *wait_wakeup(void *arg)
{
    uint64_t v;
    (void)!read(wake, &v, sizeof v);
    return arg;
}

static void *session(void *arg)
{
    char buf[8] = { 0 };
    if (recv(sv[0], buf, 2, 0) == 2)
        printf("got %s\n", buf);
    fflush(stdout);
    (void)!recv(sv[0], buf, 2, 0);
    return arg;
}

int main(void)
{
    pthread_t a, b;
    wake = eventfd(0, 0);
    if (wake < 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
        return 1;
    pthread_create(&a, NULL, wait_wakeup, NULL);
    pthread_create(&b, NULL, session, NULL);
    (void)!send(sv[1], "hi", 2, 0);
    usleep(80 * 1000);
    return 0;
}
