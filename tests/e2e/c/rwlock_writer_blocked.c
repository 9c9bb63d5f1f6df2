// main takes the config read lock in a lookup helper and forgets to release it; the writer blocks forever, and
// main returns still holding the read lock.
// OPTIONS: grace_ms=100
// EXIT: 66
// EXPECT: ^leakcheck: found unexpected threads \(1 leaked in 1 groups?, 1 misuse\)$
// EXPECT: ^\[1 thread blocked for [0-9]+\.[0-9]{2}s in pthread_rwlock_wrlock on rwlock 0x[0-9a-f]+\]$
// EXPECT: ^    save_config +.*rwlock_writer_blocked\.c:30( |$)
// EXPECT: ^    config_writer +.*rwlock_writer_blocked\.c:38( |$)
// EXPECT: ^  created by main +.*rwlock_writer_blocked\.c:46 +\(thread 1\)
// EXPECT: ^\[thread exited holding a lock on mutex 0x[0-9a-f]+ \(read lock\)\]$
// EXPECT: ^  locked at: lookup_port +.*rwlock_writer_blocked\.c:23 +\(thread 1\)$
// EXPECT: ^leakcheck: 1 leaked, 1 misuse; exit status 66$
// STDOUT: ^port 8080$
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_rwlock_t config_lock = PTHREAD_RWLOCK_INITIALIZER;
static int config_port = 8080, saving;

static int lookup_port(void)
{
    pthread_rwlock_rdlock(&config_lock);
    return config_port; /* bug: the read lock is never released */
}

static void save_config(int port)
{
    __atomic_store_n(&saving, 1, __ATOMIC_RELEASE);
    pthread_rwlock_wrlock(&config_lock);
    config_port = port;
    pthread_rwlock_unlock(&config_lock);
}

static void *config_writer(void *arg)
{
    (void)arg;
    save_config(9090);
    return NULL;
}

int main(void)
{
    pthread_t w;
    printf("port %d\n", lookup_port());
    pthread_create(&w, NULL, config_writer, NULL);
    while (!__atomic_load_n(&saving, __ATOMIC_ACQUIRE))
        usleep(1000);
    usleep(20 * 1000);
    return 0;
}
