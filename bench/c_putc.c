/* putc on one thread into a buffer (fmemopen-like: /dev/null, fully buffered): stdio's single-thread fast
 * path, which glibc leaves as soon as the process has a second thread. */
#include "bench.h"
#include <stdio.h>

int main(int argc, char **argv)
{
    long n = iterations(argc, argv, 50000000);
    FILE *f = fopen("/dev/null", "w");
    static char buf[1 << 16];
    if (!f || setvbuf(f, buf, _IOFBF, sizeof buf) != 0)
        return 1;
    for (long i = 0; i < n / 100; i++)  /* warm up */
        putc('x', f);
    double t0 = now_ns();
    for (long i = 0; i < n; i++)
        putc('x', f);
    print_ns_per_op(now_ns() - t0, (double)n);
    fclose(f);
    return 0;
}
