// Correct: a bounded buffer guarded by two counting semaphores and a mutex; two producers, two consumers,
// each consumer stops at a sentinel; everything joined.
// EXIT: 0
// REJECT: ^leakcheck
// STDOUT: ^consumed 1000 items, total 499500$
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

#define SLOTS 8
#define PER_PRODUCER 500
#define STOP (-1)

static int buf[SLOTS], in, out;
static sem_t empty, full;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static void put(int v)
{
    sem_wait(&empty);
    pthread_mutex_lock(&mu);
    buf[in] = v;
    in = (in + 1) % SLOTS;
    pthread_mutex_unlock(&mu);
    sem_post(&full);
}

static int get(void)
{
    sem_wait(&full);
    pthread_mutex_lock(&mu);
    int v = buf[out];
    out = (out + 1) % SLOTS;
    pthread_mutex_unlock(&mu);
    sem_post(&empty);
    return v;
}

static void *producer(void *arg)
{
    int base = *(int *)arg;
    for (int i = 0; i < PER_PRODUCER; i++)
        put(base + i);
    return NULL;
}

static void *consumer(void *arg)
{
    long *acc = arg;
    int v;
    while ((v = get()) != STOP) {
        acc[0]++;
        acc[1] += v;
    }
    return NULL;
}

int main(void)
{
    pthread_t p[2], c[2];
    int base[2] = {0, PER_PRODUCER};
    long acc[2][2] = {{0, 0}, {0, 0}};
    sem_init(&empty, 0, SLOTS);
    sem_init(&full, 0, 0);
    for (int i = 0; i < 2; i++) {
        pthread_create(&c[i], NULL, consumer, acc[i]);
        pthread_create(&p[i], NULL, producer, &base[i]);
    }
    for (int i = 0; i < 2; i++)
        pthread_join(p[i], NULL);
    put(STOP);
    put(STOP);
    for (int i = 0; i < 2; i++)
        pthread_join(c[i], NULL);
    printf("consumed %ld items, total %ld\n", acc[0][0] + acc[1][0], acc[0][1] + acc[1][1]);
    sem_destroy(&empty);
    sem_destroy(&full);
    return 0;
}
