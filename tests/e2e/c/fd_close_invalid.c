// A connection struct whose fd was never opened (still -1) is closed on the error path: close(-1).
// EXIT: 66
// EXPECT: ^leakcheck: found misuse \(0 leaked in 0 groups, 1 misuse\)$
// EXPECT: ^\[close of invalid fd -1\]$
// EXPECT: ^  at: release +.*fd_close_invalid\.c:19 +\(thread 1\)$
// EXPECT: ^leakcheck: 0 leaked, 1 misuse; exit status 66$
// EXPECT-COUNT: 1 ^\[
// STDOUT: ^close: -1 EBADF$
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct conn { int fd; };

static int release(struct conn *c)
{
    return close(c->fd);
}

int main(void)
{
    struct conn c = { -1 };
    int r = release(&c);
    printf("close: %d %s\n", r, strerrorname_np(errno));
    return 0;
}
