/* The channel table: Go channels and fd channels (pipe, socketpair, eventfd), with their history. */
#ifndef LC_CHAN_H
#define LC_CHAN_H
#include <stdint.h>
#include <uthash.h>
#include "stack.h"

/* The first slot of a Go channel's group, in a table of slots slots and ways to a group (powers of two).
 * Channels made one after another lie side by side in the heap: each 128 bytes of a 512 KiB stretch take the
 * next group, so a program making many walks the table in order (the hardware reads ahead) instead of missing
 * the cache at every make and close; the stretches themselves are spread by a hash of the bits above. */
static inline unsigned lc_chan_group(uint64_t addr, unsigned slots, unsigned ways)
{
    uint64_t stretch = (addr >> 19) * 0x9e3779b97f4a7c15ull >> 40;
    return (unsigned)((addr >> 7) + stretch) * ways & (slots - 1);
}

/* The kinds of channel, once: X(ID, name) makes LC_CH_<ID>; chan_kind_name() names them in reports. */
#define LC_CHAN_KINDS(X) X(GO, "chan") X(PIPE, "pipe") X(SOCKETPAIR, "socketpair") X(EVENTFD, "eventfd")
enum lc_chan_kind {
#define LC_CHAN_KIND_ENUM(id, name) LC_CH_##id,
    LC_CHAN_KINDS(LC_CHAN_KIND_ENUM)
#undef LC_CHAN_KIND_ENUM
    LC_CH__COUNT
};
/* "chan", "pipe", ...; NULL for an unknown kind. */
const char *chan_kind_name(unsigned kind);
#define LC_FDCHAN_KEY_UNIQUE (1ull << 40)

struct lc_chan {
    uint64_t key;             /* hchan pointer, or for fds the lowest fd of the pair when made (a unique value
                               * >= LC_FDCHAN_KEY_UNIQUE when that key was still in use by a live pair) */
    uint32_t elemsize;        /* Go element size */
    uint32_t cap;             /* Go capacity */
    int32_t fds[2];           /* fd channels: the two ends (-1 when closed / none) */
    stack_id made, closed;    /* creation and (first) close stacks */
    uint64_t made_by, closed_by;   /* task ids */
    uint8_t kind, is_closed;
    /* fd channels (runtime/fdtab.c keeps these): fds[e] is an open fd of end e (dups included), -1 once the
     * end is closed everywhere in this process. An eventfd has one end, fds[0]. */
    uint16_t nopen[2];        /* open fds per end, dups included */
    int32_t orig_fds[2];      /* the fds as made */
    stack_id end_closed[2];   /* last close of each end's fds */
    uint64_t end_closed_by[2];
    uint64_t last_writer[2];  /* task that last wrote into each end (0 = never written) */
    uint32_t fork_gen;        /* fdtab_forks() when made: an older pair may be held open by a child process */
    UT_hash_handle hh;
};

/* A channel made (a record of the same key is replaced: the address was reused). Returns an fd channel's record,
 * which the caller may change under chan_table_lock; NULL for a Go channel (kept packed in a bounded table:
 * chan_get reads it) or when out of memory. */
struct lc_chan *chan_new(enum lc_chan_kind kind, uint64_t key, uint32_t elemsize, uint32_t cap, stack_id made,
                         uint64_t made_by);
/* Returns a copy in *out (1 when found), so callers never hold a pointer into the table without the lock. */
int chan_get(uint64_t key, struct lc_chan *out);
/* Marks closed. Returns 0 on first close, 1 when it was already closed (and *prev gets the earlier record). */
int chan_mark_closed(uint64_t key, stack_id site, uint64_t by, struct lc_chan *prev);
void chan_remove(uint64_t key);
int chan_foreach_timed(void (*fn)(struct lc_chan *, void *), void *arg, int timeout_ms);
size_t chan_count(void);
size_t chan_fd_count(void);     /* of them, fd channels */
void chan_table_lock(void);
void chan_table_unlock(void);
void chan_table_reset(void);

/* Channels os/signal delivers to: given to signal.Notify and not yet to Stop. A goroutine that waits on one
 * waits for a signal, which can come as long as the process lives: it is not leaked (a daemon that shuts the
 * program down on SIGTERM). At most LC_NOTIFY_MAX are kept; one past them is treated as any channel. */
#define LC_NOTIFY_MAX 64
void chan_notify(uint64_t key, int on);                    /* one channel given or taken back (gccgo) */
void chan_notify_replace(const uint64_t *keys, size_t n);  /* the whole set, as read (gc) */
int chan_notified(uint64_t key);
extern volatile size_t lc_chan_notify_n;
static inline size_t chan_notify_count(void) { return __atomic_load_n(&lc_chan_notify_n, __ATOMIC_ACQUIRE); }
#endif
