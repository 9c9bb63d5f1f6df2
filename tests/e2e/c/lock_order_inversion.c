// The cache is updated under (cache, index) by one code path and rebuilt under (index, cache) by another.
// This run happens not to deadlock (the two never overlap), but the order is inverted: reported anyway, with
// both acquisition sites.
// EXIT: 66
// EXPECT: ^leakcheck: found misuse \(0 leaked in 0 groups, 1 misuse\)$
// EXPECT: ^\[lock-order inversion of mutex 0x[0-9a-f]+ \(and 0x[0-9a-f]+\)\]$
// EXPECT: ^  acquired A then B at: rebuild_index +.*lock_order_inversion\.c:32 +\(thread 3\)$
// EXPECT: ^  acquired B then A at: update_entry +.*lock_order_inversion\.c:22 +\(thread 2\)$
// EXPECT: ^leakcheck: 0 leaked, 1 misuse; exit status 66$
// EXPECT-COUNT: 1 ^\[
// STDOUT: ^entries 1, rebuilds 1$
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER, index_lock = PTHREAD_MUTEX_INITIALIZER;
static int entries, rebuilds;

static void *update_entry(void *arg)
{
    pthread_mutex_lock(&cache_lock);
    entries++;
    pthread_mutex_lock(&index_lock);
    pthread_mutex_unlock(&index_lock);
    pthread_mutex_unlock(&cache_lock);
    return arg;
}

static void *rebuild_index(void *arg)
{
    pthread_mutex_lock(&index_lock);
    rebuilds++;
    pthread_mutex_lock(&cache_lock);
    pthread_mutex_unlock(&cache_lock);
    pthread_mutex_unlock(&index_lock);
    return arg;
}

int main(void)
{
    pthread_t a, b;
    pthread_create(&a, NULL, update_entry, NULL);
    pthread_join(a, NULL);
    pthread_create(&b, NULL, rebuild_index, NULL);
    pthread_join(b, NULL);
    printf("entries %d, rebuilds %d\n", entries, rebuilds);
    return 0;
}
