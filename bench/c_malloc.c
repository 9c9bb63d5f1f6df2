/* malloc + free of a 64-byte block, 20M times, in a program whose lock-order graph holds heap mutexes (two in
 * calloc'd memory were nested once first): every free looks its cache lines up in the shim's summary of locks
 * that may be freed (interpose/heap.c). A program that never nests a lock outside its variables pays one test. */
#include "bench.h"

int main(int argc, char **argv)
{
    long n = iterations(argc, argv, 20000000);
    pthread_mutex_t *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
    pthread_mutex_lock(a);
    pthread_mutex_lock(b);
    pthread_mutex_unlock(b);
    pthread_mutex_unlock(a);
    void *volatile keep;
    for (long i = 0; i < n / 100; i++) {        /* warm up */
        keep = malloc(64);
        free(keep);
    }
    double t0 = now_ns();
    for (long i = 0; i < n; i++) {
        keep = malloc(64);
        free(keep);
    }
    double dt = now_ns() - t0;
    print_ns_per_op(dt, (double)n);
    free(b);
    free(a);
    return 0;
}
