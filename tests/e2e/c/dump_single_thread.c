// leakcheck dump on a C program of one thread, blocked in a read: no thread of leakcheck's exists to take the
// dump signal (it would wait, blocked, until the program starts a second thread), so dump reads the process
// from outside, as leakcheck attach does, and prints its live report at once; the program is not signalled and
// stays single-threaded. Where tracing is denied (LEAKCHECK_ATTACH a tool that fails), dump sends the signal
// and says when the report comes: once the program starts its second thread, which it does when the read
// returns (dump_single_thread.sh). A correct program: its exit is quiet.
// DRIVER: dump_single_thread.sh
// EXIT: 0
// EXPECT: ^dump: exit 0$
// EXPECT: ^leakcheck: PID runs a single thread, with no thread of leakcheck's to take its dump signal: reading it from outside \(leakcheck attach\)$
// EXPECT: ^leakcheck: live report \(pid PID, 1 tasks\)$
// EXPECT: ^\[1 thread blocked for [0-9.]+s in read on fd 0\]$
// EXPECT: ^    main +.*dump_single_thread\.c:39$
// EXPECT: ^threads after dump: 1$
// EXPECT: ^dump denied: exit 0$
// EXPECT: ^leakcheck: PID cannot be read from outside; sending its dump signal instead$
// EXPECT: ^leakcheck: PID runs a single thread: the report is written when it starts a second one
// EXPECT: ^program: exit 0$
// EXPECT: ^stderr: leakcheck: live report \(pid PID, 2 tasks\)$
// EXPECT: ^stderr: \[1 thread blocked for [0-9.]+s in pthread_join on thread 2\]$
// EXPECT: ^stderr:     main +.*dump_single_thread\.c:43$
// EXPECT: ^stdout: done$
// REJECT: ^stderr: leakcheck: (found|[0-9]+ leaked)
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void *worker(void *arg)
{
    usleep(300 * 1000);     /* long enough for the shim's new thread to take the pending signal */
    return arg;
}

int main(void)
{
    printf("started\n");
    fflush(stdout);
    char c;
    if (read(0, &c, 1) != 1)
        return 1;
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    pthread_join(t, NULL);
    printf("done\n");
    return 0;
}
