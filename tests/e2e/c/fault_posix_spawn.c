// posix_spawn from a multi-threaded program: the children run this program again under the shim (LD_PRELOAD
// is inherited; children=report checks them). The clean child reports nothing and exits 0; the leaky child
// reports its own leaked thread and keeps its own status 0 (a child's findings never change its status); the
// parent's verdict names only its own worker. Reports share stderr: two verdicts.
// OPTIONS: grace_ms=50:children=report
// EXIT: 66
// STDOUT-VARIES
// EXPECT-COUNT: 2 ^leakcheck: found unexpected threads \(1 leaked in 1 groups?\)$
// EXPECT-COUNT: 2 ^\[1 thread blocked for [0-9]+\.[0-9]{2}s in pthread_cond_wait on cond 0x[0-9a-f]+\]$
// EXPECT-COUNT: 1 ^    parent_worker +.*fault_posix_spawn\.c:[0-9]+( |$)
// EXPECT-COUNT: 1 ^    child_leaker +.*fault_posix_spawn\.c:[0-9]+( |$)
// EXPECT-COUNT: 1 ^  created by main +.*fault_posix_spawn\.c:[0-9]+ +\(thread 1\)
// EXPECT-COUNT: 1 ^  created by leaky_child +.*fault_posix_spawn\.c:[0-9]+ +\(thread 1\)
// EXPECT-COUNT: 1 ^leakcheck: 1 leaked, 0 misuse; exit status 66$
// EXPECT-COUNT: 1 ^leakcheck: 1 leaked, 0 misuse; exit status 0$
// REJECT: clean_helper
// STDOUT: ^clean child: joined 4$
// STDOUT: ^clean child: exit 0$
// STDOUT: ^leaky child: exit 0$
// STDOUT: ^spawnp child: exit 0$
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;

static void *wait_forever(void)
{
    pthread_mutex_lock(&mu);
    for (;;)
        pthread_cond_wait(&cv, &mu);
    return NULL;
}

static void *parent_worker(void *arg)
{
    (void)arg;
    return wait_forever();
}

static void *child_leaker(void *arg)
{
    (void)arg;
    return wait_forever();
}

static void *clean_helper(void *arg)
{
    return arg;
}

static int clean_child(void)
{
    pthread_t t[4];
    long n = 0;
    for (long i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, clean_helper, (void *)1);
    for (int i = 0; i < 4; i++) {
        void *r;
        pthread_join(t[i], &r);
        n += (long)r;
    }
    printf("clean child: joined %ld\n", n);
    return 0;
}

static int leaky_child(void)
{
    pthread_t t;
    pthread_create(&t, NULL, child_leaker, NULL);
    usleep(20 * 1000);
    return 0;
}

static int spawn(int p, const char *path, const char *mode)
{
    pid_t pid;
    int st;
    char *argv[] = { (char *)path, (char *)mode, NULL };
    fflush(stdout);
    int r = p ? posix_spawnp(&pid, path, NULL, NULL, argv, environ)
              : posix_spawn(&pid, path, NULL, NULL, argv, environ);
    if (r != 0 || waitpid(pid, &st, 0) != pid)
        return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "clean") == 0)
        return clean_child();
    if (argc > 1 && strcmp(argv[1], "leaky") == 0)
        return leaky_child();
    if (argc > 1 && strcmp(argv[1], "quiet") == 0)
        return 0;
    pthread_t w;
    pthread_create(&w, NULL, parent_worker, NULL);
    printf("clean child: exit %d\n", spawn(0, "/proc/self/exe", "clean"));
    printf("leaky child: exit %d\n", spawn(0, "/proc/self/exe", "leaky"));
    /* posix_spawnp searches PATH only for names without a slash: a path still works. */
    printf("spawnp child: exit %d\n", spawn(1, "/proc/self/exe", "quiet"));
    usleep(20 * 1000);
    return 0;
}
