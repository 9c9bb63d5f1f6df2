// main() ends with pthread_exit() while a detached worker still runs: POSIX ends the process when its last
// thread ends, with status 0, after atexit handlers and stdio's flush. The shim's thread (started with the
// worker) must not keep the process alive, and a pending SIGTERM must not be needed to end it.
// DRIVER: ../drivers/fidelity.sh
// EXIT: 0
// EXPECT: ^stdout: same$
// EXPECT: ^status: same \(0\)$
// EXPECT: ^\| worker done$
// EXPECT: ^\| atexit handler ran$
// REJECT: ^leakcheck
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void at_exit(void)
{
    printf("atexit handler ran\n");         /* buffered: printed only if exit() flushes stdio */
}

static void *worker(void *arg)
{
    usleep(200000);
    printf("worker done\n");
    return arg;
}

int main(void)
{
    pthread_t t;
    pthread_attr_t a;
    atexit(at_exit);
    pthread_attr_init(&a);
    pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
    pthread_create(&t, &a, worker, NULL);
    printf("main thread ends\n");
    pthread_exit(NULL);
}
