/* The dump signal blocked in the program's threads, and the program's view of its masks: see sigmask.h. Each
 * thread keeps one bit, whether the program itself has the dump signal blocked there; the kernel's mask is the
 * program's plus the dump signal. */
#include "sigmask.h"
#include "blocking_call.h"
#include "resolve.h"
#include "shim_thread.h"
#include "sigview.h"
#include <poll.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <unistd.h>

static int dump_sig;                    /* 0: no dump signal */
static volatile int owned;              /* the shim owns it: blocked in the program's threads */
static LC_TLS int view_blocked;         /* the program has it blocked in this thread */

int sigmask_dump_signal(void) { return dump_sig; }
int sigmask_view_get(void) { return view_blocked; }
void sigmask_view_set(int blocked) { view_blocked = blocked; }

static void raw_mask(int how, int sig)
{
    sigset_t one;
    sigemptyset(&one);
    sigaddset(&one, sig);
    syscall(SYS_rt_sigprocmask, how, &one, NULL, sizeof(long));
}

void sigmask_start(int sig)
{
    sigset_t cur;
    if (sig <= 0 || sig >= 65)
        return;
    dump_sig = sig;
    if (syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &cur, sizeof(long)) == 0)
        view_blocked = sigismember(&cur, sig);   /* blocked by the parent: the program's own block */
}

void sigmask_owner_changed(int sig, int mine)
{
    if (sig != dump_sig || sigview_mode() != LC_SV_C)
        return;
    int e = errno;
    /* the shim's thread opens it, or closes it before the program's action applies */
    __atomic_store_n(&owned, mine, __ATOMIC_SEQ_CST);
    shim_thread_sync_mask();
    errno = e;
}

void sigmask_caller(sigset_t *m)
{
    if (dump_sig <= 0 || sigview_mode() != LC_SV_C)
        return;
    if (owned)
        sigaddset(m, dump_sig);
    else if (!view_blocked)
        sigdelset(m, dump_sig);
}

int sigmask_shim_takes_dump(void)
{
    return __atomic_load_n(&owned, __ATOMIC_SEQ_CST) ? dump_sig : 0;
}

int sigmask_hidden(void)
{
    return owned && !view_blocked;
}

void sigmask_program(sigset_t *out)
{
    syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, out, sizeof(long));
    if (sigmask_hidden())
        sigdelset(out, dump_sig);
}

void sigmask_open(void)
{
    if (sigmask_hidden())
        raw_mask(SIG_UNBLOCK, dump_sig);
}

void sigmask_close(void)
{
    if (sigmask_hidden())
        raw_mask(SIG_BLOCK, dump_sig);
}

/* ---- the program's mask calls -------------------------------------------------------------------------------- */

/* set as the program gave it, made into the one the kernel gets (*tmp); *blocked: the program's bit after. */
static const sigset_t *program_set(int how, const sigset_t *set, sigset_t *tmp, int *blocked)
{
    *blocked = view_blocked;
    if (!set)
        return NULL;
    *tmp = *set;
    int in = sigismember(set, dump_sig) == 1;
    if (how == SIG_SETMASK)
        *blocked = in;
    else if (how == SIG_BLOCK)
        *blocked = view_blocked || in;
    else if (how == SIG_UNBLOCK)
        *blocked = view_blocked && !in;
    if (how == SIG_SETMASK || how == SIG_UNBLOCK)
        sigdelset(tmp, dump_sig);
    if (how == SIG_SETMASK)
        sigaddset(tmp, dump_sig);       /* still blocked for the kernel */
    return tmp;
}

#define MASK_WRAPPER(name, ok)                                                         \
    LC_REAL_DECL(int, name, (int, const sigset_t *, sigset_t *));                      \
    LC_EXPORT int name(int how, const sigset_t *set, sigset_t *old)                    \
    {                                                                                  \
        if (!owned)                                                                    \
            return LC_REAL(name)(how, set, old);                                       \
        sigset_t tmp;                                                                  \
        int was = view_blocked, now;                                                   \
        const sigset_t *k = program_set(how, set, &tmp, &now);                         \
        int r = LC_REAL(name)(how, k, old);                                            \
        if (r == (ok)) {                                                               \
            if (old && !was)                                                           \
                sigdelset(old, dump_sig);                                              \
            view_blocked = now;                                                        \
        }                                                                              \
        return r;                                                                      \
    }
MASK_WRAPPER(pthread_sigmask, 0)
MASK_WRAPPER(sigprocmask, 0)

/* The old BSD call: a bit mask of signals 1-31. */
LC_REAL_DECL(int, sigsetmask, (int));
LC_EXPORT int sigsetmask(int mask)
{
    if (!owned)
        return LC_REAL(sigsetmask)(mask);
    sigset_t set, old;
    sigemptyset(&set);
    for (int sig = 1; sig < 32; sig++)
        if (mask & (1 << (sig - 1)))
            sigaddset(&set, sig);
    if (pthread_sigmask(SIG_SETMASK, &set, &old) != 0)
        return -1;
    int r = 0;
    for (int sig = 1; sig < 32; sig++)
        if (sigismember(&old, sig) == 1)
            r |= 1 << (sig - 1);
    return r;
}

/* A mask the program gives for the length of one call: the dump signal stays blocked during it. */
static const sigset_t *during(const sigset_t *m, sigset_t *tmp)
{
    if (!m || !owned)
        return m;
    *tmp = *m;
    sigaddset(tmp, dump_sig);
    return tmp;
}

LC_REAL_DECL(int, sigsuspend, (const sigset_t *));
LC_EXPORT int sigsuspend(const sigset_t *m)
{
    sigset_t tmp;
    return LC_REAL(sigsuspend)(during(m, &tmp));
}

LC_EXPORT int __sigsuspend(const sigset_t *m)
{
    return sigsuspend(m);
}

LC_REAL_DECL(int, pselect, (int, fd_set *, fd_set *, fd_set *, const struct timespec *, const sigset_t *));
LC_EXPORT int pselect(int n, fd_set *r, fd_set *w, fd_set *e, const struct timespec *ts, const sigset_t *m)
{
    sigset_t tmp;
    return LC_REAL(pselect)(n, r, w, e, ts, during(m, &tmp));
}

LC_REAL_DECL(int, epoll_pwait2, (int, struct epoll_event *, int, const struct timespec *, const sigset_t *));
LC_EXPORT int epoll_pwait2(int ep, struct epoll_event *ev, int max, const struct timespec *ts, const sigset_t *m)
{
    sigset_t tmp;
    return LC_REAL(epoll_pwait2)(ep, ev, max, ts, during(m, &tmp));
}

const sigset_t *lc_sigmask_during(const sigset_t *m, sigset_t *tmp)
{
    return during(m, tmp);
}

/* The program waits for signals it blocked: when the dump signal is one of them, it is the program's. */
static void waits_for(const sigset_t *set)
{
    if (owned && set && sigismember(set, dump_sig) == 1)
        sigview_release(dump_sig);
}

/* The signals 1-64 of a set, bit n-1 for signal n: what a signal wait is shown waiting for. */
static uint64_t set_bits(const sigset_t *set)
{
    uint64_t bits = 0;
    for (int sig = 1; set && sig <= 64; sig++)
        if (sigismember(set, sig) == 1)
            bits |= 1ull << (sig - 1);
    return bits;
}

/* A thread waiting for signals is blocked on them ("blocked in sigwait for SIGTERM"), and waits for something
 * that may still come: a signal watcher, never a leak. */
#define WAIT_WRAPPER(ret, name, params, args, set)                                     \
    LC_REAL_DECL(ret, name, params);                                                   \
    LC_EXPORT ret name params                                                          \
    {                                                                                  \
        waits_for(set);                                                                \
        if (!lc_self || !LC_ACTIVE())                                                  \
            return LC_REAL(name) args;                                                 \
        struct lc_task *t_ = lc_block_begin(#name, LC_OBJ_SIGNALS, (const void *)(uintptr_t)set_bits(set)); \
        ret r_ = LC_REAL(name) args;                                                   \
        lc_block_end(t_);                                                              \
        return r_;                                                                     \
    }
WAIT_WRAPPER(int, sigwait, (const sigset_t *s, int *sig), (s, sig), s)
WAIT_WRAPPER(int, sigwaitinfo, (const sigset_t *s, siginfo_t *i), (s, i), s)
WAIT_WRAPPER(int, sigtimedwait, (const sigset_t *s, siginfo_t *i, const struct timespec *t), (s, i, t), s)

LC_REAL_DECL(int, signalfd, (int, const sigset_t *, int));
LC_EXPORT int signalfd(int fd, const sigset_t *s, int flags)
{
    waits_for(s);
    return LC_REAL(signalfd)(fd, s, flags);
}

/* The program sends the dump signal to itself while it has it blocked: it means to take it later (sigwait, a
 * signalfd), so from now on it is the program's, and stays pending for it instead of being a dump request. */
static void sends_blocked(int sig)
{
    if (sig > 0 && sig == dump_sig && owned && view_blocked)
        sigview_release(dump_sig);
}

/* The same for a signal sent to a process (kill, sigqueue): getpid only for the dump signal. */
static void sends_to(pid_t pid, int sig)
{
    if (sig == dump_sig && pid == getpid())
        sends_blocked(sig);
}

LC_REAL_DECL(int, kill, (pid_t, int));
LC_EXPORT int kill(pid_t pid, int sig)
{
    sends_to(pid, sig);
    return LC_REAL(kill)(pid, sig);
}

LC_REAL_DECL(int, sigqueue, (pid_t, int, const union sigval));
LC_EXPORT int sigqueue(pid_t pid, int sig, const union sigval v)
{
    sends_to(pid, sig);
    return LC_REAL(sigqueue)(pid, sig, v);
}

/* The dump signal sent to a thread of the program (raise, pthread_kill) would wait there forever, blocked:
 * it goes to the process, which means to the shim's thread. */
LC_REAL_DECL(int, raise, (int));
LC_EXPORT int raise(int sig)
{
    sends_blocked(sig);
    if (sig > 0 && sig == dump_sig && sigmask_hidden())
        return kill(getpid(), sig);
    return LC_REAL(raise)(sig);
}

LC_REAL_DECL(int, pthread_kill, (pthread_t, int));
LC_EXPORT int pthread_kill(pthread_t th, int sig)
{
    if (sig > 0 && sig == dump_sig && owned)
        return kill(getpid(), sig) == 0 ? 0 : errno;
    return LC_REAL(pthread_kill)(th, sig);
}
