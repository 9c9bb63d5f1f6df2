/* Events on file descriptors, told by the families that see a program's fd calls: fd channels made (pipe,
 * socketpair, eventfd), closed and duplicated, I/O on them, multi-fd waits. The runtime keeps the fd table
 * (fdtab.h) and decides what is misuse: a double close (both sites), a close of an invalid fd, I/O on a closed
 * fd, a write with no reader (EPIPE), which channel a wait is blocked on.
 *
 * A closed fd may be handed out again by calls nobody sees (open, socket, accept, libc's own opens): the
 * kernel is the judge. A finding is made only when the real call failed with EBADF on an fd seen closed; any
 * other outcome on such an fd proves it was reused, and its entry is dropped. */
#ifndef LC_FD_EVENTS_H
#define LC_FD_EVENTS_H
#include <poll.h>
#include <sys/select.h>
#include "actor.h"
#include "fdtab.h"

/* A channel was made: fd1 < 0 for an eventfd; nonblock: both ends start with O_NONBLOCK. */
void lc_fd_made(const struct lc_actor *a, enum lc_chan_kind kind, int fd0, int fd1, int nonblock);
/* close(fd) returned: failed_errno 0 on success, else its errno. before: fd's entry as it was before the call
 * (NULL when it had none). Linux releases the fd even when close reports EINTR or EIO. */
void lc_fd_close(const struct lc_actor *a, int fd, const struct lc_fdent *before, int failed_errno);
/* newfd is now a copy of oldfd; replaced: the call closed newfd first when it was open (dup2, dup3). */
void lc_fd_dup(const struct lc_actor *a, int oldfd, int newfd, int replaced);

/* I/O on a tracked fd (fdtab_get(fd) != NULL), around the real call. */
enum lc_fd_dir { LC_FD_READ = 0, LC_FD_WRITE = 1, LC_FD_WAIT = 2 };
enum lc_fd_io_flags {
    LC_IO_NONBLOCK = 1,               /* the call never blocks, whatever the fd (MSG_DONTWAIT) */
    LC_IO_SIGPIPE = 2,                /* a write that may raise SIGPIPE (not MSG_NOSIGNAL) */
};
struct lc_fd_io {
    struct lc_fdent *x;
    int fd, dir;
    int reported;                     /* EPIPE already reported before the call */
    int wants_epipe;                  /* a write that cannot raise SIGPIPE (send with MSG_NOSIGNAL): the
                                       * program asked for EPIPE as its answer, so EPIPE is no finding */
};
/* Before the call. Returns LC_IO_BLOCKS when the caller may block in it (mark the task blocked), ORed with
 * LC_IO_DIES when the write is about to kill the process with SIGPIPE (the finding is recorded: report now,
 * there will be no other chance). */
enum { LC_IO_BLOCKS = 1, LC_IO_DIES = 2 };
int lc_fd_io_begin(const struct lc_actor *a, struct lc_fd_io *op, struct lc_fdent *x, int fd, int dir, int flags);
/* After the call: failed_errno 0 on success, else its errno. */
void lc_fd_io_end(const struct lc_actor *a, const struct lc_fd_io *op, int failed_errno);

/* epoll_ctl(epfd, EPOLL_CTL_ADD or _DEL, fd) succeeded: what each epoll fd waits on. */
void lc_fd_epoll_ctl(int epfd, int add, int fd);
/* Waits without a timeout on several fds: the channel fd the task counts as blocked on, or -1. Only a wait
 * whose fds are all channel ends counts (anything else can be ended from outside the process); the fd named
 * is the first one. */
int lc_fd_wait_poll(struct pollfd *p, nfds_t n);
int lc_fd_wait_select(int nfds, fd_set *r, fd_set *w, fd_set *e);
int lc_fd_wait_epoll(int epfd);
#endif
