/* Shared helpers for the C benchmarks: a monotonic clock, the iteration count (argv[1] overrides the default,
 * so run.sh can shrink the work for slow peers), the result line run.sh parses, VmRSS, and the program's own
 * second thread of the _mt rows. */
#ifndef BENCH_H
#define BENCH_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <pthread.h>
#include <unistd.h>

static inline double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static inline long iterations(int argc, char **argv, long def)
{
    long n = argc > 1 ? atol(argv[1]) : def;
    return n > 0 ? n : def;
}

/* The one line run.sh reads: elapsed time of the measured loop divided by the operations it did. */
static inline void print_ns_per_op(double elapsed_ns, double ops)
{
    printf("ns_per_op %.1f\n", elapsed_ns / ops);
}

/* Resident set size in KiB from /proc/self/status, -1 when unreadable. */
static inline long rss_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    if (!f)
        return -1;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "VmRSS:", 6) == 0) {
            kb = atol(line + 6);
            break;
        }
    fclose(f);
    return kb;
}

/* Abort on a failed pthread call: a benchmark that silently does less work would report nonsense. */
#define CHECK(call) do {                                                             \
        int e_ = (call);                                                             \
        if (e_) {                                                                    \
            fprintf(stderr, "%s: error %d\n", #call, e_);                            \
            exit(2);                                                                 \
        }                                                                            \
    } while (0)

/* The _mt rows (NAME_mt: bench/NAME.c built with -DBENCH_MT): the program has a second thread of its own, idle
 * in a read of a pipe for the whole measured loop, so glibc has left its single-thread paths (locks, stdio)
 * as in any threaded program. bench_mt_start() before the loop, bench_mt_stop() after it (joins it). */
#ifdef BENCH_MT
static int bench_mt_pipe[2];
static pthread_t bench_mt_thread;
static void *bench_mt_idle(void *arg)
{
    char c;
    (void)arg;
    while (read(bench_mt_pipe[0], &c, 1) < 0)
        ;
    return NULL;
}
static inline void bench_mt_start(void)
{
    if (pipe(bench_mt_pipe) != 0)
        exit(2);
    CHECK(pthread_create(&bench_mt_thread, NULL, bench_mt_idle, NULL));
}
static inline void bench_mt_stop(void)
{
    if (write(bench_mt_pipe[1], "x", 1) != 1)
        exit(2);
    CHECK(pthread_join(bench_mt_thread, NULL));
}
#else
static inline void bench_mt_start(void) {}
static inline void bench_mt_stop(void) {}
#endif
#endif
