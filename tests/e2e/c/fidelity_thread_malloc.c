// A thread that never allocates stays without an allocator arena of its own under the shim too: its blocking
// calls (a read on a pipe, a condition wait, a semaphore wait, a contended mutex, a join of a thread main made,
// since making one allocates its TLS in the creating thread; 20 of each, so the shim starts remembering their
// stacks) must not make it malloc. glibc gives a thread its own arena and cache at its first malloc, which the
// program sees in malloc_info (a heap more) and pays for in memory (a kilobyte and more per thread).
// DRIVER: ../drivers/fidelity.sh
// EXIT: 0
// EXPECT: ^stdout: same$
// EXPECT: ^status: same \(0\)$
// EXPECT: ^\| heaps 1$
// REJECT: ^leakcheck
#include <malloc.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int p[2], ack[2];
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t held = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static sem_t sem;
static int turn;
static pthread_t naps[20];

static void *nap(void *arg)
{
    usleep(500);
    return arg;
}

static void *worker(void *arg)
{
    char c;
    for (int i = 0; i < 20; i++) {
        if (read(p[0], &c, 1) != 1)
            _exit(2);
        pthread_mutex_lock(&mu);
        while (turn == 0)
            pthread_cond_wait(&cv, &mu);
        turn = 0;
        pthread_mutex_unlock(&mu);
        sem_wait(&sem);
        pthread_mutex_lock(&held);      /* main holds it for a moment */
        pthread_mutex_unlock(&held);
        if (pthread_join(naps[i], NULL) != 0)
            _exit(2);
        if (write(ack[1], "y", 1) != 1)
            _exit(2);
    }
    return arg;
}

int main(void)
{
    pthread_t t;
    if (sem_init(&sem, 0, 0) != 0 || pipe(p) != 0 || pipe(ack) != 0 || pthread_create(&t, NULL, worker, NULL) != 0)
        return 2;
    for (int i = 0; i < 20; i++) {
        if (pthread_create(&naps[i], NULL, nap, NULL) != 0)
            return 2;
        usleep(1000);                   /* the worker waits in read, then in the condition wait */
        if (write(p[1], "x", 1) != 1)
            return 2;
        usleep(1000);
        pthread_mutex_lock(&mu);
        turn = 1;
        pthread_mutex_lock(&held);
        pthread_cond_signal(&cv);
        pthread_mutex_unlock(&mu);
        usleep(1000);                   /* the worker waits in sem_wait */
        sem_post(&sem);
        usleep(1000);                   /* and then for held */
        pthread_mutex_unlock(&held);
        char c;
        if (read(ack[0], &c, 1) != 1)   /* one round at a time */
            return 2;
    }
    pthread_join(t, NULL);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f || malloc_info(0, f) != 0)
        return 2;
    fclose(f);
    int heaps = 0;
    for (const char *s = buf; (s = strstr(s, "<heap nr=")) != NULL; s++)
        heaps++;
    printf("heaps %d\n", heaps);
    free(buf);
    close(p[0]);
    close(p[1]);
    close(ack[0]);
    close(ack[1]);
    return 0;
}
