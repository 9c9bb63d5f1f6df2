// A thread returns on an error path while still holding the table lock; the next thread to take it blocks forever.
// OPTIONS: grace_ms=100
// EXIT: 66
// EXPECT: ^leakcheck: found unexpected threads \(1 leaked in 1 groups?(, [0-9]+ misuse)?\)$
// EXPECT: ^\[1 thread blocked for [0-9]+\.[0-9]{2}s in pthread_mutex_lock on mutex 0x[0-9a-f]+\]$
// EXPECT: ^    update_table +.*mutex_owner_exit\.c:38( |$)
// EXPECT: ^    updater +.*mutex_owner_exit\.c:46( |$)
// EXPECT: ^  created by main +.*mutex_owner_exit\.c:58 +\(thread 1\)
// EXPECT: ^leakcheck: 1 leaked, [0-9]+ misuse; exit status 66$
// EXPECT-COUNT: 1 ^\[[0-9]+ threads? 
// STDOUT: ^load failed: -1$
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static int table[16], updating;

static int load_table(int fail)
{
    pthread_mutex_lock(&table_lock);
    if (fail)
        return -1; /* bug: returns with table_lock held */
    table[0] = 1;
    pthread_mutex_unlock(&table_lock);
    return 0;
}

static void *loader(void *arg)
{
    (void)arg;
    return (void *)(long)load_table(1);
}

static void update_table(void)
{
    __atomic_store_n(&updating, 1, __ATOMIC_RELEASE);
    pthread_mutex_lock(&table_lock);
    table[1]++;
    pthread_mutex_unlock(&table_lock);
}

static void *updater(void *arg)
{
    (void)arg;
    update_table();
    return NULL;
}

int main(void)
{
    pthread_t l, u;
    void *rc;
    pthread_create(&l, NULL, loader, NULL);
    pthread_join(l, &rc);
    printf("load failed: %ld\n", (long)rc);
    fflush(stdout);
    pthread_create(&u, NULL, updater, NULL);
    while (!__atomic_load_n(&updating, __ATOMIC_ACQUIRE))
        usleep(1000);
    usleep(20 * 1000);
    return 0;
}
