/* Per-fd state for fd channels (pipe, socketpair, eventfd) and for closed fds: which channel and end an fd is,
 * whether it is non-blocking, where it was closed. Only channel fds and closed fds have an entry, so the fast
 * path of I/O on any other fd is one bounds check and one load (fdtab_get). fds past LC_FDTAB_MAX are not
 * tracked. Every change but the O_NONBLOCK cache byte is made under the channel table lock, so a snapshot sees
 * the table and the channel records agree. */
#ifndef LC_FDTAB_H
#define LC_FDTAB_H
#include <stdint.h>
#include "chan.h"

#define LC_FDTAB_MAX 65536

enum lc_fd_state { LC_FD_NONE = 0, LC_FD_OPEN = 1, LC_FD_CLOSED = 2 };
enum lc_fd_nonblock { LC_FD_NB_UNKNOWN = 0, LC_FD_NB_BLOCKING = 1, LC_FD_NB_NONBLOCKING = 2 };

struct lc_fdent {
    uint8_t state;            /* lc_fd_state; written last */
    uint8_t end;              /* OPEN: which end of ch (0 or 1) */
    uint8_t nonblock;         /* OPEN: lc_fd_nonblock (O_NONBLOCK as last seen) */
    uint8_t kind;             /* lc_chan_kind of the channel it is or was an end of; 0 for other fds */
    stack_id closed;          /* CLOSED: where */
    uint64_t closed_by;       /* CLOSED: task id */
    struct lc_chan *ch;       /* OPEN: its channel record (kept alive while any end is open) */
    uint64_t writer;          /* OPEN: last writer seen through this fd (saves the lock on repeated writes) */
};

extern struct lc_fdent *lc_fdtab;

/* The entry of fd, or NULL when fd is neither a channel end nor closed by us: the wrappers' fast path. */
static inline struct lc_fdent *fdtab_get(int fd)
{
    struct lc_fdent *t = __atomic_load_n(&lc_fdtab, __ATOMIC_ACQUIRE);
    if (__builtin_expect((unsigned)fd >= LC_FDTAB_MAX || !t, 1))
        return NULL;
    return __atomic_load_n(&t[fd].state, __ATOMIC_ACQUIRE) != LC_FD_NONE ? &t[fd] : NULL;
}

/* A channel was made: fd1 < 0 for an eventfd. nonblock: both ends start with O_NONBLOCK. */
void fdtab_made(enum lc_chan_kind kind, int fd0, int fd1, int nonblock, stack_id made, uint64_t by);
/* fd was closed successfully (any fd): remember where; a channel end updates its channel. */
void fdtab_closed(int fd, stack_id site, uint64_t by);
/* newfd is now a copy of oldfd (dup, dup2, dup3, F_DUPFD); newfd was closed first by the caller if needed. */
void fdtab_dup(int oldfd, int newfd);
/* fd was open again although we saw it closed (reused through a call we do not see): forget the close. */
void fdtab_forget(int fd);
void fdtab_set_nonblock(int fd, int nonblock);
/* by wrote into fd (a channel end): remember it as the end's last writer. */
void fdtab_wrote(int fd, uint64_t by);
/* For a write on channel end e: 1 when no fd of the peer end (the readers) is open in this process; *site and
 * *by then tell the last close of the peer end. */
int fdtab_peer_closed(int fd, stack_id *site, uint64_t *by);
/* The peer end of end `end` of a channel of this kind (an eventfd is its own peer). */
static inline int fdtab_peer(uint8_t kind, int end) { return kind == LC_CH_EVENTFD ? end : end ^ 1; }

/* fork() happened: channels made before it may have ends open in the child too. */
void fdtab_note_fork(void);
uint32_t fdtab_forks(void);
/* Forget everything (unit tests). */
void fdtab_reset(void);
#endif
