// A single-threaded program waits for a reply on a pipe it never wrote to (the worker that should answer was
// never started). No thread leaked, yet nothing can ever happen: with deadlock_check_ms the program is ended
// with a one-line verdict instead of hanging.
// OPTIONS: deadlock_check_ms=100
// EXIT: 66
// EXPECT: ^leakcheck: all threads are asleep - deadlock! \(pid [0-9]+\); exit status 66$
// EXPECT-COUNT: 1 ^leakcheck
// STDOUT: ^waiting for the reply$
// Without the shim this program hangs: there is no plain run to compare stdout with.
// STDOUT-VARIES
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    int reply[2];
    char c;
    if (pipe(reply) != 0)
        return 1;
    printf("waiting for the reply\n");
    fflush(stdout);
    if (read(reply[0], &c, 1) == 1) /* bug: nothing will ever write reply[1] */
        printf("got %c\n", c);
    return 0;
}
