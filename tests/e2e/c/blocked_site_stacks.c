// blocked_site_moves on threads with stacks of every kind: glibc's default, small ones (64 KiB, and 32 KiB
// with a 16 KiB guard) and one the program allocated itself (pthread_attr_setstack). The shim learns each
// thread's stack at its start, from its size and glibc's layout, without asking glibc (which would allocate);
// a reader that blocks again and again at one site, then at the same site through another caller, must show
// the second caller on every one of them.
// OPTIONS: grace_ms=50
// EXIT: 66
// EXPECT: ^leakcheck: found unexpected threads \(4 leaked in 1 groups\)$
// EXPECT: ^\[4 threads blocked for [0-9.]+s( \(newest [0-9.]+s\))? in read on pipe fd [0-9]+ \(made at main .*blocked_site_stacks\.c:[0-9]+\) and 3 other fds\]$
// EXPECT: ^    next_byte +.*blocked_site_stacks\.c:29$
// EXPECT: ^    from_idle +.*blocked_site_stacks\.c:40$
// REJECT: from_busy
// EXPECT: ^leakcheck: 4 leaked, 0 misuse; exit status 66$
// STDOUT: ^read 160$
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define BUSY 40
#define THREADS 4

static int feed[THREADS][2];
static int busy_reads;

static int next_byte(int fd)
{
    char c;
    return (int)read(fd, &c, 1);
}

static void from_busy(int fd)
{
    if (next_byte(fd) == 1)
        __atomic_add_fetch(&busy_reads, 1, __ATOMIC_RELAXED);
}

static void from_idle(int fd)
{
    next_byte(fd);                      /* nobody writes again */
}

static void *reader(void *arg)
{
    int fd = *(int *)arg;
    for (int i = 0; i < BUSY; i++)
        from_busy(fd);
    from_idle(fd);
    return NULL;
}

int main(void)
{
    static char bytes[BUSY];
    for (int i = 0; i < THREADS; i++)
        if (pipe(feed[i]) != 0 || write(feed[i][1], bytes, sizeof bytes) != (ssize_t)sizeof bytes)
            return 1;
    pthread_attr_t attr[THREADS];
    for (int i = 0; i < THREADS; i++)
        pthread_attr_init(&attr[i]);
    pthread_attr_setstacksize(&attr[1], 64 * 1024);
    pthread_attr_setstacksize(&attr[2], 32 * 1024);
    pthread_attr_setguardsize(&attr[2], 16 * 1024);
    size_t own = 256 * 1024;
    void *stack = aligned_alloc(4096, own);
    if (!stack || pthread_attr_setstack(&attr[3], stack, own) != 0)
        return 1;
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        if (pthread_create(&t[i], &attr[i], reader, &feed[i][0]) != 0)
            return 1;
    while (__atomic_load_n(&busy_reads, __ATOMIC_RELAXED) < BUSY * THREADS)
        usleep(1000);
    usleep(20000);
    printf("read %d\n", busy_reads);
    return 0;
}
