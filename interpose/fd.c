/* The fd family: fd channels (pipe, pipe2, socketpair, eventfd) are channels between tasks; blocking I/O on them
 * and waits on several of them (fd.inc) are a task blocked "in read on pipe fd 5". Every wrapper tells
 * runtime/fd_events.h what happened (made, closed, duplicated, I/O before and after); the decisions are there.
 *
 * Only channel fds and fds we saw closed have an entry in runtime/fdtab, so I/O on any other fd costs a bounds
 * check and a load. A blocking call is marked blocked before the real call and unmarked after it, without
 * asking first whether it would block: a stack capture (~0.1us) is much cheaper than a zero-timeout poll.
 *
 * In Go programs (gccgo) these wrappers only forward: they would run on goroutine stack segments, and Go's own
 * fds are non-blocking, polled by the runtime, and closed through the os package. */
#include "blocking_call.h"
#include "lifecycle.h"
#include "sigmask.h"
#include "../runtime/fd_events.h"
#include "../runtime/shim_fd.h"
#include <fcntl.h>
#include <limits.h>
#include <linux/close_range.h>
#include <sched.h>
#include <sys/syscall.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

typedef const struct iovec *iov_t;
#define FD_ACTIVE() (LC_ACTIVE() && !lc_is_go)
/* fds made while the shim itself runs (libunwind's validation pipe) are moved up, out of the program's way. */
#define HIDE_PAIR(r, fds) do { if ((r) == 0 && lc_in_shim) { (fds)[0] = lc_fd_hide((fds)[0]); \
                               (fds)[1] = lc_fd_hide((fds)[1]); } } while (0)

/* ---- blocking calls: fd.inc ------------------------------------------------------------------------------ */

/* An I/O call in progress: runtime's record of it, and the task when marked blocked. */
struct io_op {
    struct lc_fd_io io;
    struct lc_task *t;
};

/* Out of line: the wrappers' fast path (an fd with no entry) stays a bounds check and a load. */
static __attribute__((noinline)) void io_begin(struct io_op *op, struct lc_fdent *x, int fd, int dir,
                                               const char *what, int flags)
{
    LC_ENTER();
    struct lc_actor a = LC_THREAD_ACTOR;
    int how = lc_fd_io_begin(&a, &op->io, x, fd, dir, flags);
    if (how & LC_IO_DIES)
        lc_report(LC_REASON_SIGNAL, SIGPIPE, 128 + SIGPIPE);
    LC_LEAVE();
    op->t = how & LC_IO_BLOCKS ? lc_block_begin(what, LC_OBJ_FD, (void *)(intptr_t)fd) : NULL;
}

static __attribute__((noinline)) void io_end(const struct io_op *op, int failed)
{
    LC_ENTER();
    lc_block_end(op->t);
    struct lc_actor a = LC_THREAD_ACTOR;
    lc_fd_io_end(&a, &op->io, failed ? lc_saved_errno_ : 0);
    LC_LEAVE();
}

#define FD_IO(ret, name, params, args, fd, dir, flags)                                 \
    LC_REAL_DECL(ret, name, params);                                                   \
    LC_EXPORT ret name params                                                          \
    {                                                                                  \
        struct lc_fdent *x_ = fdtab_get(fd);                                           \
        if (__builtin_expect(x_ == NULL, 1) || !LC_ACTIVE())                           \
            return LC_REAL(name) args;                                                 \
        struct io_op op_;                                                              \
        io_begin(&op_, x_, fd, dir, #name, flags);                                     \
        ret r_ = LC_REAL(name) args;                                                   \
        io_end(&op_, r_ < 0);                                                          \
        return r_;                                                                     \
    }

#define TRACKING() (__atomic_load_n(&lc_fdtab, __ATOMIC_RELAXED) != NULL && lc_self && LC_ACTIVE())
static struct lc_task *wait_begin(const char *what, int fd)
{
    return fd >= 0 ? lc_block_begin(what, LC_OBJ_FD, (void *)(intptr_t)fd) : NULL;
}

#define FD_WAIT(ret, name, params, args, what, forever, chan)                          \
    LC_REAL_DECL(ret, name, params);                                                   \
    LC_EXPORT ret name params                                                          \
    {                                                                                  \
        if (!(forever) || !TRACKING())                                                 \
            return LC_REAL(name) args;                                                 \
        struct lc_task *t_ = wait_begin(what, chan);                                   \
        ret r_ = LC_REAL(name) args;                                                   \
        lc_block_end(t_);                                                              \
        return r_;                                                                     \
    }

#define DURING(m) lc_sigmask_during(m, &(sigset_t){ { 0 } })
#define FD_WRAPPER(verb, ...) FD_##verb(__VA_ARGS__)
#include "fd.inc"
#undef FD_WRAPPER

/* ---- channel creation ------------------------------------------------------------------------------------ */

static void made(enum lc_chan_kind kind, int fd0, int fd1, int nonblock)
{
    LC_ENTER();
    struct lc_actor a = LC_THREAD_ACTOR;
    lc_fd_made(&a, kind, fd0, fd1, nonblock);
    LC_LEAVE();
}

LC_REAL_DECL(int, pipe, (int *));
LC_EXPORT int pipe(int fds[2])
{
    int r = LC_REAL(pipe)(fds);
    HIDE_PAIR(r, fds);
    if (r == 0 && FD_ACTIVE())
        made(LC_CH_PIPE, fds[0], fds[1], 0);
    return r;
}

LC_REAL_DECL(int, pipe2, (int *, int));
LC_EXPORT int pipe2(int fds[2], int flags)
{
    int r = LC_REAL(pipe2)(fds, flags);
    HIDE_PAIR(r, fds);
    if (r == 0 && FD_ACTIVE())
        made(LC_CH_PIPE, fds[0], fds[1], flags & O_NONBLOCK);
    return r;
}

LC_REAL_DECL(int, socketpair, (int, int, int, int *));
LC_EXPORT int socketpair(int domain, int type, int proto, int sv[2])
{
    int r = LC_REAL(socketpair)(domain, type, proto, sv);
    if (r == 0 && FD_ACTIVE())
        made(LC_CH_SOCKETPAIR, sv[0], sv[1], type & SOCK_NONBLOCK);
    return r;
}

LC_REAL_DECL(int, eventfd, (unsigned, int));
LC_EXPORT int eventfd(unsigned initval, int flags)
{
    int r = LC_REAL(eventfd)(initval, flags);
    if (r >= 0 && FD_ACTIVE())
        made(LC_CH_EVENTFD, r, -1, flags & EFD_NONBLOCK);
    return r;
}

/* ---- close, dup, fcntl, epoll_ctl ------------------------------------------------------------------------ */

/* The shim's fds (runtime/shim_fd.h) as the program sees them: not open. */
static int not_open(void)
{
    errno = EBADF;
    return -1;
}
#define SHIMS(fd) (__builtin_expect(lc_fd_shim(fd), 0) && !lc_in_shim)

LC_REAL_DECL(int, close, (int));

/* The shim itself closing one of its fds (libdw, libunwind). */
static int close_own(int fd)
{
    int r = LC_REAL(close)(fd);
    lc_fd_release(fd);
    return r;
}

LC_EXPORT int close(int fd)
{
    if (__builtin_expect(lc_fd_shim(fd), 0))
        return lc_in_shim ? close_own(fd) : not_open();
    if (!FD_ACTIVE())
        return LC_REAL(close)(fd);
    struct lc_fdent *x = fdtab_get(fd);
    struct lc_fdent before = x ? *x : (struct lc_fdent){ 0 };   /* the first close, if this is a second */
    int r = LC_REAL(close)(fd);
    LC_ENTER();
    struct lc_actor a = LC_THREAD_ACTOR;
    lc_fd_close(&a, fd, x ? &before : NULL, r == 0 ? 0 : lc_saved_errno_);
    LC_LEAVE();
    return r;
}

/* After a successful dup of oldfd into newfd (replaced: newfd, if open, was closed by the call). */
static void duped(int oldfd, int newfd, int replaced)
{
    if (!fdtab_get(oldfd) && !fdtab_get(newfd))
        return;
    LC_ENTER();
    struct lc_actor a = LC_THREAD_ACTOR;
    lc_fd_dup(&a, oldfd, newfd, replaced);
    LC_LEAVE();
}

LC_REAL_DECL(int, dup, (int));
LC_EXPORT int dup(int fd)
{
    if (SHIMS(fd))
        return not_open();
    int r = LC_REAL(dup)(fd);
    if (lc_in_shim)
        return lc_fd_hide(r);
    if (r >= 0 && LC_ACTIVE())
        duped(fd, r, 0);
    return r;
}

LC_REAL_DECL(int, dup2, (int, int));
LC_EXPORT int dup2(int fd, int fd2)
{
    if (SHIMS(fd))
        return not_open();
    if (!lc_in_shim)
        lc_fd_make_room(fd2);
    int r = LC_REAL(dup2)(fd, fd2);
    if (r >= 0 && fd != fd2 && LC_ACTIVE())
        duped(fd, r, 1);
    return r;
}

LC_REAL_DECL(int, dup3, (int, int, int));
LC_EXPORT int dup3(int fd, int fd2, int flags)
{
    if (SHIMS(fd))
        return not_open();
    if (!lc_in_shim)
        lc_fd_make_room(fd2);
    int r = LC_REAL(dup3)(fd, fd2, flags);
    if (r >= 0 && LC_ACTIVE())
        duped(fd, r, 1);
    return r;
}

/* F_DUPFD from min returned r past the kept fd: without the shim the program would have had the kept number
 * (everything from min up to r is taken), so it gets it. */
static int dupfd_exact(int r, intptr_t min, int cloexec)
{
    int k = lc_fd_kept();
    if (r < 0 || k < 0 || min > k || r < k || lc_in_shim)
        return r;
    int e = errno;
    lc_fd_make_room(k);
    if (syscall(SYS_dup3, r, k, cloexec ? O_CLOEXEC : 0) == k) {
        syscall(SYS_close, r);
        r = k;
    }
    errno = e;
    return r;
}

/* fcntl: F_DUPFD* make copies, F_SETFL may change O_NONBLOCK. The third argument is passed on as the word it
 * is (int or pointer), as glibc's own fcntl does. */
#define WRAP_FCNTL(name)                                                               \
    LC_REAL_DECL(int, name, (int, int, ...));                                          \
    LC_EXPORT int name(int fd, int cmd, ...)                                           \
    {                                                                                  \
        va_list ap;                                                                    \
        va_start(ap, cmd);                                                             \
        void *arg = va_arg(ap, void *);                                                \
        va_end(ap);                                                                    \
        if (SHIMS(fd))                                                                 \
            return not_open();                                                         \
        int r = LC_REAL(name)(fd, cmd, arg);                                           \
        if (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC)                                  \
            r = dupfd_exact(r, (intptr_t)arg, cmd == F_DUPFD_CLOEXEC);                 \
        if (r >= 0 && (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC) && LC_ACTIVE())       \
            duped(fd, r, 0);                                                           \
        else if (r == 0 && cmd == F_SETFL && fdtab_get(fd))                            \
            fdtab_set_nonblock(fd, ((intptr_t)arg & O_NONBLOCK) != 0);                 \
        return r;                                                                      \
    }
WRAP_FCNTL(fcntl)
WRAP_FCNTL(fcntl64)

LC_REAL_DECL(int, epoll_ctl, (int, int, int, struct epoll_event *));
LC_EXPORT int epoll_ctl(int epfd, int op, int fd, struct epoll_event *ev)
{
    int r = LC_REAL(epoll_ctl)(epfd, op, fd, ev);
    if (r == 0 && LC_ACTIVE() && (op == EPOLL_CTL_ADD || op == EPOLL_CTL_DEL)) {
        LC_ENTER();
        lc_fd_epoll_ctl(epfd, op == EPOLL_CTL_ADD, fd);
        LC_LEAVE();
    }
    return r;
}

/* close_range() and closefrom(): every fd of the range but the shim's, in pieces between them. */
LC_REAL_DECL(int, close_range, (unsigned, unsigned, int));
LC_EXPORT int close_range(unsigned lo, unsigned hi, int flags)
{
    if (lo > hi || lc_in_shim)
        return LC_REAL(close_range)(lo, hi, flags);
    if ((flags & CLOSE_RANGE_UNSHARE) && unshare(CLONE_FILES) != 0)
        return -1;
    flags &= ~(int)CLOSE_RANGE_UNSHARE;
    unsigned from = lo;
    for (int fd = lc_fd_shim_next(lo < INT_MAX ? (int)lo : INT_MAX); fd >= 0 && (unsigned)fd <= hi;
         fd = lc_fd_shim_next(fd + 1)) {
        if ((unsigned)fd > from && LC_REAL(close_range)(from, (unsigned)fd - 1, flags) != 0)
            return -1;
        from = (unsigned)fd + 1;
        if ((unsigned)fd == hi)
            return 0;
    }
    return LC_REAL(close_range)(from, hi, flags);
}

LC_REAL_DECL(void, closefrom, (int));
LC_EXPORT void closefrom(int lo)
{
    int e = errno;
    if (lo < 0 || close_range((unsigned)lo, ~0u, 0) != 0)
        LC_REAL(closefrom)(lo);
    errno = e;
}

/* The shim's own opens (libdw reading ELF and debug files) are moved out of the program's fd range. */
LC_REAL_DECL(int, open, (const char *, int, ...));
LC_EXPORT int open(const char *path, int flags, ...)
{
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list ap;
        va_start(ap, flags);
        mode = (mode_t)va_arg(ap, int);
        va_end(ap);
    }
    int fd = LC_REAL(open)(path, flags, mode);
    return lc_in_shim ? lc_fd_hide(fd) : fd;
}
