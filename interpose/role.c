/* Which process this is. The one the user started is the root; a program started by a process that runs the
 * shim (the parent maps this same library) is a child, which children= leaves alone by default: the shells and
 * tools a program runs are seldom what is under test. Launchers are the exception, in one table: programs
 * that only start the one under test and pass its status on (`timeout 600 ./test`, `go test`). A launcher the
 * user started is not checked itself, and a program it starts counts as the root (for the go command, only
 * what it built and runs: a test binary or `go run`'s, not the compiler, linker or vet it also starts). */
#include "role.h"
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

enum launcher { NOT_LAUNCHER, LAUNCHER, LAUNCHER_GO };

static const struct { const char *name; enum launcher kind; } launchers[] = {
    { "timeout", LAUNCHER }, { "time", LAUNCHER },  { "flock", LAUNCHER },   { "setsid", LAUNCHER },
    { "unshare", LAUNCHER }, { "nsenter", LAUNCHER }, { "prlimit", LAUNCHER }, { "setpriv", LAUNCHER },
    { "nice", LAUNCHER },    { "nohup", LAUNCHER },   { "env", LAUNCHER },     { "stdbuf", LAUNCHER },
    { "taskset", LAUNCHER }, { "chrt", LAUNCHER },    { "ionice", LAUNCHER },  { "go", LAUNCHER_GO },
};

/* /proc/PID/exe into exe (pid 0: this process); 0 when it cannot be read. */
static int exe_of(pid_t pid, char *exe, size_t len)
{
    char path[64];
    if (pid)
        snprintf(path, sizeof path, "/proc/%d/exe", (int)pid);
    else
        snprintf(path, sizeof path, "/proc/self/exe");
    long n = syscall(SYS_readlinkat, AT_FDCWD, path, exe, len - 1);
    if (n <= 0)
        return 0;
    exe[n] = 0;
    return 1;
}

static enum launcher launcher_of(pid_t pid)
{
    char exe[512];
    if (!exe_of(pid, exe, sizeof exe))
        return NOT_LAUNCHER;
    const char *base = strrchr(exe, '/');
    base = base ? base + 1 : exe;
    for (size_t i = 0; i < sizeof launchers / sizeof launchers[0]; i++)
        if (strcmp(base, launchers[i].name) == 0)
            return launchers[i].kind;
    return NOT_LAUNCHER;
}

/* The parent of pid, from /proc/PID/stat ("pid (comm) state ppid ..."; comm may hold spaces and parens). */
static pid_t parent_of(pid_t pid)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    long fd = syscall(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC), n;
    if (fd < 0)
        return 0;
    n = syscall(SYS_read, fd, buf, sizeof buf - 1);
    syscall(SYS_close, fd);
    if (n <= 0)
        return 0;
    buf[n] = 0;
    const char *p = strrchr(buf, ')');
    int ppid = 0;
    return p && sscanf(p + 1, " %*c %d", &ppid) == 1 ? ppid : 0;
}

/* Whether process pid maps this same library (device and inode, whatever path it was loaded by; the kernel
 * writes them " %02x:%02x %lu " in each line of /proc/PID/maps). */
static char needle[64];                 /* this library's " dev inode " as maps writes it ("" when unknown) */
static int nl;

static int runs_shim(pid_t pid)
{
    if (pid <= 0 || nl <= 0)
        return 0;
    char path[64], buf[16384];
    snprintf(path, sizeof path, "/proc/%d/maps", (int)pid);
    long fd = syscall(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC), got;
    size_t keep = 0;                    /* the end of the last chunk, where a needle may begin */
    int found = 0;
    while (fd >= 0 && !found && (got = syscall(SYS_read, fd, buf + keep, sizeof buf - keep)) > 0) {
        size_t len = keep + (size_t)got;
        found = memmem(buf, len, needle, (size_t)nl) != NULL;
        keep = len < (size_t)nl ? len : (size_t)nl;
        memmove(buf, buf + len - keep, keep);
    }
    if (fd >= 0)
        syscall(SYS_close, fd);
    return found;
}

/* What the go command builds and runs: a test binary (pkg.test) or go run's, in its work directory. */
static int built_by_go(void)
{
    char exe[512];
    if (!exe_of(0, exe, sizeof exe))
        return 0;
    size_t n = strlen(exe);
    return strstr(exe, "/go-build") != NULL || (n > 5 && strcmp(exe + n - 5, ".test") == 0);
}

/* A child: started under the shim, and not by a launcher the user started (one that is not itself a child). */
static int is_child(void)
{
    pid_t parent = getppid();
    if (!runs_shim(parent))
        return 0;
    enum launcher by = launcher_of(parent);
    if (by == NOT_LAUNCHER || (by == LAUNCHER_GO && !built_by_go()))
        return 1;
    pid_t grand = parent_of(parent);
    return runs_shim(grand) && launcher_of(grand) == NOT_LAUNCHER;   /* timeout run by the program under test */
}

enum lc_role role_of_process(void)
{
    Dl_info di;
    struct stat me;
    if (dladdr((void *)role_of_process, &di) && di.dli_fname && stat(di.dli_fname, &me) == 0)
        nl = snprintf(needle, sizeof needle, " %02x:%02x %llu ", major(me.st_dev), minor(me.st_dev),
                      (unsigned long long)me.st_ino);
    if (is_child())
        return LC_ROLE_CHILD;
    return launcher_of(0) != NOT_LAUNCHER ? LC_ROLE_LAUNCHER : LC_ROLE_ROOT;
}
