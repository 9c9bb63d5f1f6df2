/* Uncontended pthread_mutex_lock/unlock pairs on one thread: the cost of the lock wrapper's fast path.
 * c_mutex_mt: the same with the program's own second thread, idle (bench.h). */
#include "bench.h"
#include <pthread.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static volatile long counter;

int main(int argc, char **argv)
{
    long n = iterations(argc, argv, 20000000);
    for (long i = 0; i < n / 100; i++) {       /* warm up: resolve symbols, fault in pages */
        pthread_mutex_lock(&mu);
        pthread_mutex_unlock(&mu);
    }
    bench_mt_start();
    double t0 = now_ns();
    for (long i = 0; i < n; i++) {
        pthread_mutex_lock(&mu);
        counter++;
        pthread_mutex_unlock(&mu);
    }
    double dt = now_ns() - t0;
    bench_mt_stop();
    print_ns_per_op(dt, (double)n);
    return 0;
}
