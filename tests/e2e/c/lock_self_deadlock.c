// update() holds the cache lock and calls a helper that takes it again: a non-recursive mutex relocked by its
// owner never returns. Reported at once; with deadlock_check_ms the program is ended instead of hanging.
// OPTIONS: deadlock_check_ms=100
// EXIT: 66
// EXPECT: ^leakcheck: found unexpected threads \(1 leaked in 1 groups, 1 misuse\)$
// EXPECT: ^\[1 thread blocked for [01]\.[0-9]{2}s in pthread_mutex_lock on mutex 0x[0-9a-f]+\]$
// EXPECT: ^  held by this same thread: it waits for itself \(self-deadlock\)$
// EXPECT: ^\[self-deadlock on mutex 0x[0-9a-f]+\]$
// EXPECT: ^  at: +evict_oldest +.*lock_self_deadlock\.c:23 +\(thread 2\)$
// EXPECT: ^  locked at: update +.*lock_self_deadlock\.c:30 +\(thread 2\)$
// EXPECT: ^leakcheck: 1 leaked, 1 misuse; exit status 66$
// STDOUT: ^updating$
// Without the shim this program hangs: there is no plain run to compare stdout with.
// STDOUT-VARIES
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static int cache[8], used;

static void evict_oldest(void)
{
    pthread_mutex_lock(&cache_lock);
    used--;
    pthread_mutex_unlock(&cache_lock);
}

static void update(int v)
{
    pthread_mutex_lock(&cache_lock);
    if (used == 8)
        evict_oldest(); /* bug: cache_lock is already held */
    cache[used++] = v;
    pthread_mutex_unlock(&cache_lock);
}

static void *updater(void *arg)
{
    for (int i = 0; i < 10; i++)
        update(i);
    return arg;
}

int main(void)
{
    pthread_t t;
    printf("updating\n");
    fflush(stdout);
    pthread_create(&t, NULL, updater, NULL);
    pthread_join(t, NULL);
    printf("done\n");
    return 0;
}
