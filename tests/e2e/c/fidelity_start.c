// What a program sees from its start, the same with and without the shim: errno at main, the disposition of
// every signal and the signal mask, a single thread (also 1 s after a thread of its own ended), the fd numbers
// it is handed; and a program it starts without the shim (exec with LD_PRELOAD dropped) finds the same mask
// and dispositions in the kernel's own account (/proc/self/status).
// DRIVER: ../drivers/fidelity.sh
// EXIT: 0
// EXPECT: ^stdout: same$
// EXPECT: ^status: same \(0\)$
// EXPECT: ^\| errno at main: 0$
// EXPECT: ^\| threads: 1$
// EXPECT: ^\| threads after one ended: 1$
// EXPECT: ^\| fds: open 3, pipe 4 5, socketpair 6 7, dup 8, eventfd 9$
// EXPECT: ^\| exec'd: SigBlk:[[:space:]]+0+$
// REJECT: ^leakcheck
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

extern char **environ;

static void status_line(const char *prefix, const char *key)
{
    char line[256];
    FILE *f = fopen("/proc/self/status", "r");
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, key, strlen(key)))
            printf("%s%s", prefix, line);
    if (f)
        fclose(f);
}

static int threads(void)
{
    char line[256];
    int n = 0;
    FILE *f = fopen("/proc/self/status", "r");
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "Threads:", 8))
            n = atoi(line + 8);
    if (f)
        fclose(f);
    return n;
}

static void *nothing(void *arg)
{
    return arg;
}

int main(int argc, char **argv)
{
    int e = errno;
    if (argc > 1 && !strcmp(argv[1], "exec")) {
        /* without the shim: the kernel's own account of the mask and of what is caught or ignored */
        status_line("exec'd: ", "SigBlk");
        status_line("exec'd: ", "SigIgn");
        status_line("exec'd: ", "SigCgt");
        return 0;
    }
    printf("errno at main: %d\n", e);
    printf("dispositions:");
    for (int sig = 1; sig < 65; sig++) {
        struct sigaction sa;
        if (sigaction(sig, NULL, &sa) != 0)
            continue;
        if (sa.sa_handler != SIG_DFL)
            printf(" %d=%s", sig, sa.sa_handler == SIG_IGN ? "ignored" : "handled");
    }
    printf("\n");
    sigset_t m;
    sigprocmask(SIG_BLOCK, NULL, &m);
    printf("blocked:");
    for (int sig = 1; sig < 65; sig++)
        if (sigismember(&m, sig) == 1)
            printf(" %d", sig);
    printf("\n");
    printf("threads: %d\n", threads());
    int fd = open("/dev/null", O_RDONLY), p[2], s[2];
    if (pipe(p) != 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, s) != 0)
        return 1;
    int d = dup(fd), ev = eventfd(0, 0);
    printf("fds: open %d, pipe %d %d, socketpair %d %d, dup %d, eventfd %d\n", fd, p[0], p[1], s[0], s[1], d, ev);
    pthread_t t;
    pthread_create(&t, NULL, nothing, NULL);
    pthread_join(t, NULL);
    sleep(1);
    printf("threads after one ended: %d\n", threads());
    fflush(stdout);
    /* a program started without the shim */
    size_t n = 0;
    while (environ[n])
        n++;
    char *env[n + 1], *args[] = { argv[0], "exec", NULL };
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (strncmp(environ[i], "LD_PRELOAD=", 11) != 0)
            env[k++] = environ[i];
    env[k] = NULL;
    execve("/proc/self/exe", args, env);
    return 1;
}
