// The program's children behave as without the shim: system() of a shell pipeline, popen(), posix_spawn() of
// this program again (it leaks a thread and exits 5), a fork child that leaks a thread and exits 3, vfork()
// and exec. Each exit status is the child's own. With the default children=off the programs it starts are not
// checked at all (no report of the spawned one's); the fork child, the same program, is, and reports its
// thread with its own status.
// DRIVER: ../drivers/fidelity.sh
// EXIT: 0
// EXPECT: ^stdout: same$
// EXPECT: ^status: same \(0\)$
// EXPECT: ^\| system: hello, status 0$
// EXPECT: ^\| popen: status 3$
// EXPECT: ^\| posix_spawn of a leaking program: status 5$
// EXPECT: ^\| fork: status 3$
// EXPECT: ^\| vfork: status 7$
// EXPECT-COUNT: 1 ^leakcheck: found
// EXPECT: ^leakcheck: 1 leaked, 0 misuse; exit status 3$
// REJECT: exit status 5
#define _GNU_SOURCE
#include "stuck_worker.h"
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
    if (argc > 1) {                         /* the spawned program: a leaked thread, status 5 */
        start_stuck_worker();
        usleep(50000);
        return 5;
    }
    fflush(stdout);
    FILE *f = popen("bash -c 'echo hello | cat'", "r");
    char word[32] = "";
    if (!f || !fgets(word, sizeof word, f))
        return 1;
    pclose(f);
    for (char *p = word; *p; p++)
        if (*p == '\n')
            *p = 0;
    int st = system("bash -c 'echo hello | cat > /dev/null'");
    printf("system: %s, status %d\n", word, WEXITSTATUS(st));
    f = popen("sh -c 'exit 3'", "r");
    printf("popen: status %d\n", WEXITSTATUS(pclose(f)));
    pid_t pid;
    char *args[] = { argv[0], "leak", NULL };
    if (posix_spawn(&pid, "/proc/self/exe", NULL, NULL, args, environ) != 0)
        return 1;
    waitpid(pid, &st, 0);
    printf("posix_spawn of a leaking program: status %d\n", WEXITSTATUS(st));
    fflush(stdout);
    if ((pid = fork()) == 0) {
        start_stuck_worker();
        usleep(50000);
        exit(3);                            /* a leaked thread: reported, but the status stays 3 */
    }
    waitpid(pid, &st, 0);
    printf("fork: status %d\n", WEXITSTATUS(st));
    fflush(stdout);
    if ((pid = vfork()) == 0) {
        execlp("sh", "sh", "-c", "exit 7", (char *)NULL);
        _exit(127);
    }
    waitpid(pid, &st, 0);
    printf("vfork: status %d\n", WEXITSTATUS(st));
    return 0;
}
