/* The channel table: every operation copies in or out under the lock, so no caller keeps a pointer. */
#include "uthash_alloc.h"
#include "chan.h"
#include "lock.h"
#include <string.h>

static lc_lock_t chan_lock = LC_LOCK_INIT;
static struct lc_chan *chans;

const char *chan_kind_name(unsigned kind)
{
    static const char *const names[LC_CH__COUNT] = {
#define LC_CHAN_KIND_NAME(id, name) [LC_CH_##id] = name,
        LC_CHAN_KINDS(LC_CHAN_KIND_NAME)
#undef LC_CHAN_KIND_NAME
    };
    return kind < LC_CH__COUNT ? names[kind] : NULL;
}
void chan_table_lock(void) { lc_lock(&chan_lock); }
void chan_table_unlock(void) { lc_unlock(&chan_lock); }

struct lc_chan *chan_new(enum lc_chan_kind kind, uint64_t key, uint32_t elemsize, uint32_t cap, stack_id made,
                         uint64_t made_by)
{
    struct lc_chan *c = lc_calloc(1, sizeof *c), *old = NULL;
    if (!c)
        return NULL;
    c->key = key;
    c->kind = (uint8_t)kind;
    c->elemsize = elemsize;
    c->cap = cap;
    c->made = made;
    c->made_by = made_by;
    c->fds[0] = c->fds[1] = -1;
    lc_lock(&chan_lock);
    HASH_FIND(hh, chans, &key, sizeof key, old);
    if (old)
        HASH_DEL(chans, old);           /* address reused after the old channel was collected */
    HASH_ADD(hh, chans, key, sizeof c->key, c);
    lc_unlock(&chan_lock);
    lc_free(old);
    return c;
}

int chan_get(uint64_t key, struct lc_chan *out)
{
    struct lc_chan *c = NULL;
    lc_lock(&chan_lock);
    HASH_FIND(hh, chans, &key, sizeof key, c);
    if (c && out)
        *out = *c;
    lc_unlock(&chan_lock);
    return c != NULL;
}

int chan_mark_closed(uint64_t key, stack_id site, uint64_t by, struct lc_chan *prev)
{
    struct lc_chan *c = NULL;
    int again = 0;
    lc_lock(&chan_lock);
    HASH_FIND(hh, chans, &key, sizeof key, c);
    if (c) {
        if (c->is_closed) {
            again = 1;
            if (prev)
                *prev = *c;
        } else {
            c->is_closed = 1;
            c->closed = site;
            c->closed_by = by;
        }
    }
    lc_unlock(&chan_lock);
    return again;
}

void chan_remove(uint64_t key)
{
    struct lc_chan *c = NULL;
    lc_lock(&chan_lock);
    HASH_FIND(hh, chans, &key, sizeof key, c);
    if (c)
        HASH_DEL(chans, c);
    lc_unlock(&chan_lock);
    lc_free(c);
}

int chan_foreach_timed(void (*fn)(struct lc_chan *, void *), void *arg, int timeout_ms)
{
    struct lc_chan *c, *tmp;
    if (!lc_lock_timed(&chan_lock, timeout_ms))
        return -1;
    HASH_ITER(hh, chans, c, tmp)
        fn(c, arg);
    lc_unlock(&chan_lock);
    return 0;
}

size_t chan_count(void)
{
    return HASH_COUNT(chans);
}

void chan_table_reset(void)
{
    struct lc_chan *c, *tmp;
    lc_lock(&chan_lock);
    HASH_ITER(hh, chans, c, tmp) {
        HASH_DEL(chans, c);
        lc_free(c);
    }
    lc_unlock(&chan_lock);
}
