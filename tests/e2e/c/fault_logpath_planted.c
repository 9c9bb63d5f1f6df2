// Something planted at log_path.PID while the program runs must be neither followed nor waited on: a symlink
// to an existing file (the file keeps its contents), a dangling symlink (its target is not created), a FIFO
// nobody reads (opening it must not block the exit). Each time the planted thing is left as it was, one clear
// line says why, and the report goes to stderr. The driver plants them while the program waits on stdin.
// DRIVER: fault_logpath_planted.sh
// OPTIONS: grace_ms=50
// EXIT: 0
// EXPECT: ^existing: exit 66$
// EXPECT: ^existing: target unchanged$
// EXPECT: ^existing: still a link$
// EXPECT: ^existing: message: leakcheck: .*log_path.*(symbolic link|Too many levels).*stderr
// EXPECT: ^existing: report on stderr$
// EXPECT: ^dangling: exit 66$
// EXPECT: ^dangling: target not created$
// EXPECT: ^dangling: still a link$
// EXPECT: ^dangling: message: leakcheck: .*log_path.*(symbolic link|Too many levels).*stderr
// EXPECT: ^dangling: report on stderr$
// EXPECT: ^fifo: exit 66$
// EXPECT: ^fifo: still a fifo$
// EXPECT: ^fifo: message: leakcheck: .*log_path.*stderr
// EXPECT: ^fifo: report on stderr$
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;

static void *idle(void *arg)
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
    char line[16];
    pthread_create(&t, NULL, idle, NULL);
    printf("pid %d\n", (int)getpid());
    fflush(stdout);
    if (!fgets(line, sizeof line, stdin))   /* the driver says when the thing is in place */
        return 1;
    return 0;
}
