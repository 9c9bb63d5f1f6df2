// A daemon closes every fd above 2 (one by one up to the limit, then close_range) and takes high fd numbers
// for itself (dup2 onto each of the top half, F_DUPFD from the middle, its own file onto fd 1024), as without
// the shim: every call answers the same. The shim's own fds stay out of its reach, so the live report it is
// asked for and its exit report still reach its stderr, and nothing goes into its file at 1024. (exitcode=0:
// the leaked worker leaves the status as it is, for the compare.)
// DRIVER: ../drivers/fidelity.sh
// ENV: FIDELITY_DUMP=1
// OPTIONS: exitcode=0:grace_ms=50
// EXIT: 0
// EXPECT: ^stdout: same$
// EXPECT: ^status: same \(0\)$
// EXPECT: ^\| close: [0-9]+ open$
// EXPECT: ^\| close_range: 0$
// EXPECT: ^\| dup2 onto the top half: all [0-9]+$
// EXPECT: ^\| its file at fd 1024 after the live report: 0 bytes$
// EXPECT: ^leakcheck: live report \(pid [0-9]+, 2 tasks\)$
// EXPECT: ^leakcheck: found unexpected threads \(1 leaked in 1 groups\)$
// EXPECT-COUNT: 2 ^    wait_for_work +.*stuck_worker\.h:[0-9]+( |$)
// EXPECT: ^leakcheck: 1 leaked, 0 misuse; exit status 0$
#define _GNU_SOURCE
#include <fcntl.h>
#include "stuck_worker.h"
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void)
{
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    int lim = rl.rlim_cur > 65536 ? 65536 : (int)rl.rlim_cur, open_ = 0;
    for (int fd = 3; fd < lim; fd++)
        open_ += close(fd) == 0;
    printf("close: %d open\n", open_);
    printf("close_range: %d\n", close_range(3, ~0u, 0));
    int null = open("/dev/null", O_RDWR), all = 1;
    for (int fd = lim / 2; fd < lim; fd++)
        all &= dup2(null, fd) == fd;
    printf("dup2 onto the top half: %s %d\n", all ? "all" : "not all", lim - lim / 2);
    for (int fd = lim / 2; fd < lim; fd++)
        close(fd);
    printf("F_DUPFD from %d: %d\n", lim / 4, fcntl(null, F_DUPFD, lim / 4) - lim / 4);
    char path[] = "/tmp/fidelity_daemon.XXXXXX";
    int own = mkstemp(path);
    unlink(path);
    if (own < 0 || dup2(own, 1024) != 1024)
        return 1;
    start_stuck_worker();
    usleep(100000);
    printf("ready\n");
    fflush(stdout);
    usleep(500000);
    struct stat st;
    fstat(1024, &st);
    printf("its file at fd 1024 after the live report: %lld bytes\n", (long long)st.st_size);
    return 0;
}
