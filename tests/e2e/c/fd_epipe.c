// The consumer closes its end of the pipe after the first message; the producer writes again and the process
// dies of SIGPIPE, as it would without the shim. The report comes first, naming where the read end was closed.
// EXIT: signal 13
// EXPECT: ^leakcheck: found misuse \(0 leaked in 0 groups, 1 misuse\)$
// EXPECT: ^\[write with no reader \(EPIPE\) on fd [0-9]+ \(pipe write end\)\]$
// EXPECT: ^  write: +produce +.*fd_epipe\.c:28 +\(thread 1\)$
// EXPECT: ^  read end closed at: consume +.*fd_epipe\.c:21 +\(thread 2\)$
// EXPECT: ^  pipe made at main +.*fd_epipe\.c:34$
// EXPECT: ^leakcheck: 0 leaked, 1 misuse; exit status 141$
// STDOUT: ^consumed 4 bytes$
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static int p[2];

static void *consume(void *arg)
{
    char buf[4];
    printf("consumed %zd bytes\n", read(p[0], buf, sizeof buf));
    close(p[0]);
    return arg;
}

static void produce(const char *msg)
{
    fflush(stdout);
    (void)!write(p[1], msg, 4);
}

int main(void)
{
    pthread_t t;
    if (pipe(p) != 0)
        return 1;
    pthread_create(&t, NULL, consume, NULL);
    produce("ping");
    pthread_join(t, NULL);
    produce("pong");
    printf("not reached\n");
    return 0;
}
