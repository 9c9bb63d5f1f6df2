// A producer thread sends its results over a pipe and returns without closing the write end; the consumer
// reads until end of file, which never comes: it waits forever on a pipe nobody writes any more.
// OPTIONS: grace_ms=100
// EXIT: 66
// EXPECT: ^leakcheck: found unexpected threads \(1 leaked in 1 groups?\)$
// EXPECT: ^\[1 thread blocked for [0-9]+\.[0-9]{2}s in read on pipe fd [0-9]+ \(made at main +.*fd_reader_writer_exited\.c:39\)\]$
// EXPECT: ^    consume +.*fd_reader_writer_exited\.c:23( |$)
// EXPECT: ^  write end fd [0-9]+ still open, last written by thread 3 \(exited\)$
// EXPECT: ^  created by main +.*fd_reader_writer_exited\.c:41 +\(thread 1\)$
// EXPECT: ^leakcheck: 1 leaked, 0 misuse; exit status 66$
// STDOUT: ^total 6$
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static int results[2];
static long total;

static void *consume(void *arg)
{
    char buf[8];
    ssize_t n;
    while ((n = read(results[0], buf, sizeof buf)) > 0)
        for (ssize_t i = 0; i < n; i++)
            __atomic_add_fetch(&total, buf[i], __ATOMIC_RELAXED);
    return arg;
}

static void *produce(void *arg)
{
    char vals[3] = { 1, 2, 3 };
    (void)!write(results[1], vals, sizeof vals);
    return arg; /* bug: results[1] is never closed, so the consumer never sees end of file */
}

int main(void)
{
    pthread_t c, p;
    if (pipe(results) != 0)
        return 1;
    pthread_create(&c, NULL, consume, NULL);
    pthread_create(&p, NULL, produce, NULL);
    pthread_join(p, NULL);
    usleep(50 * 1000);
    printf("total %ld\n", __atomic_load_n(&total, __ATOMIC_RELAXED));
    return 0;
}
