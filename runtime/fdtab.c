/* The fd table. Lazily mapped (the allocator maps large blocks directly, so untouched entries cost nothing);
 * changes happen under the channel table lock, reads on the wrappers' fast path take no lock. */
#include "fdtab.h"
#include "alloc.h"
#include <string.h>

struct lc_fdent *lc_fdtab;
static int fd_hi;                       /* highest fd ever given an entry (bounds the scans) */
static uint32_t forks;
static uint64_t unique_seq;

static struct lc_fdent *table(void)
{
    struct lc_fdent *t = __atomic_load_n(&lc_fdtab, __ATOMIC_ACQUIRE);
    if (t)
        return t;
    struct lc_fdent *n = lc_calloc(LC_FDTAB_MAX, sizeof *n);
    if (!n)
        return NULL;
    if (!__atomic_compare_exchange_n(&lc_fdtab, &t, n, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
        lc_free(n);                     /* another thread won */
        return t;
    }
    return n;
}

static int ok_fd(int fd)
{
    return fd >= 0 && fd < LC_FDTAB_MAX;
}

static void set_state(struct lc_fdent *e, int fd, uint8_t state)
{
    if (fd > fd_hi)
        fd_hi = fd;
    __atomic_store_n(&e->state, state, __ATOMIC_RELEASE);
}

/* Whether a channel record still has an open end. Called with the channel lock held. */
static int chan_live(const struct lc_chan *c)
{
    return c->nopen[0] || c->nopen[1];
}

void fdtab_made(enum lc_chan_kind kind, int fd0, int fd1, int nonblock, stack_id made, uint64_t by)
{
    struct lc_fdent *t = table();
    if (!t || !ok_fd(fd0) || (fd1 >= 0 && !ok_fd(fd1)))
        return;
    /* Keyed by the lowest fd, unless an older pair under that key still has an end open (its other fd). */
    uint64_t key = (uint64_t)(fd1 >= 0 && fd1 < fd0 ? fd1 : fd0);
    struct lc_chan old;
    if (chan_get(key, &old) && (old.kind == LC_CH_GO || chan_live(&old)))
        key = LC_FDCHAN_KEY_UNIQUE + __atomic_fetch_add(&unique_seq, 1, __ATOMIC_RELAXED);
    struct lc_chan *c = chan_new(kind, key, 0, 0, made, by);
    if (!c)
        return;
    chan_table_lock();
    int fds[2] = { fd0, fd1 };
    c->fork_gen = __atomic_load_n(&forks, __ATOMIC_RELAXED);
    for (int e = 0; e < 2; e++) {
        c->orig_fds[e] = fds[e];
        c->fds[e] = fds[e];
        if (fds[e] < 0)
            continue;
        c->nopen[e] = 1;
        struct lc_fdent *x = &t[fds[e]];
        memset(x, 0, sizeof *x);
        x->end = (uint8_t)e;
        x->kind = (uint8_t)kind;
        x->nonblock = nonblock ? LC_FD_NB_NONBLOCKING : LC_FD_NB_BLOCKING;
        x->ch = c;
        set_state(x, fds[e], LC_FD_OPEN);
    }
    chan_table_unlock();
}

/* Another open fd of the same end, or -1. Called with the channel lock held. */
static int other_fd(const struct lc_chan *c, int end, int not_fd)
{
    for (int fd = 0; fd <= fd_hi; fd++)
        if (fd != not_fd && lc_fdtab[fd].state == LC_FD_OPEN && lc_fdtab[fd].ch == c && lc_fdtab[fd].end == end)
            return fd;
    return -1;
}

/* Take fd out of its channel (closed, or replaced by dup2). Returns the channel when it is a dead record
 * that must be removed (unique key) once the lock is released. Called with the channel lock held. */
static struct lc_chan *detach_end(struct lc_fdent *x, int fd, stack_id site, uint64_t by)
{
    struct lc_chan *c = x->ch;
    int e = x->end;
    if (c->nopen[e])
        c->nopen[e]--;
    if (c->fds[e] == fd)
        c->fds[e] = c->nopen[e] ? other_fd(c, e, fd) : -1;
    c->end_closed[e] = site;
    c->end_closed_by[e] = by;
    if (!chan_live(c)) {
        c->is_closed = 1;
        c->closed = site;
        c->closed_by = by;
        if (c->key >= LC_FDCHAN_KEY_UNIQUE)
            return c;
    }
    return NULL;
}

void fdtab_closed(int fd, stack_id site, uint64_t by)
{
    struct lc_fdent *t = table();
    if (!t || !ok_fd(fd))
        return;
    struct lc_chan *dead = NULL;
    chan_table_lock();
    struct lc_fdent *x = &t[fd];
    if (x->state == LC_FD_OPEN)
        dead = detach_end(x, fd, site, by);
    else if (x->state == LC_FD_NONE)
        x->kind = 0;                    /* an ordinary fd; a closed channel end keeps its kind */
    x->ch = NULL;
    x->writer = 0;
    x->closed = site;
    x->closed_by = by;
    set_state(x, fd, LC_FD_CLOSED);
    chan_table_unlock();
    if (dead)
        chan_remove(dead->key);
}

void fdtab_dup(int oldfd, int newfd)
{
    struct lc_fdent *t = __atomic_load_n(&lc_fdtab, __ATOMIC_ACQUIRE);
    if (!t || !ok_fd(newfd))
        return;
    chan_table_lock();
    struct lc_fdent *n = &t[newfd];
    if (ok_fd(oldfd) && t[oldfd].state == LC_FD_OPEN && n->state != LC_FD_OPEN) {
        struct lc_fdent *o = &t[oldfd];
        o->ch->nopen[o->end]++;
        if (o->ch->fds[o->end] < 0)
            o->ch->fds[o->end] = newfd;
        memset(n, 0, sizeof *n);
        n->end = o->end;
        n->kind = o->kind;
        n->nonblock = o->nonblock;      /* one open file description: the same O_NONBLOCK */
        n->ch = o->ch;
        set_state(n, newfd, LC_FD_OPEN);
    } else if (n->state == LC_FD_CLOSED) {
        __atomic_store_n(&n->state, LC_FD_NONE, __ATOMIC_RELEASE);   /* open again, not a channel */
    }
    chan_table_unlock();
}

void fdtab_forget(int fd)
{
    struct lc_fdent *t = __atomic_load_n(&lc_fdtab, __ATOMIC_ACQUIRE);
    if (!t || !ok_fd(fd))
        return;
    chan_table_lock();
    if (t[fd].state == LC_FD_CLOSED)
        __atomic_store_n(&t[fd].state, LC_FD_NONE, __ATOMIC_RELEASE);
    chan_table_unlock();
}

void fdtab_set_nonblock(int fd, int nonblock)
{
    struct lc_fdent *x = fdtab_get(fd);
    if (x && x->state == LC_FD_OPEN)
        x->nonblock = nonblock ? LC_FD_NB_NONBLOCKING : LC_FD_NB_BLOCKING;
}

void fdtab_wrote(int fd, uint64_t by)
{
    struct lc_fdent *t = __atomic_load_n(&lc_fdtab, __ATOMIC_ACQUIRE);
    if (!t || !ok_fd(fd))
        return;
    chan_table_lock();
    struct lc_fdent *x = &t[fd];
    if (x->state == LC_FD_OPEN) {       /* re-checked under the lock: the record is alive */
        x->writer = by;
        x->ch->last_writer[x->end] = by;
    }
    chan_table_unlock();
}

int fdtab_peer_closed(int fd, stack_id *site, uint64_t *by)
{
    struct lc_fdent *t = __atomic_load_n(&lc_fdtab, __ATOMIC_ACQUIRE);
    int closed = 0;
    if (!t || !ok_fd(fd))
        return 0;
    chan_table_lock();
    struct lc_fdent *x = &t[fd];
    if (x->state == LC_FD_OPEN) {
        int p = fdtab_peer(x->kind, x->end);
        closed = x->ch->nopen[p] == 0;
        *site = x->ch->end_closed[p];
        *by = x->ch->end_closed_by[p];
    }
    chan_table_unlock();
    return closed;
}

void fdtab_note_fork(void)
{
    __atomic_add_fetch(&forks, 1, __ATOMIC_RELAXED);
}

uint32_t fdtab_forks(void)
{
    return __atomic_load_n(&forks, __ATOMIC_RELAXED);
}

void fdtab_reset(void)
{
    chan_table_lock();
    if (lc_fdtab)
        memset(lc_fdtab, 0, LC_FDTAB_MAX * sizeof *lc_fdtab);
    fd_hi = 0;
    chan_table_unlock();
}
