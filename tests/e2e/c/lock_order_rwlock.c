// Lock order is recorded on every acquisition, whatever the mode and whether it waited: a reader takes the
// table and then the stats read locks, a writer later takes stats then table for writing, while a third thread
// holds stats for a moment, so the writer's first lock is contended. The run does not hang; the inversion (a
// read lock under a read lock is an edge: the writer of either waits for it) is reported with both sites.
// EXIT: 66
// EXPECT: ^leakcheck: found misuse \(0 leaked in 0 groups, 1 misuse\)$
// EXPECT: ^\[lock-order inversion of mutex 0x[0-9a-f]+ \(and 0x[0-9a-f]+\)\]$
// EXPECT: ^  acquired A then B at: compact +.*lock_order_rwlock\.c:32 +\(thread 4\)$
// EXPECT: ^  acquired B then A at: report +.*lock_order_rwlock\.c:23 +\(thread 2\)$
// EXPECT: ^leakcheck: 0 leaked, 1 misuse; exit status 66$
// EXPECT-COUNT: 1 ^\[
// STDOUT: ^rows 2$
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_rwlock_t table = PTHREAD_RWLOCK_INITIALIZER, stats = PTHREAD_RWLOCK_INITIALIZER;
static int rows = 1;

static void *report(void *arg)
{
    pthread_rwlock_rdlock(&table);
    pthread_rwlock_rdlock(&stats);
    pthread_rwlock_unlock(&stats);
    pthread_rwlock_unlock(&table);
    return arg;
}

static void *compact(void *arg)
{
    pthread_rwlock_wrlock(&stats);    /* waits for the holder below */
    pthread_rwlock_wrlock(&table);
    rows++;
    pthread_rwlock_unlock(&table);
    pthread_rwlock_unlock(&stats);
    return arg;
}

static void *holder(void *arg)
{
    pthread_rwlock_rdlock(&stats);
    usleep(30000);
    pthread_rwlock_unlock(&stats);
    return arg;
}

int main(void)
{
    pthread_t r, c, h;
    pthread_create(&r, NULL, report, NULL);
    pthread_join(r, NULL);
    pthread_create(&h, NULL, holder, NULL);
    usleep(5000);
    pthread_create(&c, NULL, compact, NULL);
    pthread_join(c, NULL);
    pthread_join(h, NULL);
    printf("rows %d\n", rows);
    return 0;
}
