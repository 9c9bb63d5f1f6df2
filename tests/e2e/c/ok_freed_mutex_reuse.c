// Connections each carry a mutex in calloc'd memory (all zero is a default mutex to glibc, as a C++ object's
// std::mutex is: neither is ever initialised or destroyed through pthreads). The first hundred are locked
// inside the table lock, the next hundred lock the table inside their own; each is freed after use, so malloc
// hands the new connections the old ones' memory. No mutex is ever taken in both orders: a mutex in freed
// memory is gone, and a quiet run (earlier builds reported a lock-order inversion, exit 66). A true inversion
// on heap mutexes is still found: see lock_order_heap.
// EXIT: 0
// REJECT: leakcheck
// STDOUT: ^200 connections$
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct conn {
    pthread_mutex_t mu;
    char buf[64];
};

static pthread_mutex_t table = PTHREAD_MUTEX_INITIALIZER;
static int count;

static void attach_conn(void)
{
    struct conn *c = calloc(1, sizeof *c);
    pthread_mutex_lock(&table);
    pthread_mutex_lock(&c->mu);
    count++;
    pthread_mutex_unlock(&c->mu);
    pthread_mutex_unlock(&table);
    free(c);
}

static void detach_conn(void)
{
    struct conn *c = calloc(1, sizeof *c);
    pthread_mutex_lock(&c->mu);
    pthread_mutex_lock(&table);
    count++;
    pthread_mutex_unlock(&table);
    pthread_mutex_unlock(&c->mu);
    free(c);
}

int main(void)
{
    for (int i = 0; i < 100; i++)
        attach_conn();
    for (int i = 0; i < 100; i++)
        detach_conn();
    printf("%d connections\n", count);
    return 0;
}
