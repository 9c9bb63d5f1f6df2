/* putc into a fully buffered stream (on /dev/null): the cost of stdio's locking, which glibc skips while the
 * process has a single thread. c_putc_mt: the same with the program's own second thread (bench.h). */
#include "bench.h"

int main(int argc, char **argv)
{
    long n = iterations(argc, argv, 50000000);
    FILE *f = fopen("/dev/null", "w");
    static char buf[1 << 16];
    if (!f || setvbuf(f, buf, _IOFBF, sizeof buf) != 0)
        return 2;
    for (long i = 0; i < n / 100; i++)          /* warm up */
        putc('a' + (int)(i & 15), f);
    bench_mt_start();
    double t0 = now_ns();
    for (long i = 0; i < n; i++)
        putc('a' + (int)(i & 15), f);
    double dt = now_ns() - t0;
    bench_mt_stop();
    print_ns_per_op(dt, (double)n);
    return fclose(f) == 0 ? 0 : 1;
}
