// Connections each carry a mutex in zeroed heap memory, from malloc as `new`'s are (all zero is a default mutex
// to glibc, as a C++ object's std::mutex is: neither is ever initialised or destroyed through pthreads). The
// first hundred are locked inside the table lock, the next hundred lock the table inside their own; each is
// freed after use, so malloc hands the new connections the old ones' memory. No mutex is ever taken in both
// orders: a mutex in freed memory is gone, and a quiet run (earlier builds reported a lock-order inversion, exit
// 66). A true inversion on heap mutexes is still found: see lock_order_heap. Before the connections, the graph
// already watches heap memory (a mutex in calloc'd memory nested once) and the thread frees a connection-sized
// block that holds no lock: every connection reuses that block, and a free that remembered it as clear would
// keep its mutex. It frees NULL then too, which is no block to look into.
// EXIT: 0
// REJECT: leakcheck
// STDOUT: ^200 connections$
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct conn {
    pthread_mutex_t mu;
    char buf[64];
};

static pthread_mutex_t table = PTHREAD_MUTEX_INITIALIZER;
static int count;

static struct conn *new_conn(void)
{
    struct conn *c = malloc(sizeof *c);
    memset(c, 0, sizeof *c);
    return c;
}

static void attach_conn(void)
{
    struct conn *c = new_conn();
    pthread_mutex_lock(&table);
    pthread_mutex_lock(&c->mu);
    count++;
    pthread_mutex_unlock(&c->mu);
    pthread_mutex_unlock(&table);
    free(c);
}

static void detach_conn(void)
{
    struct conn *c = new_conn();
    pthread_mutex_lock(&c->mu);
    pthread_mutex_lock(&table);
    count++;
    pthread_mutex_unlock(&table);
    pthread_mutex_unlock(&c->mu);
    free(c);
}

int main(void)
{
    struct {
        pthread_mutex_t mu;
        char pad[512];
    } *other = calloc(1, sizeof *other);
    pthread_mutex_lock(&table);
    pthread_mutex_lock(&other->mu);
    pthread_mutex_unlock(&other->mu);
    pthread_mutex_unlock(&table);
    free(malloc(sizeof(struct conn)));
    void *volatile none = NULL;         /* (a constant NULL's free is compiled away) */
    free(none);
    for (int i = 0; i < 100; i++)
        attach_conn();
    for (int i = 0; i < 100; i++)
        detach_conn();
    printf("%d connections\n", count);
    free(other);
    return 0;
}
