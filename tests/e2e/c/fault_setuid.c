// A setuid program (AT_SECURE) linked with the shim: log_path and suppressions from the environment must be
// ignored (the report goes to stderr, no file is created even in a world-writable directory, the leak a
// suppression would hide is reported), with a note at verbosity=2. Control runs of the same binary without
// the setuid bit write their log file and apply the suppression as asked. A setuid copy of a program that
// only gets the shim through LD_PRELOAD runs without it (the loader drops the preload) and behaves as usual.
// The driver needs root (to make a copy owned by nobody); otherwise it skips.
// DRIVER: fault_setuid.sh
// OPTIONS: grace_ms=50:verbosity=2
// EXIT: 0
// EXPECT: ^control: secure 0, exit 66$
// EXPECT: ^control: log files: 1$
// EXPECT: ^control: stderr has no report$
// EXPECT: ^control-supp: secure 0, exit 0$
// EXPECT: ^control-supp: stderr has no report$
// EXPECT: ^setuid: secure 1, exit 66$
// EXPECT: ^setuid: log files: 0$
// EXPECT: ^setuid: leakcheck: setuid program: log_path and suppressions from the environment ignored$
// EXPECT: ^setuid: leakcheck: found unexpected threads \(1 leaked in 1 groups?\)$
// EXPECT: ^setuid:     worker +.*fault_setuid\.c:[0-9]+( |$)
// EXPECT: ^setuid: leakcheck: 1 leaked, 0 misuse; exit status 66$
// EXPECT: ^preload: secure 1, exit 0$
// EXPECT: ^preload: stderr empty$
// REJECT: ^SKIP
#include <pthread.h>
#include <stdio.h>
#include <sys/auxv.h>
#include <unistd.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;

static void *worker(void *arg)
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
    pthread_create(&t, NULL, worker, NULL);
    printf("secure %lu\n", getauxval(AT_SECURE));
    usleep(20 * 1000);
    return 0;
}
