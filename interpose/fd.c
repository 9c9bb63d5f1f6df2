/* fd channels: pipe, pipe2, socketpair and eventfd are channels between tasks; blocking I/O on them is a task
 * blocked "in read on pipe fd 5". Misuse: double close (both sites), close(-1), use of a closed fd, write with
 * no reader (EPIPE, with the site that closed the read end).
 *
 * Only channel fds and fds we saw closed have an entry in runtime/fdtab, so I/O on any other fd costs a bounds
 * check and a load. A closed fd may be handed out again by calls we do not wrap (open, socket, accept, and
 * libc's internal opens): instead of wrapping them all, the kernel is the judge. A finding is made only when
 * the real call fails with EBADF on an fd we saw closed; any other outcome on such an fd proves it was reused,
 * and its entry is dropped. So there are no false reports after reuse, at the price of missing a double close
 * that lands on a reused fd (which nothing can tell from a legitimate close).
 *
 * A blocking call is marked blocked before the real call and unmarked after it, without asking first whether it
 * would block: a stack capture (~0.1us) is much cheaper than a zero-timeout poll (one more system call).
 *
 * In Go programs (gccgo) these wrappers only forward: they would run on goroutine stack segments, and Go's own
 * fds are non-blocking, polled by the runtime, and closed through the os package. */
#include "blocking_call.h"
#include "fd.h"
#include "lifecycle.h"
#include "../runtime/shim_fd.h"
#include "../runtime/fdtab.h"
#include "../runtime/finding.h"
#include "../runtime/stack.h"
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

enum { DIR_READ = 0, DIR_WRITE = 1, DIR_WAIT = 2 };
#define FD_ACTIVE() (LC_ACTIVE() && !lc_is_go)
/* For wrappers of calls that create fds: fds made while the shim itself runs are moved up. */
#define LC_HIDE_PAIR(r, fds) do { if ((r) == 0 && lc_in_shim) { (fds)[0] = lc_fd_hide((fds)[0]); \
                                  (fds)[1] = lc_fd_hide((fds)[1]); } } while (0)

static inline uint64_t self_id(void)
{
    return lc_self ? lc_self->id : 0;
}

static const char *end_name(const struct lc_fdent *x)
{
    static const char *const names[][2] = {
        [LC_CH_PIPE] = { "pipe read end", "pipe write end" },
        [LC_CH_SOCKETPAIR] = { "socketpair", "socketpair" },
        [LC_CH_EVENTFD] = { "eventfd", "eventfd" },
    };
    return x && x->kind >= LC_CH_PIPE && x->kind <= LC_CH_EVENTFD ? names[x->kind][x->end & 1] : NULL;
}

/* ---- channel creation ---------------------------------------------------------------------------------- */

static void made(enum lc_chan_kind kind, int fd0, int fd1, int nonblock)
{
    LC_ENTER();
    fdtab_made(kind, fd0, fd1, nonblock, stack_capture(2), self_id());
    LC_LEAVE();
}

LC_REAL_DECL(int, pipe, (int *));
LC_EXPORT int pipe(int fds[2])
{
    int r = LC_REAL(pipe)(fds);
    LC_HIDE_PAIR(r, fds);
    if (r == 0 && FD_ACTIVE())
        made(LC_CH_PIPE, fds[0], fds[1], 0);
    return r;
}

LC_REAL_DECL(int, pipe2, (int *, int));
LC_EXPORT int pipe2(int fds[2], int flags)
{
    int r = LC_REAL(pipe2)(fds, flags);
    LC_HIDE_PAIR(r, fds);
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

/* ---- close and dup ----------------------------------------------------------------------------------- */

/* close failed with EBADF. fd < 0: close(-1) and friends. An fd we saw closed: a double close. An fd we
 * believed open: closed by a call we did not see (fclose of an fdopen'd pipe...), then closed again. */
static void bad_close(int fd, const struct lc_fdent *x, stack_id site)
{
    if (fd < 0) {
        finding_add(LC_F_FD_BAD_CLOSE, (void *)(intptr_t)fd, site, self_id(), 0, 0, NULL);
    } else if (x && x->state == LC_FD_CLOSED) {
        finding_add(LC_F_FD_DOUBLE_CLOSE, (void *)(intptr_t)fd, site, self_id(), x->closed, x->closed_by,
                    end_name(x));
    } else if (x && x->state == LC_FD_OPEN) {
        finding_add(LC_F_FD_DOUBLE_CLOSE, (void *)(intptr_t)fd, site, self_id(), 0, 0, "first close not seen");
        fdtab_closed(fd, site, self_id());
    }
}

LC_REAL_DECL(int, close, (int));
LC_EXPORT int close(int fd)
{
    if (!FD_ACTIVE())
        return LC_REAL(close)(fd);
    struct lc_fdent *x = fdtab_get(fd);
    struct lc_fdent before = x ? *x : (struct lc_fdent){ 0 };   /* the first close, if this is a second */
    int r = LC_REAL(close)(fd);
    LC_ENTER();
    if (r == 0 || lc_saved_errno_ != EBADF) {   /* Linux releases the fd even when close reports EINTR or EIO */
        fdtab_closed(fd, stack_capture(1), self_id());
        lc_epoll_closed(fd);
    } else if (fd < 0 || x) {
        bad_close(fd, &before, stack_capture(1));
    }
    LC_LEAVE();
    return r;
}

/* After a successful dup of oldfd into newfd: newfd, if it was a channel end, was closed by the call. */
static void duped(int oldfd, int newfd, int replaced)
{
    if (!fdtab_get(oldfd) && !fdtab_get(newfd))
        return;
    LC_ENTER();
    struct lc_fdent *n = fdtab_get(newfd);
    if (replaced && n && n->state == LC_FD_OPEN)
        fdtab_closed(newfd, stack_capture(2), self_id());
    fdtab_dup(oldfd, newfd);
    LC_LEAVE();
}

LC_REAL_DECL(int, dup, (int));
LC_EXPORT int dup(int fd)
{
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
    int r = LC_REAL(dup2)(fd, fd2);
    if (r >= 0 && fd != fd2 && LC_ACTIVE())
        duped(fd, r, 1);
    return r;
}

LC_REAL_DECL(int, dup3, (int, int, int));
LC_EXPORT int dup3(int fd, int fd2, int flags)
{
    int r = LC_REAL(dup3)(fd, fd2, flags);
    if (r >= 0 && LC_ACTIVE())
        duped(fd, r, 1);
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
        int r = LC_REAL(name)(fd, cmd, arg);                                           \
        if (r >= 0 && (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC) && LC_ACTIVE())       \
            duped(fd, r, 0);                                                           \
        else if (r == 0 && cmd == F_SETFL && fdtab_get(fd))                            \
            fdtab_set_nonblock(fd, ((intptr_t)arg & O_NONBLOCK) != 0);                 \
        return r;                                                                      \
    }
WRAP_FCNTL(fcntl)
WRAP_FCNTL(fcntl64)

/* ---- I/O ------------------------------------------------------------------------------------------------ */

struct io_op {
    struct lc_fdent *x;
    struct lc_task *t;        /* marked blocked */
    int fd, dir;
    int reported;             /* EPIPE already reported before the call */
};

/* A write with no reader left will raise SIGPIPE. When that kills the process (default action, not blocked),
 * report now: the process dies inside the real call, before any other chance. The kernel confirms first
 * (POLLERR on a pipe's write end, POLLHUP on a socket whose peer is gone). */
static int sigpipe_fatal(int fd)
{
    struct sigaction sa;
    sigset_t cur;
    struct pollfd p = { fd, POLLOUT, 0 };
    if (sigaction(SIGPIPE, NULL, &sa) != 0 || sa.sa_handler != SIG_DFL)
        return 0;
    if (pthread_sigmask(SIG_BLOCK, NULL, &cur) != 0 || sigismember(&cur, SIGPIPE))
        return 0;
    return syscall(SYS_poll, &p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP));
}

static void epipe_found(struct io_op *op, stack_id site)
{
    stack_id closed = 0;
    uint64_t by = 0;
    fdtab_peer_closed(op->fd, &closed, &by);
    finding_add(LC_F_EPIPE, (void *)(intptr_t)op->fd, site, self_id(), closed, by, end_name(op->x));
}

/* Before the real call. flags: the call is non-blocking whatever the fd (MSG_DONTWAIT), or may raise
 * SIGPIPE (a write or a send without MSG_NOSIGNAL). */
enum { IO_NONBLOCK = 1, IO_SIGPIPE = 2 };
static __attribute__((noinline)) void io_begin(struct io_op *op, struct lc_fdent *x, int fd, int dir,
                                               const char *what, int flags)
{
    *op = (struct io_op){ x, NULL, fd, dir, 0 };
    if (x->state != LC_FD_OPEN)
        return;
    LC_ENTER();
    if (dir == DIR_WRITE && (flags & IO_SIGPIPE) && x->ch->nopen[fdtab_peer(x->kind, x->end)] == 0) {
        stack_id s0;
        uint64_t by0;
        if (fdtab_peer_closed(fd, &s0, &by0) && sigpipe_fatal(fd)) {
            epipe_found(op, stack_capture(2));
            op->reported = 1;
            lc_report(LC_REASON_SIGNAL, SIGPIPE, 128 + SIGPIPE);
        }
    }
    if (x->nonblock == LC_FD_NB_UNKNOWN) {
        long fl = syscall(SYS_fcntl, fd, F_GETFL);
        if (fl >= 0)
            fdtab_set_nonblock(fd, (fl & O_NONBLOCK) != 0);
    }
    LC_LEAVE();
    if (!(flags & IO_NONBLOCK) && x->nonblock == LC_FD_NB_BLOCKING)
        op->t = lc_block_begin(what, LC_OBJ_FD, (void *)(intptr_t)fd);
}

/* After the real call: unmark; EBADF on an fd we saw closed is a use after close, any other outcome on it
 * proves it was reused; remember the writer; EPIPE is reported with the close of the read end. */
static __attribute__((noinline)) void io_end(struct io_op *op, int failed)
{
    LC_ENTER();
    int err = failed ? lc_saved_errno_ : 0;
    lc_block_end(op->t);
    struct lc_fdent *x = op->x;
    if (x->state == LC_FD_CLOSED) {
        if (err == EBADF)
            finding_add(LC_F_FD_USE_AFTER_CLOSE, (void *)(intptr_t)op->fd, stack_capture(2), self_id(), x->closed,
                        x->closed_by, op->dir == DIR_READ ? "read" : op->dir == DIR_WRITE ? "write" : "wait");
        else
            fdtab_forget(op->fd);
    } else if (x->state == LC_FD_OPEN && op->dir == DIR_WRITE) {
        if (err == EPIPE && !op->reported)
            epipe_found(op, stack_capture(2));
        else if (!err && x->writer != self_id())
            fdtab_wrote(op->fd, self_id());
    }
    LC_LEAVE();
}

/* An I/O wrapper: untracked fds go straight through. */
#define WRAP_IO(ret, name, params, args, fd, dir, flags)                               \
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

#define SEND_FLAGS(f) (((f) & MSG_DONTWAIT ? IO_NONBLOCK : 0) | ((f) & MSG_NOSIGNAL ? 0 : IO_SIGPIPE))
typedef const struct iovec *iov_t;
WRAP_IO(ssize_t, read, (int fd, void *b, size_t n), (fd, b, n), fd, DIR_READ, 0)
WRAP_IO(ssize_t, write, (int fd, const void *b, size_t n), (fd, b, n), fd, DIR_WRITE, IO_SIGPIPE)
WRAP_IO(ssize_t, readv, (int fd, iov_t v, int n), (fd, v, n), fd, DIR_READ, 0)
WRAP_IO(ssize_t, writev, (int fd, iov_t v, int n), (fd, v, n), fd, DIR_WRITE, IO_SIGPIPE)
WRAP_IO(ssize_t, recv, (int fd, void *b, size_t n, int f), (fd, b, n, f), fd, DIR_READ,
        f & MSG_DONTWAIT ? IO_NONBLOCK : 0)
WRAP_IO(ssize_t, send, (int fd, const void *b, size_t n, int f), (fd, b, n, f), fd, DIR_WRITE, SEND_FLAGS(f))

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
