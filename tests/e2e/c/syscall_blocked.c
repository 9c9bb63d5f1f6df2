// Threads asleep in system calls the shim does not follow: a TCP acceptor in accept, a UDP server in recvfrom,
// a reader on a TCP connection (read on a socket, not a channel), a sleeper in nanosleep. The verdict shows each
// blocked in its call, from the kernel's view of the thread (since when is not known), instead of "still
// running".
// OPTIONS: grace_ms=50
// EXIT: 66
// EXPECT: ^leakcheck: found unexpected threads \(4 leaked in 4 groups\)$
// EXPECT: ^\[1 thread blocked in accept on fd [0-9]+\]$
// EXPECT: ^\[1 thread blocked in recvfrom on fd [0-9]+\]$
// EXPECT: ^\[1 thread blocked in read on fd [0-9]+\]$
// EXPECT: ^\[1 thread blocked in clock_nanosleep\]$
// EXPECT: ^    start routine acceptor +.*syscall_blocked\.c:[0-9]+$
// EXPECT: ^  created by main +.*syscall_blocked\.c:[0-9]+ +\(thread 1\)$
// REJECT: still running
// EXPECT: ^leakcheck: 4 leaked, 0 misuse; exit status 66$
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <unistd.h>
#include "../../stress/waitsys.h"

static int listener, udp_sock, conn[2];
static atomic_int tids[4];

static void *acceptor(void *arg)
{
    (void)arg;
    atomic_store(&tids[0], (int)syscall(SYS_gettid));
    for (;;) {
        int c = accept(listener, NULL, NULL);
        if (c >= 0)
            close(c);
    }
    return NULL;
}

static void *udp_server(void *arg)
{
    (void)arg;
    char b[64];
    atomic_store(&tids[1], (int)syscall(SYS_gettid));
    for (;;)
        recvfrom(udp_sock, b, sizeof b, 0, NULL, NULL);
    return NULL;
}

static void *reader(void *arg)
{
    (void)arg;
    char b[64];
    atomic_store(&tids[2], (int)syscall(SYS_gettid));
    while (read(conn[1], b, sizeof b) > 0)
        ;
    return NULL;
}

static void *sleeper(void *arg)
{
    (void)arg;
    atomic_store(&tids[3], (int)syscall(SYS_gettid));
    for (;;)
        sleep(100);
    return NULL;
}

static int bound(int type)
{
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    int s = socket(AF_INET, type, 0);
    if (s < 0 || bind(s, (struct sockaddr *)&sa, sizeof sa) != 0)
        _exit(1);
    return s;
}

int main(void)
{
    listener = bound(SOCK_STREAM);
    udp_sock = bound(SOCK_DGRAM);
    if (listen(listener, 4) != 0)
        return 1;
    /* a connected pair over loopback TCP: conn[0] the client, conn[1] the accepted end */
    struct sockaddr_in sa;
    socklen_t len = sizeof sa;
    getsockname(listener, (struct sockaddr *)&sa, &len);
    conn[0] = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(conn[0], (struct sockaddr *)&sa, len) != 0 || (conn[1] = accept(listener, NULL, NULL)) < 0)
        return 1;
    void *(*fns[4])(void *) = { acceptor, udp_server, reader, sleeper };
    long nrs[4] = { SYS_accept, SYS_recvfrom, SYS_read, SYS_clock_nanosleep };
    for (int i = 0; i < 4; i++) {
        pthread_t t;
        pthread_create(&t, NULL, fns[i], NULL);
    }
    for (int i = 0; i < 4; i++) {
        while (!atomic_load(&tids[i]))
            usleep(1000);
        wait_in_syscall(atomic_load(&tids[i]), nrs[i], 2000);
    }
    return 0;
}
