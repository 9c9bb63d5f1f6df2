// A poller thread spins on a flag that main forgets to set before returning: still running at exit.
// OPTIONS: grace_ms=100
// EXIT: 66
// EXPECT: ^leakcheck: found unexpected threads \(1 leaked in 1 groups?\)$
// EXPECT: ^\[1 thread still running for [0-9]+\.[0-9]{2}s\]$
// EXPECT: ^    .*poll_events( |$)
// EXPECT: ^  created by main +.*busy_running\.c:29 +\(thread 1\)
// EXPECT: ^leakcheck: 1 leaked, 0 misuse; exit status 66$
// REJECT: blocked for
// STDOUT: ^polling$
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static volatile int stop_polling;
static volatile unsigned long polls;

static void *poll_events(void *arg)
{
    (void)arg;
    while (!stop_polling)
        polls++;
    return NULL;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, poll_events, NULL);
    printf("polling\n");
    usleep(50 * 1000);
    return 0; /* bug: never sets stop_polling nor joins */
}
