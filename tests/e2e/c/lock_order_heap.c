// Two heap mutexes, in calloc'd memory that stays allocated, taken in both orders by two threads one after the
// other: the run does not hang, but the order is inverted and reported with both sites (memory that is freed
// takes its locks with it; memory still in use keeps them).
// EXIT: 66
// EXPECT: ^leakcheck: found misuse \(0 leaked in 0 groups, 1 misuse\)$
// EXPECT: ^\[lock-order inversion of mutex 0x[0-9a-f]+ \(and 0x[0-9a-f]+\)\]$
// EXPECT: ^  acquired A then B at: +flush +.*lock_order_heap\.c:33 +\(thread [0-9]+\)$
// EXPECT: ^  acquired B then A at: +record +.*lock_order_heap\.c:23 +\(thread [0-9]+\)$
// EXPECT: ^leakcheck: 0 leaked, 1 misuse; exit status 66$
// STDOUT: ^flushed 1$
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct stats { pthread_mutex_t mu; int pending; };
struct log { pthread_mutex_t mu; char scratch[256]; };
static struct stats *st;
static struct log *lg;

static void *record(void *arg)
{
    pthread_mutex_lock(&st->mu);
    pthread_mutex_lock(&lg->mu);
    st->pending++;
    pthread_mutex_unlock(&lg->mu);
    pthread_mutex_unlock(&st->mu);
    return arg;
}

static void *flush(void *arg)
{
    pthread_mutex_lock(&lg->mu);
    pthread_mutex_lock(&st->mu);
    printf("flushed %d\n", st->pending);
    pthread_mutex_unlock(&st->mu);
    pthread_mutex_unlock(&lg->mu);
    return arg;
}

int main(void)
{
    st = calloc(1, sizeof *st);
    lg = calloc(1, sizeof *lg);
    pthread_t t;
    pthread_create(&t, NULL, record, NULL);
    pthread_join(t, NULL);
    for (int i = 0; i < 1000; i++)
        free(malloc(64 + i % 200));   /* other memory freed meanwhile */
    pthread_create(&t, NULL, flush, NULL);
    pthread_join(t, NULL);
    free(lg);
    free(st);
    return 0;
}
