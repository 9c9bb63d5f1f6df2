// A log file that cannot be written (the disk is full: here no file may grow, ulimit -f 0): the text report
// of every periodic report and of the verdict fails, and stderr says so once, naming the file and the reason.
// The program runs as usual.
// DRIVER: fault_logpath_full.sh
// OPTIONS: grace_ms=50:interval=100ms
// EXIT: 0
// EXPECT: ^exit 66$
// EXPECT-COUNT: 1 ^leakcheck: cannot write the report to '.*/lc\.[0-9]+': File too large; it is incomplete or missing$
// EXPECT: ^working$
// EXPECT: ^done$
// REJECT: ^\[
#include "stuck_worker.h"
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    start_stuck_worker();
    printf("working\n");
    fflush(stdout);
    usleep(400000);
    printf("done\n");
    return 0;
}
