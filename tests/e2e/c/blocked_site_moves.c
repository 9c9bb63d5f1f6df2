// A reader that blocks again and again at one call site reached through one caller, then at the same site
// through another caller with the same frame layout (so the shim's frames and the read sit at the same stack
// depth as before): the shim reuses a blocking stack only while the return addresses it holds are still on the
// stack, so the stack shown for the last read, where the reader is left for good, names the second caller.
// OPTIONS: grace_ms=50
// EXIT: 66
// EXPECT: ^leakcheck: found unexpected threads \(1 leaked in 1 groups\)$
// EXPECT: ^\[1 thread blocked for [0-9.]+s in read on pipe fd [0-9]+ \(made at main .*blocked_site_moves\.c:[0-9]+\)\]$
// EXPECT: ^    next_byte +.*blocked_site_moves\.c:26$
// EXPECT: ^    from_idle +.*blocked_site_moves\.c:37$
// REJECT: from_busy
// EXPECT: ^leakcheck: 1 leaked, 0 misuse; exit status 66$
// STDOUT: ^read 40$
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

#define BUSY 40

static int feed[2];
static int busy_reads, idle_reads;

static int next_byte(void)
{
    char c;
    return (int)read(feed[0], &c, 1);
}

static void from_busy(void)
{
    if (next_byte() == 1)
        busy_reads++;
}

static void from_idle(void)
{
    if (next_byte() == 1)
        idle_reads++;
}

static void *reader(void *arg)
{
    for (int i = 0; i < BUSY; i++)
        from_busy();
    from_idle();                        /* nobody writes again */
    return arg;
}

int main(void)
{
    char bytes[BUSY] = { 0 };
    if (pipe(feed) != 0)
        return 1;
    if (write(feed[1], bytes, BUSY) != BUSY)
        return 1;
    pthread_t t;
    pthread_create(&t, NULL, reader, NULL);
    while (busy_reads < BUSY)
        usleep(1000);
    usleep(20000);
    printf("read %d\n", busy_reads);
    return 0;
}
