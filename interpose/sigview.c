/* sigaction() and its relatives, as the program sees them: see sigview.h. Only the signals the shim wants are
 * kept apart; every other call goes straight to libc. The views change under a spin lock taken with every
 * signal blocked (sigaction may be called from a handler), so the shim's handler never waits for it. */
#include "sigview.h"
#include "resolve.h"
#include "sigmask.h"
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define NSIG_ 65

static enum lc_sv_mode mode;
static lc_sv_handler shim_handler;
static struct {
    unsigned char wanted;               /* the shim has a handler for it */
    unsigned char mine;                 /* ... and that handler is the kernel's action */
    struct sigaction view;              /* the program's action while mine */
} slot[NSIG_];
static volatile int lock_word;
static unsigned long long sigintr;      /* siginterrupt(sig, 1) was called: signal() sets no SA_RESTART */

LC_REAL_DECL(int, sigaction, (int, const struct sigaction *, struct sigaction *));

int lc_sigaction_real(int sig, const struct sigaction *act, struct sigaction *old)
{
    return LC_REAL(sigaction)(sig, act, old);
}

enum lc_sv_mode sigview_mode(void)
{
    return mode;
}

static int kept(int sig)
{
    return mode != LC_SV_OFF && sig > 0 && sig < NSIG_ && slot[sig].wanted;
}

/* ---- the lock: every signal blocked while it is held ------------------------------------------------------ */

static void enter(sigset_t *saved)
{
    sigset_t all;
    sigfillset(&all);
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &all, saved, sizeof(long));
    while (__atomic_exchange_n(&lock_word, 1, __ATOMIC_ACQUIRE))
        __builtin_ia32_pause();
}

static void leave(sigset_t *saved)
{
    __atomic_store_n(&lock_word, 0, __ATOMIC_RELEASE);
    sigmask_caller(saved);
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, saved, NULL, sizeof(long));
}

static sigset_t fork_saved;
void sigview_fork_prepare(void) { enter(&fork_saved); }
void sigview_fork_release(void) { leave(&fork_saved); }

/* ---- the kernel's action ------------------------------------------------------------------------------------ */

/* Whether the program's action act lets the shim's handler in: the default in C programs; anything but
 * SIG_IGN under libgo (Go's handler is chained). (sa_handler and sa_sigaction share their storage: SIG_DFL
 * and SIG_IGN read the same with SA_SIGINFO, which Go sets with them.) */
static int lets_in(const struct sigaction *act)
{
    if (act->sa_handler == SIG_IGN)
        return 0;
    return mode == LC_SV_GO || act->sa_handler == SIG_DFL;
}

/* The shim's handler in the kernel, with the program's flags and mask under libgo. */
static int install_shim(int sig, const struct sigaction *prog)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    if (mode == LC_SV_GO && prog->sa_handler != SIG_DFL) {
        sa.sa_mask = prog->sa_mask;
        sa.sa_flags = prog->sa_flags & ~SA_RESETHAND;
    } else {
        sigfillset(&sa.sa_mask);
        sa.sa_flags = SA_RESTART | SA_ONSTACK;
    }
    sa.sa_flags |= SA_SIGINFO;
    sa.sa_sigaction = shim_handler;
    return LC_REAL(sigaction)(sig, &sa, NULL);
}

void sigview_start(enum lc_sv_mode m, lc_sv_handler handler)
{
    shim_handler = handler;
    (void)LC_REAL(sigaction);           /* resolved now: handlers may need it */
    mode = m;
}

void sigview_want(int sig)
{
    struct sigaction cur;
    sigset_t saved;
    if (mode == LC_SV_OFF || sig <= 0 || sig >= NSIG_)
        return;
    enter(&saved);
    if (!slot[sig].wanted && LC_REAL(sigaction)(sig, NULL, &cur) == 0) {
        slot[sig].wanted = 1;
        /* Inherited SIG_IGN (nohup, a background job) or a handler a library installed first: theirs. */
        if (cur.sa_handler == SIG_DFL && install_shim(sig, &cur) == 0) {
            slot[sig].view = cur;
            slot[sig].mine = 1;
            sigmask_owner_changed(sig, 1);
        }
    }
    leave(&saved);
}

void sigview_release(int sig)
{
    sigset_t saved;
    if (!kept(sig))
        return;
    enter(&saved);
    if (slot[sig].mine) {
        sigmask_owner_changed(sig, 0);
        if (LC_REAL(sigaction)(sig, &slot[sig].view, NULL) == 0)
            slot[sig].mine = 0;
        else
            sigmask_owner_changed(sig, 1);
    }
    leave(&saved);
}

int sigview_mine(int sig)
{
    return kept(sig) && slot[sig].mine;
}

/* What the default action of sig does: 1 ends the process, 0 ignores or stops (left to the kernel). */
static int default_kills(int sig)
{
    switch (sig) {
    case SIGCHLD: case SIGCONT: case SIGURG: case SIGWINCH:
    case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU:
        return 0;
    default:
        return 1;
    }
}

int sigview_chain(int sig, siginfo_t *info, void *uc)
{
    if (!kept(sig))
        return 0;
    struct sigaction v = slot[sig].view;    /* a copy: the program may change it meanwhile */
    if (v.sa_handler == SIG_DFL)
        return default_kills(sig);
    if (v.sa_handler == SIG_IGN)
        return 0;
    if (v.sa_flags & SA_SIGINFO)
        v.sa_sigaction(sig, info, uc);
    else
        v.sa_handler(sig);
    return 0;
}

/* ---- the program's calls ------------------------------------------------------------------------------------ */

static int view_sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
    sigset_t saved;
    int r = 0;
    enter(&saved);
    if (!slot[sig].mine) {
        r = LC_REAL(sigaction)(sig, act, old);
        if (r == 0 && act && lets_in(act) && install_shim(sig, act) == 0) {
            slot[sig].view = *act;
            slot[sig].mine = 1;
            sigmask_owner_changed(sig, 1);
        }
    } else {
        struct sigaction prev = slot[sig].view;
        if (act && !lets_in(act)) {
            /* the program takes the signal: first the shim lets go of it, then the kernel gets the action */
            sigmask_owner_changed(sig, 0);
            r = LC_REAL(sigaction)(sig, act, NULL);
            if (r == 0)
                slot[sig].mine = 0;
            else
                sigmask_owner_changed(sig, 1);
        } else if (act) {
            r = install_shim(sig, act);
            if (r == 0)
                slot[sig].view = *act;
        }
        if (r == 0 && old)
            *old = prev;
    }
    leave(&saved);
    return r;
}

LC_EXPORT int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
    if (!kept(sig))
        return LC_REAL(sigaction)(sig, act, old);
    return view_sigaction(sig, act, old);
}

LC_EXPORT int __sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
    return sigaction(sig, act, old);
}

/* signal() and the System V and BSD variants: libc implements them with its internal sigaction, which would
 * go around the views, so they are rebuilt here on the one above. */
static sighandler_t set_handler(int sig, sighandler_t h, int flags, int mask_self)
{
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = h;
    sa.sa_flags = flags;
    sigemptyset(&sa.sa_mask);
    if (mask_self)
        sigaddset(&sa.sa_mask, sig);
    if (h == SIG_ERR || view_sigaction(sig, &sa, &old) != 0)
        return SIG_ERR;
    return old.sa_handler;
}

#define BSD_FLAGS(sig) ((sigintr >> (sig)) & 1 ? 0 : SA_RESTART)
#define SIGNAL_WRAPPER(name, flags, mask_self)                                         \
    LC_REAL_DECL(sighandler_t, name, (int, sighandler_t));                             \
    LC_EXPORT sighandler_t name(int sig, sighandler_t h)                               \
    {                                                                                  \
        if (!kept(sig))                                                                \
            return LC_REAL(name)(sig, h);                                              \
        return set_handler(sig, h, flags, mask_self);                                  \
    }
SIGNAL_WRAPPER(signal, BSD_FLAGS(sig), 1)
SIGNAL_WRAPPER(bsd_signal, BSD_FLAGS(sig), 1)
SIGNAL_WRAPPER(ssignal, BSD_FLAGS(sig), 1)
SIGNAL_WRAPPER(sysv_signal, SA_RESETHAND | SA_NODEFER, 0)
SIGNAL_WRAPPER(__sysv_signal, SA_RESETHAND | SA_NODEFER, 0)

LC_REAL_DECL(int, siginterrupt, (int, int));
LC_EXPORT int siginterrupt(int sig, int flag)
{
    struct sigaction sa;
    if (!kept(sig))
        return LC_REAL(siginterrupt)(sig, flag);
    if (view_sigaction(sig, NULL, &sa) != 0)
        return -1;
    if (flag) {
        __atomic_or_fetch(&sigintr, 1ull << sig, __ATOMIC_RELAXED);
        sa.sa_flags &= ~SA_RESTART;
    } else {
        __atomic_and_fetch(&sigintr, ~(1ull << sig), __ATOMIC_RELAXED);
        sa.sa_flags |= SA_RESTART;
    }
    return view_sigaction(sig, &sa, NULL);
}

LC_REAL_DECL(int, sigignore, (int));
LC_EXPORT int sigignore(int sig)
{
    if (!kept(sig))
        return LC_REAL(sigignore)(sig);
    return set_handler(sig, SIG_IGN, 0, 0) == SIG_ERR ? -1 : 0;
}

/* sigset(): System V. SIG_HOLD adds sig to the mask; any other disposition is set and sig is unblocked. The
 * previous disposition is SIG_HOLD when sig was blocked. */
LC_REAL_DECL(sighandler_t, sigset, (int, sighandler_t));
LC_EXPORT sighandler_t sigset(int sig, sighandler_t h)
{
    if (!kept(sig))
        return LC_REAL(sigset)(sig, h);
    sigset_t one, was;
    struct sigaction old;
    sigemptyset(&one);
    sigaddset(&one, sig);
    if (view_sigaction(sig, NULL, &old) != 0 || pthread_sigmask(SIG_BLOCK, NULL, &was) != 0)
        return SIG_ERR;
    if (h == SIG_HOLD) {
        if (pthread_sigmask(SIG_BLOCK, &one, NULL) != 0)
            return SIG_ERR;
    } else if (set_handler(sig, h, 0, 0) == SIG_ERR || pthread_sigmask(SIG_UNBLOCK, &one, NULL) != 0) {
        return SIG_ERR;
    }
    return sigismember(&was, sig) ? SIG_HOLD : old.sa_handler;
}
