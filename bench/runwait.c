/* Runs a command and reports what the benchmarks need about it that the command cannot print itself:
 *   runwait -o FILE CMD [ARG...]
 * fork/execs CMD (stdin/stdout/stderr inherited), waits for it with wait4 and writes to FILE
 *   wall_s S          elapsed seconds from fork to reaping
 *   cpu_s C           the child's user + system CPU seconds (steadier than wall time on a loaded machine)
 *   maxrss_kb K       the child's peak resident set (ru_maxrss)
 *   end_real_ns N     CLOCK_REALTIME when it was reaped (to compare with a timestamp the child printed)
 *   status X          its exit status, or 128+signal
 * and exits with the child's status, so callers can still see crashes and timeouts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc < 4 || strcmp(argv[1], "-o") != 0) {
        fprintf(stderr, "usage: runwait -o FILE CMD [ARG...]\n");
        return 2;
    }
    double t0 = mono_s();
    pid_t pid = fork();
    if (pid < 0) {
        perror("runwait: fork");
        return 2;
    }
    if (pid == 0) {
        execvp(argv[3], argv + 3);
        perror("runwait: exec");
        _exit(127);
    }
    int st = 0;
    struct rusage ru;
    while (wait4(pid, &st, 0, &ru) < 0)
        ;
    double t1 = mono_s();
    struct timespec rt;
    clock_gettime(CLOCK_REALTIME, &rt);
    int code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    FILE *f = fopen(argv[2], "w");
    if (!f) {
        perror("runwait: output file");
        return 2;
    }
    double cpu = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                 (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
    fprintf(f, "wall_s %.4f\ncpu_s %.4f\nmaxrss_kb %ld\nend_real_ns %lld\nstatus %d\n", t1 - t0, cpu,
            ru.ru_maxrss, (long long)rt.tv_sec * 1000000000LL + rt.tv_nsec, code);
    fclose(f);
    return code;
}
