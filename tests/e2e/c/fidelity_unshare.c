// A process of one thread may enter a new user namespace (unshare -r, rootless containers, sandboxes); the
// kernel refuses a process of several threads. Under the shim it still may: at start (the shim has no thread),
// right after a thread of its own ended (the shim's thread, still there, steps away for the call), and
// unshare -r itself, which the program then becomes (exec): same output, same status.
// DRIVER: ../drivers/fidelity.sh
// EXIT: 0
// EXPECT: ^stdout: same$
// EXPECT: ^status: same \(0\)$
// EXPECT: ^\| unshare at start: (0|-1 EPERM)$
// REJECT: EINVAL
// REJECT: ^leakcheck
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void *nothing(void *arg)
{
    return arg;
}

static void try(const char *when)
{
    int r = unshare(CLONE_NEWUSER);
    printf("unshare %s: %d%s%s\n", when, r, r ? " " : "", r ? strerrorname_np(errno) : "");
    fflush(stdout);
}

int main(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        try("at start");
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    if ((pid = fork()) == 0) {
        pthread_t t;
        pthread_create(&t, NULL, nothing, NULL);
        pthread_join(t, NULL);
        usleep(50000);                  /* joined, and gone from the kernel's thread group too */
        try("after a thread ended");
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    execlp("unshare", "unshare", "-r", "echo", "unshare -r: ran", (char *)NULL);
    return 1;
}
