/* Waiting on several fds: poll, ppoll, select, epoll_wait. A task counts as blocked on a channel only when it
 * waits without a timeout and every fd it waits on is a channel end: a wait that also covers a socket, a
 * terminal or a timeout can be ended from outside the process, and is not shown as blocked. The object
 * named is the first channel fd of the set. */
#include "blocking_call.h"
#include "fd.h"
#include "../runtime/alloc.h"
#include "../runtime/fdtab.h"
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/select.h>

static int is_chan(int fd)
{
    struct lc_fdent *x = fdtab_get(fd);
    return x && x->state == LC_FD_OPEN;
}

/* The first channel fd of a poll set when every fd in it is one, else -1. */
static int poll_chan(const struct pollfd *p, nfds_t n)
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

static int select_chan(int nfds, fd_set *r, fd_set *w, fd_set *e)
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

static struct lc_task *begin_wait(const char *what, int fd)
{
    return fd >= 0 ? lc_block_begin(what, LC_OBJ_FD, (void *)(intptr_t)fd) : NULL;
}

#define TRACKING() (__atomic_load_n(&lc_fdtab, __ATOMIC_RELAXED) != NULL && lc_self && LC_ACTIVE())

LC_REAL_DECL(int, poll, (struct pollfd *, nfds_t, int));
LC_EXPORT int poll(struct pollfd *p, nfds_t n, int timeout)
{
    if (timeout >= 0 || !TRACKING())
        return LC_REAL(poll)(p, n, timeout);
    struct lc_task *t = begin_wait("poll", poll_chan(p, n));
    int r = LC_REAL(poll)(p, n, timeout);
    lc_block_end(t);
    return r;
}

LC_REAL_DECL(int, ppoll, (struct pollfd *, nfds_t, const struct timespec *, const sigset_t *));
LC_EXPORT int ppoll(struct pollfd *p, nfds_t n, const struct timespec *ts, const sigset_t *mask)
{
    if (ts || !TRACKING())
        return LC_REAL(ppoll)(p, n, ts, mask);
    struct lc_task *t = begin_wait("ppoll", poll_chan(p, n));
    int r = LC_REAL(ppoll)(p, n, ts, mask);
    lc_block_end(t);
    return r;
}

LC_REAL_DECL(int, select, (int, fd_set *, fd_set *, fd_set *, struct timeval *));
LC_EXPORT int select(int nfds, fd_set *r, fd_set *w, fd_set *e, struct timeval *tv)
{
    if (tv || !TRACKING())
        return LC_REAL(select)(nfds, r, w, e, tv);
    struct lc_task *t = begin_wait("select", select_chan(nfds, r, w, e));
    int res = LC_REAL(select)(nfds, r, w, e, tv);
    lc_block_end(t);
    return res;
}

/* ---- epoll: what each epoll fd was given, seen through epoll_ctl ------------------------------------------ */

struct epset { int32_t first_chan; uint16_t nchan, nother; };
static struct epset *epsets;            /* indexed by epoll fd; lazily mapped */

static struct epset *epset_of(int epfd, int create)
{
    struct epset *t = __atomic_load_n(&epsets, __ATOMIC_ACQUIRE);
    if (!t && create) {
        LC_ENTER();
        struct epset *n = lc_calloc(LC_FDTAB_MAX, sizeof *n);
        if (n && !__atomic_compare_exchange_n(&epsets, &t, n, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
            lc_free(n);
        else
            t = n;
        LC_LEAVE();
    }
    return t && epfd >= 0 && epfd < LC_FDTAB_MAX ? &t[epfd] : NULL;
}

LC_REAL_DECL(int, epoll_ctl, (int, int, int, struct epoll_event *));
LC_EXPORT int epoll_ctl(int epfd, int op, int fd, struct epoll_event *ev)
{
    int r = LC_REAL(epoll_ctl)(epfd, op, fd, ev);
    if (r != 0 || !LC_ACTIVE() || (op != EPOLL_CTL_ADD && op != EPOLL_CTL_DEL))
        return r;
    int chan = is_chan(fd);
    struct epset *s = epset_of(epfd, chan || epsets);
    if (!s)
        return r;
    int d = op == EPOLL_CTL_ADD ? 1 : -1;
    if (chan) {
        __atomic_add_fetch(&s->nchan, d, __ATOMIC_RELAXED);
        if (d > 0 && s->first_chan == 0)
            s->first_chan = fd + 1;     /* 0 = none */
    } else {
        __atomic_add_fetch(&s->nother, d, __ATOMIC_RELAXED);
    }
    return r;
}

void lc_epoll_closed(int fd)
{
    struct epset *s = epset_of(fd, 0);
    if (s && (s->nchan || s->nother))
        *s = (struct epset){ 0, 0, 0 };
}

static int epoll_chan(int epfd)
{
    struct epset *s = epset_of(epfd, 0);
    return s && s->nchan && !s->nother && s->first_chan ? s->first_chan - 1 : -1;
}

LC_REAL_DECL(int, epoll_wait, (int, struct epoll_event *, int, int));
LC_EXPORT int epoll_wait(int epfd, struct epoll_event *ev, int max, int timeout)
{
    if (timeout >= 0 || !TRACKING())
        return LC_REAL(epoll_wait)(epfd, ev, max, timeout);
    struct lc_task *t = begin_wait("epoll_wait", epoll_chan(epfd));
    int r = LC_REAL(epoll_wait)(epfd, ev, max, timeout);
    lc_block_end(t);
    return r;
}

LC_REAL_DECL(int, epoll_pwait, (int, struct epoll_event *, int, int, const sigset_t *));
LC_EXPORT int epoll_pwait(int epfd, struct epoll_event *ev, int max, int timeout, const sigset_t *mask)
{
    if (timeout >= 0 || !TRACKING())
        return LC_REAL(epoll_pwait)(epfd, ev, max, timeout, mask);
    struct lc_task *t = begin_wait("epoll_wait", epoll_chan(epfd));
    int r = LC_REAL(epoll_pwait)(epfd, ev, max, timeout, mask);
    lc_block_end(t);
    return r;
}
