/* A new program starts as it would without the shim: the dump signal the shim keeps blocked in this thread
 * (sigmask.h) is open again for it (exec, posix_spawn, system, popen), and a call that needs a process of one
 * thread (unshare of a user namespace, setns) finds no thread of the shim's. What a child's findings do is the
 * children option (lifecycle.c). The exec wrappers may run in a vfork child, on the parent's memory: they change
 * nothing but this task's signal mask. */
#include "spawn.h"
#include "resolve.h"
#include "shim_thread.h"
#include "sigmask.h"
#include <sched.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

LC_REAL_DECL(int, execve, (const char *, char *const[], char *const[]));
LC_REAL_DECL(int, execv, (const char *, char *const[]));
LC_REAL_DECL(int, execvp, (const char *, char *const[]));
LC_REAL_DECL(int, execvpe, (const char *, char *const[], char *const[]));
LC_REAL_DECL(int, fexecve, (int, char *const[], char *const[]));
LC_REAL_DECL(int, execveat, (int, const char *, char *const[], char *const[], int));

/* Resolved at start-up: a vfork child must not be the first to look them up (one a libc lacks is looked up
 * again, and required, only if the program calls it). */
void spawn_init(void)
{
    real_execve = lc_dlsym_next("execve", 0);
    real_execv = lc_dlsym_next("execv", 0);
    real_execvp = lc_dlsym_next("execvp", 0);
    real_execvpe = lc_dlsym_next("execvpe", 0);
    real_fexecve = lc_dlsym_next("fexecve", 0);
    real_execveat = lc_dlsym_next("execveat", 0);
}

/* The call starts a new program from this thread: the dump signal open for it, closed again if it returns. */
#define SPAWNING(call) ({ sigmask_open(); __typeof__(call) r_ = (call); int e_ = errno; sigmask_close(); \
                          errno = e_; r_; })

LC_EXPORT int execve(const char *path, char *const argv[], char *const envp[])
{
    return SPAWNING(LC_REAL(execve)(path, argv, envp));
}

LC_EXPORT int execv(const char *path, char *const argv[])
{
    return SPAWNING(LC_REAL(execv)(path, argv));
}

LC_EXPORT int execvp(const char *file, char *const argv[])
{
    return SPAWNING(LC_REAL(execvp)(file, argv));
}

LC_EXPORT int execvpe(const char *file, char *const argv[], char *const envp[])
{
    return SPAWNING(LC_REAL(execvpe)(file, argv, envp));
}

LC_EXPORT int fexecve(int fd, char *const argv[], char *const envp[])
{
    return SPAWNING(LC_REAL(fexecve)(fd, argv, envp));
}

LC_EXPORT int execveat(int dirfd, const char *path, char *const argv[], char *const envp[], int flags)
{
    return SPAWNING(LC_REAL(execveat)(dirfd, path, argv, envp, flags));
}

/* execl, execle, execlp: libc calls its internal execve, so the argument lists are made into vectors here. */
#define COLLECT_ARGS(first, last, argv)                                                \
    va_list ap_;                                                                       \
    size_t n_ = 1;                                                                     \
    va_start(ap_, last);                                                               \
    while (va_arg(ap_, char *))                                                        \
        n_++;                                                                          \
    va_end(ap_);                                                                       \
    char *argv[n_ + 1];                                                                \
    argv[0] = (char *)(first);                                                         \
    va_start(ap_, last);                                                               \
    for (size_t i_ = 1; i_ <= n_; i_++)                                                \
        argv[i_] = va_arg(ap_, char *)

LC_EXPORT int execl(const char *path, const char *arg, ...)
{
    COLLECT_ARGS(arg, arg, argv);
    va_end(ap_);
    return execv(path, argv);
}

LC_EXPORT int execlp(const char *file, const char *arg, ...)
{
    COLLECT_ARGS(arg, arg, argv);
    va_end(ap_);
    return execvp(file, argv);
}

LC_EXPORT int execle(const char *path, const char *arg, ...)
{
    COLLECT_ARGS(arg, arg, argv);
    char *const *envp = va_arg(ap_, char *const *);
    va_end(ap_);
    return execve(path, argv, envp);
}

/* posix_spawn: a child that would inherit this thread's mask gets the program's instead. */
#define SPAWN_WRAPPER(name)                                                            \
    LC_REAL_DECL(int, name, (pid_t *, const char *, const posix_spawn_file_actions_t *, \
                             const posix_spawnattr_t *, char *const[], char *const[]));  \
    LC_EXPORT int name(pid_t *pid, const char *path, const posix_spawn_file_actions_t *fa, \
                       const posix_spawnattr_t *attr, char *const argv[], char *const envp[]) \
    {                                                                                  \
        short fl = 0;                                                                  \
        if (!sigmask_hidden() || (attr && (posix_spawnattr_getflags(attr, &fl) != 0 || \
                                           (fl & POSIX_SPAWN_SETSIGMASK))))            \
            return LC_REAL(name)(pid, path, fa, attr, argv, envp);                     \
        posix_spawnattr_t a;                                                           \
        sigset_t m;                                                                    \
        if (attr)                                                                      \
            a = *attr;                                                                 \
        else                                                                           \
            posix_spawnattr_init(&a);                                                  \
        sigmask_program(&m);                                                           \
        posix_spawnattr_setsigmask(&a, &m);                                            \
        posix_spawnattr_setflags(&a, (short)(fl | POSIX_SPAWN_SETSIGMASK));            \
        int r = LC_REAL(name)(pid, path, fa, &a, argv, envp);                          \
        if (!attr)                                                                     \
            posix_spawnattr_destroy(&a);                                               \
        return r;                                                                      \
    }
SPAWN_WRAPPER(posix_spawn)
SPAWN_WRAPPER(posix_spawnp)

/* system() and popen() spawn from inside libc with this thread's mask. */
LC_REAL_DECL(int, system, (const char *));
LC_EXPORT int system(const char *cmd)
{
    return SPAWNING(LC_REAL(system)(cmd));
}

LC_REAL_DECL(FILE *, popen, (const char *, const char *));
LC_EXPORT FILE *popen(const char *cmd, const char *mode)
{
    return SPAWNING(LC_REAL(popen)(cmd, mode));
}

/* ---- calls that want a process of one thread ------------------------------------------------------------- */

#define ALONE(needed, call) ({                                                  \
        int n_ = (needed);                                                             \
        if (n_)                                                                        \
            shim_thread_pause();                                                       \
        int r_ = (call), e_ = errno;                                                   \
        if (n_)                                                                        \
            shim_thread_resume();                                                      \
        errno = e_;                                                                    \
        r_; })

LC_REAL_DECL(int, unshare, (int));
LC_EXPORT int unshare(int flags)
{
    return ALONE(flags & (CLONE_NEWUSER | CLONE_THREAD | CLONE_SIGHAND | CLONE_VM), LC_REAL(unshare)(flags));
}

LC_REAL_DECL(int, setns, (int, int));
LC_EXPORT int setns(int fd, int nstype)
{
    return ALONE(1, LC_REAL(setns)(fd, nstype));
}
