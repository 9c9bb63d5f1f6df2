// log_path where no file can be made: in a missing directory, under a regular file, in an unwritable place
// (/proc as root, a read-only directory otherwise), and a path longer than PATH_MAX. Each time: one clear
// line naming the path and the reason, the report on stderr instead, nothing created, and the program runs as
// usual (same stdout, exit status 66 from the findings).
// DRIVER: fault_logpath_bad.sh
// OPTIONS: grace_ms=50
// EXIT: 0
// EXPECT: ^missing: exit 66, stdout ok, 1 message line, report on stderr, files created: 0$
// EXPECT: ^missing: message: leakcheck: .*log_path.*/missing/sub/lc.*No such file or directory.*stderr
// EXPECT: ^notdir: exit 66, stdout ok, 1 message line, report on stderr, files created: 0$
// EXPECT: ^notdir: message: leakcheck: .*log_path.*/afile/lc.*Not a directory.*stderr
// EXPECT: ^unwritable: exit 66, stdout ok, 1 message line, report on stderr, files created: 0$
// EXPECT: ^unwritable: message: leakcheck: .*log_path.*(/proc/|/readonly/)lc.*(Permission denied|No such file|Read-only).*stderr
// EXPECT: ^toolong: exit 66, stdout ok, 1 message line, report on stderr, files created: 0$
// EXPECT: ^toolong: message: leakcheck: .*log_path.*(File name too long|too long)
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;

static void *logger(void *arg)
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
    pthread_create(&t, NULL, logger, NULL);
    printf("working\n");
    usleep(20 * 1000);
    printf("done\n");
    return 0;
}
