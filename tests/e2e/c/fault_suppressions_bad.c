// Hostile suppressions= files: missing, a directory, a FIFO nobody writes (must not block), /proc/self/mem
// (unreadable: EIO), /dev/zero (endless), a regular file over the size limit, binary garbage, a file with a
// NUL byte after a good rule (not text: none of it applies), and two that
// must work: a 3 MB file of 100,000 rules whose last one matches (bounded time), and CRLF line ends. The
// unusable ones get one clear line each and no suppression applies (the leak is reported, exit 66); the
// program always runs normally.
// DRIVER: fault_suppressions_bad.sh
// OPTIONS: grace_ms=20
// EXIT: 0
// EXPECT: ^missing: exit 66, stdout ok, 1 messages, reported$
// EXPECT: ^missing: message: leakcheck: .*suppressions.*No such file or directory
// EXPECT: ^directory: exit 66, stdout ok, 1 messages, reported$
// EXPECT: ^directory: message: leakcheck: .*suppressions.*Is a directory
// EXPECT: ^fifo: exit 66, stdout ok, 1 messages, reported$
// EXPECT: ^mem: exit 66, stdout ok, 1 messages, reported$
// EXPECT: ^endless: exit 66, stdout ok, 1 messages, reported$
// EXPECT: ^endless: message: leakcheck: .*suppressions.*(too large|too big|File too large)
// EXPECT: ^too-big: exit 66, stdout ok, 1 messages, reported$
// EXPECT: ^garbage: exit 66, stdout ok, [1-9][0-9]* messages, reported$
// EXPECT: ^nul: exit 66, stdout ok, 1 messages, reported$
// EXPECT: ^nul: message: leakcheck: .*suppressions.*not a text file
// EXPECT: ^huge: exit 0, stdout ok, 0 messages, suppressed$
// EXPECT: ^huge: within 2 s: yes$
// EXPECT: ^crlf: exit 0, stdout ok, 0 messages, suppressed$
// REJECT: unprefixed|messages too long
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;

static void *stuck_worker(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&mu);
    for (;;)
        pthread_cond_wait(&cv, &mu);
    return NULL;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, stuck_worker, NULL);
    printf("running\n");
    usleep(5 * 1000);
    printf("done\n");
    return 0;
}
