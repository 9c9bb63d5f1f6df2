/* fd events: the decisions behind LC_F_FD_DOUBLE_CLOSE, LC_F_FD_BAD_CLOSE, LC_F_FD_USE_AFTER_CLOSE and
 * LC_F_EPIPE, and which channel a multi-fd wait is blocked on. */
#include "fd_events.h"
#include "alloc.h"
#include "finding.h"
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char *end_name(const struct lc_fdent *x)
{
    static const char *const names[][2] = {
        [LC_CH_PIPE] = { "pipe read end", "pipe write end" },
        [LC_CH_SOCKETPAIR] = { "socketpair", "socketpair" },
        [LC_CH_EVENTFD] = { "eventfd", "eventfd" },
    };
    return x && x->kind >= LC_CH_PIPE && x->kind <= LC_CH_EVENTFD ? names[x->kind][x->end & 1] : NULL;
}

static const void *fd_obj(int fd)
{
    return (const void *)(intptr_t)fd;
}

void lc_fd_made(const struct lc_actor *a, enum lc_chan_kind kind, int fd0, int fd1, int nonblock)
{
    fdtab_made(kind, fd0, fd1, nonblock, a->site(), a->task);
}

/* ---- epoll sets: what each epoll fd was given ------------------------------------------------------------- */

struct epset { int32_t first_chan; uint16_t nchan, nother; };
static struct epset *epsets;            /* indexed by epoll fd; lazily mapped */

static struct epset *epset_of(int epfd, int create)
{
    struct epset *t = __atomic_load_n(&epsets, __ATOMIC_ACQUIRE);
    if (!t && create) {
        struct epset *n = lc_calloc(LC_FDTAB_MAX, sizeof *n);
        if (n && !__atomic_compare_exchange_n(&epsets, &t, n, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
            lc_free(n);
        else
            t = n;
    }
    return t && epfd >= 0 && epfd < LC_FDTAB_MAX ? &t[epfd] : NULL;
}

static int is_chan(int fd)
{
    struct lc_fdent *x = fdtab_get(fd);
    return x && x->state == LC_FD_OPEN;
}

void lc_fd_epoll_ctl(int epfd, int add, int fd)
{
    int chan = is_chan(fd);
    struct epset *s = epset_of(epfd, chan || epsets);
    if (!s)
        return;
    int d = add ? 1 : -1;
    if (chan) {
        __atomic_add_fetch(&s->nchan, d, __ATOMIC_RELAXED);
        if (d > 0 && s->first_chan == 0)
            s->first_chan = fd + 1;     /* 0 = none */
    } else {
        __atomic_add_fetch(&s->nother, d, __ATOMIC_RELAXED);
    }
}

/* fd was closed: forget what it was given if it was an epoll fd. */
static void epoll_closed(int fd)
{
    struct epset *s = epset_of(fd, 0);
    if (s && (s->nchan || s->nother))
        *s = (struct epset){ 0, 0, 0 };
}

int lc_fd_wait_epoll(int epfd)
{
    struct epset *s = epset_of(epfd, 0);
    return s && s->nchan && !s->nother && s->first_chan ? s->first_chan - 1 : -1;
}

int lc_fd_wait_poll(struct pollfd *p, nfds_t n)
{
    int first = -1;
    for (nfds_t i = 0; i < n; i++) {
        if (p[i].fd < 0)
            continue;                   /* ignored by poll */
        if (!is_chan(p[i].fd))
            return -1;
        if (first < 0)
            first = p[i].fd;
    }
    return first;
}

int lc_fd_wait_select(int nfds, fd_set *r, fd_set *w, fd_set *e)
{
    int first = -1;
    if (nfds > FD_SETSIZE)
        nfds = FD_SETSIZE;
    for (int fd = 0; fd < nfds; fd++) {
        if (!((r && FD_ISSET(fd, r)) || (w && FD_ISSET(fd, w)) || (e && FD_ISSET(fd, e))))
            continue;
        if (!is_chan(fd))
            return -1;
        if (first < 0)
            first = fd;
    }
    return first;
}

/* ---- close and dup ----------------------------------------------------------------------------------------- */

void lc_fd_close(const struct lc_actor *a, int fd, const struct lc_fdent *x, int failed_errno)
{
    if (failed_errno != EBADF) {
        fdtab_closed(fd, a->site(), a->task);
        epoll_closed(fd);
    } else if (fd < 0) {                /* close(-1) and friends */
        finding_add(LC_F_FD_BAD_CLOSE, fd_obj(fd), a->site(), a->task, 0, 0, NULL);
    } else if (x && x->state == LC_FD_CLOSED) {
        finding_add(LC_F_FD_DOUBLE_CLOSE, fd_obj(fd), a->site(), a->task, x->closed, x->closed_by, end_name(x));
    } else if (x && x->state == LC_FD_OPEN) {
        /* believed open: closed by a call we did not see (fclose of an fdopen'd pipe...), then closed again */
        stack_id site = a->site();
        finding_add(LC_F_FD_DOUBLE_CLOSE, fd_obj(fd), site, a->task, 0, 0, "first close not seen");
        fdtab_closed(fd, site, a->task);
    }
}

void lc_fd_dup(const struct lc_actor *a, int oldfd, int newfd, int replaced)
{
    struct lc_fdent *n = fdtab_get(newfd);
    if (replaced && n && n->state == LC_FD_OPEN)
        fdtab_closed(newfd, a->site(), a->task);
    fdtab_dup(oldfd, newfd);
}

/* ---- I/O ------------------------------------------------------------------------------------------------- */

/* A write with no reader left will raise SIGPIPE. When that kills the process (default action, not blocked),
 * the process dies inside the real call, before any other chance to report. The kernel confirms first
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

static void epipe_found(const struct lc_actor *a, const struct lc_fd_io *op)
{
    stack_id closed = 0;
    uint64_t by = 0;
    fdtab_peer_closed(op->fd, &closed, &by);
    finding_add(LC_F_EPIPE, fd_obj(op->fd), a->site(), a->task, closed, by, end_name(op->x));
}

int lc_fd_io_begin(const struct lc_actor *a, struct lc_fd_io *op, struct lc_fdent *x, int fd, int dir, int flags)
{
    int how = 0;
    *op = (struct lc_fd_io){ x, fd, dir, 0, dir == LC_FD_WRITE && !(flags & LC_IO_SIGPIPE) };
    if (x->state != LC_FD_OPEN)
        return 0;
    if (dir == LC_FD_WRITE && (flags & LC_IO_SIGPIPE) && x->ch->nopen[fdtab_peer(x->kind, x->end)] == 0) {
        stack_id s0;
        uint64_t by0;
        if (fdtab_peer_closed(fd, &s0, &by0) && sigpipe_fatal(fd)) {
            epipe_found(a, op);
            op->reported = 1;
            how |= LC_IO_DIES;
        }
    }
    if (x->nonblock == LC_FD_NB_UNKNOWN) {
        long fl = syscall(SYS_fcntl, fd, F_GETFL);
        if (fl >= 0)
            fdtab_set_nonblock(fd, (fl & O_NONBLOCK) != 0);
    }
    if (!(flags & LC_IO_NONBLOCK) && x->nonblock == LC_FD_NB_BLOCKING)
        how |= LC_IO_BLOCKS;
    return how;
}

void lc_fd_io_end(const struct lc_actor *a, const struct lc_fd_io *op, int err)
{
    struct lc_fdent *x = op->x;
    if (x->state == LC_FD_CLOSED) {
        if (err == EBADF)
            finding_add(LC_F_FD_USE_AFTER_CLOSE, fd_obj(op->fd), a->site(), a->task, x->closed, x->closed_by,
                        op->dir == LC_FD_READ ? "read" : op->dir == LC_FD_WRITE ? "write" : "wait");
        else
            fdtab_forget(op->fd);
    } else if (x->state == LC_FD_OPEN && op->dir == LC_FD_WRITE) {
        if (err == EPIPE && !op->reported && !op->wants_epipe)
            epipe_found(a, op);
        else if (!err && x->writer != a->task)
            fdtab_wrote(op->fd, a->task);
    }
}
