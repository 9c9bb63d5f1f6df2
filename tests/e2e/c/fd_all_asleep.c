// A request/response pair over two pipes where both sides wait for the other to speak first: every thread is
// blocked on a channel only another thread of this process could write. With deadlock_check_ms the program is
// ended instead of hanging.
// OPTIONS: deadlock_check_ms=150
// EXIT: 66
// EXPECT: ^leakcheck: found unexpected threads \(2 leaked in 2 groups?\)$
// EXPECT: ^\[1 thread blocked for [01]\.[0-9]{2}s in read on pipe fd [0-9]+ \(made at main +.*fd_all_asleep\.c:40\)\]$
// EXPECT: ^    client +.*fd_all_asleep\.c:24( |$)
// EXPECT: ^    server +.*fd_all_asleep\.c:32( |$)
// EXPECT-COUNT: 2 ^  write end fd [0-9]+ still open, never written$
// EXPECT: ^leakcheck: 2 leaked, 0 misuse; exit status 66$
// Without the shim this program hangs: there is no plain run to compare stdout with.
// STDOUT-VARIES
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static int to_server[2], to_client[2];

static void *client(void *arg)
{
    char c;
    /* bug: the protocol says the client speaks first */
    if (read(to_client[0], &c, 1) == 1)
        (void)!write(to_server[1], "r", 1);
    return arg;
}

static void *server(void *arg)
{
    char c;
    if (read(to_server[0], &c, 1) == 1)
        (void)!write(to_client[1], "a", 1);
    return arg;
}

int main(void)
{
    pthread_t c, s;
    if (pipe(to_server) != 0 || pipe(to_client) != 0)
        return 1;
    pthread_create(&s, NULL, server, NULL);
    pthread_create(&c, NULL, client, NULL);
    pthread_join(c, NULL);
    pthread_join(s, NULL);
    return 0;
}
