/* The channel table: Go channels and fd channels (pipe, socketpair, eventfd), with their history. */
#ifndef LC_CHAN_H
#define LC_CHAN_H
#include <stdint.h>
#include <uthash.h>
#include "stack.h"

enum lc_chan_kind { LC_CH_GO = 0, LC_CH_PIPE, LC_CH_SOCKETPAIR, LC_CH_EVENTFD };

struct lc_chan {
    uint64_t key;             /* hchan pointer, or for fds the lowest fd of the pair */
    uint32_t elemsize;        /* Go element size */
    uint32_t cap;             /* Go capacity */
    int32_t fds[2];           /* fd channels: the two ends (-1 when closed / none) */
    stack_id made, closed;    /* creation and (first) close stacks */
    uint64_t made_by, closed_by;   /* task ids */
    uint8_t kind, is_closed;
    UT_hash_handle hh;
};

void chan_table_init(void);
struct lc_chan *chan_new(enum lc_chan_kind kind, uint64_t key, uint32_t elemsize, uint32_t cap, stack_id made,
                         uint64_t made_by);
/* Returns a copy in *out (1 when found), so callers never hold a pointer into the table without the lock. */
int chan_get(uint64_t key, struct lc_chan *out);
/* Marks closed. Returns 0 on first close, 1 when it was already closed (and *prev gets the earlier record). */
int chan_mark_closed(uint64_t key, stack_id site, uint64_t by, struct lc_chan *prev);
void chan_remove(uint64_t key);
void chan_foreach(void (*fn)(struct lc_chan *, void *), void *arg);
size_t chan_count(void);
void chan_table_lock(void);
void chan_table_unlock(void);
void chan_table_reset(void);
#endif
