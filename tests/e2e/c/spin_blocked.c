// A worker asks for a spinlock the main thread took and never gives back: it spins forever in
// pthread_spin_lock, reported as blocked on the spinlock.
// OPTIONS: grace_ms=100
// EXIT: 66
// EXPECT: ^leakcheck: found unexpected threads \(1 leaked in 1 groups?\)$
// EXPECT: ^\[1 thread blocked for [0-9]+\.[0-9]{2}s in pthread_spin_lock on spinlock 0x[0-9a-f]+\]$
// EXPECT: ^    reload_config +.*spin_blocked\.c:23( |$)
// EXPECT: ^  created by main +.*spin_blocked\.c:34 +\(thread 1\)
// EXPECT-COUNT: 1 ^\[
// EXPECT: ^leakcheck: 1 leaked, 0 misuse; exit status 66$
// STDOUT: ^config locked$
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_spinlock_t config_lock;
static int asked;

static void *reload_config(void *arg)
{
    (void)arg;
    __atomic_store_n(&asked, 1, __ATOMIC_RELEASE);
    pthread_spin_lock(&config_lock);
    pthread_spin_unlock(&config_lock);
    return NULL;
}

int main(void)
{
    pthread_t t;
    pthread_spin_init(&config_lock, PTHREAD_PROCESS_PRIVATE);
    pthread_spin_lock(&config_lock);
    printf("config locked\n");
    pthread_create(&t, NULL, reload_config, NULL);
    while (!__atomic_load_n(&asked, __ATOMIC_ACQUIRE))
        usleep(1000);
    usleep(20 * 1000);
    return 0;                           /* bug: the lock is never released */
}
