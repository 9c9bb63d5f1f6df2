// Correct: readers and writers share a table under a rwlock; all joined.
// EXIT: 0
// REJECT: ^leakcheck
// STDOUT: ^version 400, reads 2000$
#include <pthread.h>
#include <stdio.h>

static pthread_rwlock_t lock = PTHREAD_RWLOCK_INITIALIZER;
static int version, table[64];
static long reads;
static pthread_mutex_t reads_mu = PTHREAD_MUTEX_INITIALIZER;

static void *reader(void *arg)
{
    (void)arg;
    for (int i = 0; i < 500; i++) {
        pthread_rwlock_rdlock(&lock);
        int v = table[version % 64];
        (void)v;
        pthread_rwlock_unlock(&lock);
        pthread_mutex_lock(&reads_mu);
        reads++;
        pthread_mutex_unlock(&reads_mu);
    }
    return NULL;
}

static void *writer(void *arg)
{
    (void)arg;
    for (int i = 0; i < 200; i++) {
        pthread_rwlock_wrlock(&lock);
        table[version % 64] = i;
        version++;
        pthread_rwlock_unlock(&lock);
    }
    return NULL;
}

int main(void)
{
    pthread_t r[4], w[2];
    for (int i = 0; i < 4; i++)
        pthread_create(&r[i], NULL, reader, NULL);
    for (int i = 0; i < 2; i++)
        pthread_create(&w[i], NULL, writer, NULL);
    for (int i = 0; i < 4; i++)
        pthread_join(r[i], NULL);
    for (int i = 0; i < 2; i++)
        pthread_join(w[i], NULL);
    printf("version %d, reads %ld\n", version, reads);
    return 0;
}
