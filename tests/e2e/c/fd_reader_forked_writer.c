// The parent closes its write end of a pipe and waits for end of file, but a child process made by fork still
// holds a copy of the write end: no write end is left open in this process, yet the reader waits forever.
// OPTIONS: grace_ms=100
// EXIT: 66
// EXPECT: ^leakcheck: found unexpected threads \(1 leaked in 1 groups?\)$
// EXPECT: ^\[1 thread blocked for [0-9]+\.[0-9]{2}s in read on pipe fd [0-9]+ \(made at main +.*fd_reader_forked_writer\.c:42\)\]$
// EXPECT: ^    wait_eof +.*fd_reader_forked_writer\.c:22( |$)
// EXPECT: ^  no write end left open in this process \(a child process made by fork may hold one\)$
// EXPECT: ^leakcheck: 1 leaked, 0 misuse; exit status 66$
// STDOUT: ^parent done$
#include <pthread.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static int data[2], hold[2];

static void *wait_eof(void *arg)
{
    char c;
    (void)arg;
    while (read(data[0], &c, 1) > 0)
        ;
    return NULL;
}

/* The child keeps the pipe (a forgotten close before exec, say) until the parent is gone. */
static void child(void)
{
    char c;
    close(hold[1]);
    close(data[0]);
    while (read(hold[0], &c, 1) > 0)
        ;
    _exit(0);
}

int main(void)
{
    pthread_t t;
    fflush(stdout);
    if (pipe(hold) != 0 || pipe(data) != 0)
        return 1;
    if (fork() == 0)
        child();
    close(hold[0]);
    close(data[1]);
    pthread_create(&t, NULL, wait_eof, NULL);
    usleep(50 * 1000);
    printf("parent done\n");
    return 0;
}
