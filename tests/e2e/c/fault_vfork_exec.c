// vfork + exec from a multi-threaded program: the child execs this program again (it runs under the shim
// too: LD_PRELOAD is inherited) and ends clean, a second vfork child fails to exec and _exits 127. Neither
// child reports anything; the parent's verdict names only its own leaked worker.
// OPTIONS: grace_ms=50
// EXIT: 66
// EXPECT-COUNT: 1 ^leakcheck: found unexpected threads \(1 leaked in 1 groups?\)$
// EXPECT: ^\[1 thread blocked for [0-9]+\.[0-9]{2}s in pthread_cond_wait on cond 0x[0-9a-f]+\]$
// EXPECT: ^    parent_worker +.*fault_vfork_exec\.c:[0-9]+( |$)
// EXPECT: ^  created by main +.*fault_vfork_exec\.c:[0-9]+ +\(thread 1\)
// EXPECT-COUNT: 1 ^leakcheck: 1 leaked, 0 misuse; exit status 66$
// REJECT: child_helper
// STDOUT: ^exec'd child: joined 4, exit 0$
// STDOUT: ^failed exec: exit 127$
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;

static void *parent_worker(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&mu);
    for (;;)
        pthread_cond_wait(&cv, &mu);
    return NULL;
}

static void *child_helper(void *arg)
{
    return arg;
}

/* The exec'd program: a few threads, all joined. */
static int child(void)
{
    pthread_t t[4];
    long n = 0;
    for (long i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, child_helper, (void *)1);
    for (int i = 0; i < 4; i++) {
        void *r;
        pthread_join(t[i], &r);
        n += (long)r;
    }
    printf("exec'd child: joined %ld, ", n);
    return 0;
}

static int run(const char *path, char *const argv[])
{
    int st;
    fflush(stdout);
    pid_t pid = vfork();
    if (pid == 0) {
        execv(path, argv);
        _exit(127);
    }
    if (pid < 0 || waitpid(pid, &st, 0) != pid)
        return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "child") == 0)
        return child();
    pthread_t w;
    pthread_create(&w, NULL, parent_worker, NULL);
    char *child_argv[] = { argv[0], "child", NULL };
    int st = run("/proc/self/exe", child_argv);
    printf("exit %d\n", st);
    char *bad_argv[] = { "nonexistent", NULL };
    printf("failed exec: exit %d\n", run("/nonexistent/program", bad_argv));
    usleep(20 * 1000);
    return 0;
}
