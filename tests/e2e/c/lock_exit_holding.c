// A loader thread returns early on a parse error while still holding the config lock; main later finds the
// lock taken and gives up. The thread that ended holding a lock is named with where it took it.
// EXIT: 66
// EXPECT: ^leakcheck: found misuse \(0 leaked in 0 groups, 1 misuse\)$
// EXPECT: ^\[thread exited holding a lock on mutex 0x[0-9a-f]+\]$
// EXPECT: ^  at: +loader +.*lock_exit_holding\.c:[0-9]+ +\(thread 2\)$
// EXPECT: ^  locked at: load_config +.*lock_exit_holding\.c:19 +\(thread 2\)$
// EXPECT: ^leakcheck: 0 leaked, 1 misuse; exit status 66$
// STDOUT: ^load: -1, config lock busy: yes$
#include <errno.h>
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t config_lock = PTHREAD_MUTEX_INITIALIZER;
static int config_version;

static int load_config(const char *text)
{
    pthread_mutex_lock(&config_lock);
    if (text[0] != '{')
        return -1; /* bug: returns with config_lock held */
    config_version++;
    pthread_mutex_unlock(&config_lock);
    return 0;
}

static void *loader(void *arg)
{
    return (void *)(long)load_config(arg);
}

int main(void)
{
    pthread_t t;
    void *r;
    pthread_create(&t, NULL, loader, "not json");
    pthread_join(t, &r);
    int busy = pthread_mutex_trylock(&config_lock) == EBUSY;
    printf("load: %ld, config lock busy: %s\n", (long)r, busy ? "yes" : "no");
    return 0;
}
