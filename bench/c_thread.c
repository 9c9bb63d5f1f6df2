/* pthread_create + pthread_join of a thread that returns at once, one at a time: the creation and reaping path
 * (creation stack capture, task record, exit hook). */
#include "bench.h"
#include <pthread.h>

static void *body(void *arg)
{
    return arg;
}

static void spawn_join(void)
{
    pthread_t th;
    void *ret;
    CHECK(pthread_create(&th, NULL, body, NULL));
    CHECK(pthread_join(th, &ret));
}

int main(int argc, char **argv)
{
    long n = iterations(argc, argv, 4000);
    for (long i = 0; i < 20; i++)
        spawn_join();
    double t0 = now_ns();
    for (long i = 0; i < n; i++)
        spawn_join();
    print_ns_per_op(now_ns() - t0, (double)n);
    return 0;
}
