/* Pipe ping-pong: two threads bounce one byte over a pair of pipes, so every round trip is two blocking reads
 * and two writes on channel fds. ns_per_op is per round trip. */
#include "bench.h"
#include <pthread.h>
#include <unistd.h>

static int ab[2], ba[2];                /* main -> echo, echo -> main */
static long rounds;

static void *echo(void *arg)
{
    (void)arg;
    char c;
    for (long i = 0; i < rounds; i++) {
        if (read(ab[0], &c, 1) != 1 || write(ba[1], &c, 1) != 1) {
            perror("echo");
            exit(2);
        }
    }
    return NULL;
}

static void ping(long n)
{
    char c = 'x';
    for (long i = 0; i < n; i++) {
        if (write(ab[1], &c, 1) != 1 || read(ba[0], &c, 1) != 1) {
            perror("ping");
            exit(2);
        }
    }
}

int main(int argc, char **argv)
{
    long n = iterations(argc, argv, 30000), warm = n / 20 + 1;
    rounds = warm + n;
    if (pipe(ab) || pipe(ba)) {
        perror("pipe");
        return 2;
    }
    pthread_t th;
    CHECK(pthread_create(&th, NULL, echo, NULL));
    ping(warm);
    double t0 = now_ns();
    ping(n);
    double dt = now_ns() - t0;
    CHECK(pthread_join(th, NULL));
    close(ab[0]); close(ab[1]); close(ba[0]); close(ba[1]);
    print_ns_per_op(dt, (double)n);
    return 0;
}
