// A log pipe is closed by the reader's shutdown path and again by the general cleanup: the second close hits
// an fd that is no longer open (and, in a busier program, could close someone else's file).
// EXIT: 66
// EXPECT: ^leakcheck: found misuse \(0 leaked in 0 groups, 1 misuse\)$
// EXPECT: ^\[double close of fd [0-9]+ \(pipe read end\)\]$
// EXPECT: ^  second close: cleanup +.*fd_double_close\.c:27 +\(thread 1\)$
// EXPECT: ^  first close: +stop_reader +.*fd_double_close\.c:21 +\(thread 1\)$
// EXPECT: ^  pipe made at main +.*fd_double_close\.c:33$
// EXPECT: ^leakcheck: 0 leaked, 1 misuse; exit status 66$
// EXPECT-COUNT: 1 ^\[
// STDOUT: ^sent 5 bytes$
// STDOUT: ^got hello$
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int logpipe[2];

static void stop_reader(void)
{
    close(logpipe[0]);
}

static void cleanup(void)
{
    close(logpipe[1]);
    close(logpipe[0]); /* bug: already closed by stop_reader */
}

int main(void)
{
    char buf[16] = { 0 };
    if (pipe(logpipe) != 0)
        return 1;
    ssize_t n = write(logpipe[1], "hello", 5);
    printf("sent %zd bytes\n", n);
    if (read(logpipe[0], buf, sizeof buf - 1) > 0)
        printf("got %s\n", buf);
    stop_reader();
    cleanup();
    return 0;
}
