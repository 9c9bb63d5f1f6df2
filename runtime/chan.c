/* The channel table: every operation copies in or out under the lock, so no caller keeps a pointer. fd channels
 * are few and live long: a hash table. Go channels are made and dropped at any rate, and the collector frees
 * them without telling, so their addresses come back: a bounded table of GO_SLOTS records by address, looked up
 * in one line of keys (GO_WAYS per group); a full group gives the slot of the channel made longest ago to the
 * new one. What it holds is what the heap held lately, whatever the number of channels made. */
#include "uthash_alloc.h"
#include "chan.h"
#include "lock.h"
#include <string.h>

static lc_lock_t chan_lock = LC_LOCK_INIT;
static struct lc_chan *chans;               /* fd channels */

#define GO_SLOTS (1u << 15)
#define GO_WAYS 8
struct go_rec {                             /* what a Go channel's lc_chan says, packed */
    uint32_t elemsize, cap;
    stack_id made, closed;
    uint64_t made_by, closed_by;
    uint8_t is_closed;
};
static struct {
    uint64_t *key;                          /* GO_SLOTS keys (0 free), a group to a line */
    struct go_rec *rec;
    uint8_t *hand;                          /* per group: the slot the next eviction takes (oldest first) */
    size_t n;                               /* slots in use */
} go;

static unsigned go_group(uint64_t key)
{
    return lc_chan_group(key, GO_SLOTS, GO_WAYS);
}

/* Under chan_lock: the slot of Go channel key, or -1. */
static long go_find(uint64_t key)
{
    if (!go.key || !key)
        return -1;
    unsigned b = go_group(key);
    for (unsigned i = b; i < b + GO_WAYS; i++)
        if (go.key[i] == key)
            return (long)i;
    return -1;
}

static void go_expand(unsigned i, struct lc_chan *out)
{
    const struct go_rec *r = &go.rec[i];
    memset(out, 0, sizeof *out);
    out->key = go.key[i];
    out->kind = LC_CH_GO;
    out->elemsize = r->elemsize;
    out->cap = r->cap;
    out->made = r->made;
    out->closed = r->closed;
    out->made_by = r->made_by;
    out->closed_by = r->closed_by;
    out->is_closed = r->is_closed;
    out->fds[0] = out->fds[1] = out->orig_fds[0] = out->orig_fds[1] = -1;
}

/* Under chan_lock: a slot for key, its old record gone (the same address made again, or the group's oldest
 * evicted: inserts fill a group in order, then the hand goes round it). */
static long go_take(uint64_t key)
{
    if (!go.key) {
        go.key = lc_calloc(GO_SLOTS, sizeof *go.key);
        go.rec = lc_calloc(GO_SLOTS, sizeof *go.rec);
        go.hand = lc_calloc(GO_SLOTS / GO_WAYS, 1);
        if (!go.key || !go.rec || !go.hand) {
            lc_free(go.key), lc_free(go.rec), lc_free(go.hand);
            go.key = NULL, go.rec = NULL, go.hand = NULL;
            return -1;
        }
    }
    unsigned b = go_group(key), at = GO_SLOTS;
    for (unsigned i = b; i < b + GO_WAYS && at == GO_SLOTS; i++)
        if (go.key[i] == key || !go.key[i])
            at = i;
    if (at == GO_SLOTS) {
        uint8_t *h = &go.hand[b / GO_WAYS];
        at = b + *h;
        *h = (uint8_t)((*h + 1) % GO_WAYS);
    }
    if (!go.key[at])
        go.n++;
    go.key[at] = key;
    memset(&go.rec[at], 0, sizeof go.rec[at]);
    return (long)at;
}

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

static void fill(struct lc_chan *c, enum lc_chan_kind kind, uint64_t key, uint32_t elemsize, uint32_t cap,
                 stack_id made, uint64_t made_by)
{
    c->key = key;
    c->kind = (uint8_t)kind;
    c->elemsize = elemsize;
    c->cap = cap;
    c->made = made;
    c->made_by = made_by;
    c->fds[0] = c->fds[1] = -1;
}

struct lc_chan *chan_new(enum lc_chan_kind kind, uint64_t key, uint32_t elemsize, uint32_t cap, stack_id made,
                         uint64_t made_by)
{
    if (kind == LC_CH_GO) {
        lc_lock(&chan_lock);
        long i = go_take(key);
        if (i >= 0)
            go.rec[i] = (struct go_rec){ elemsize, cap, made, 0, made_by, 0, 0 };
        lc_unlock(&chan_lock);
        return NULL;
    }
    struct lc_chan *c = lc_calloc(1, sizeof *c), *old = NULL;
    if (!c)
        return NULL;
    fill(c, kind, key, elemsize, cap, made, made_by);
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
    long i = go_find(key);
    if (i >= 0) {
        if (out)
            go_expand((unsigned)i, out);
        lc_unlock(&chan_lock);
        return 1;
    }
    HASH_FIND(hh, chans, &key, sizeof key, c);
    if (c && out)
        *out = *c;
    lc_unlock(&chan_lock);
    return c != NULL;
}

/* Either table's record marked closed at site by task by; 1 when it was closed already (and stays as it was). */
static int mark(uint8_t *is_closed, stack_id *closed, uint64_t *closed_by, stack_id site, uint64_t by)
{
    if (*is_closed)
        return 1;
    *is_closed = 1;
    *closed = site;
    *closed_by = by;
    return 0;
}

int chan_mark_closed(uint64_t key, stack_id site, uint64_t by, struct lc_chan *prev)
{
    struct lc_chan *c = NULL;
    int again = 0;
    lc_lock(&chan_lock);
    long i = go_find(key);
    if (i >= 0) {
        struct go_rec *r = &go.rec[i];
        if ((again = mark(&r->is_closed, &r->closed, &r->closed_by, site, by)) && prev)
            go_expand((unsigned)i, prev);
    } else {
        HASH_FIND(hh, chans, &key, sizeof key, c);
        if (c && (again = mark(&c->is_closed, &c->closed, &c->closed_by, site, by)) && prev)
            *prev = *c;
    }
    lc_unlock(&chan_lock);
    return again;
}

void chan_remove(uint64_t key)
{
    struct lc_chan *c = NULL;
    lc_lock(&chan_lock);
    long i = go_find(key);
    if (i >= 0) {
        go.key[i] = 0;
        go.n--;
    } else {
        HASH_FIND(hh, chans, &key, sizeof key, c);
        if (c)
            HASH_DEL(chans, c);
    }
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
    struct lc_chan one;
    for (unsigned i = 0; go.key && i < GO_SLOTS; i++)
        if (go.key[i]) {
            go_expand(i, &one);
            fn(&one, arg);
        }
    lc_unlock(&chan_lock);
    return 0;
}

size_t chan_count(void)
{
    return HASH_COUNT(chans) + go.n;
}

size_t chan_fd_count(void)
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
    if (go.key) {
        memset(go.key, 0, GO_SLOTS * sizeof *go.key);
        memset(go.hand, 0, GO_SLOTS / GO_WAYS);
    }
    go.n = 0;
    lc_unlock(&chan_lock);
}

/* ---- channels os/signal delivers to ---------------------------------------------------------------------- */

static lc_lock_t notify_lock = LC_LOCK_INIT;
static uint64_t notify_keys[LC_NOTIFY_MAX];
volatile size_t lc_chan_notify_n;
#define notify_n lc_chan_notify_n

void chan_notify(uint64_t key, int on)
{
    if (!key)
        return;
    lc_lock(&notify_lock);
    size_t i = 0;
    while (i < notify_n && notify_keys[i] != key)
        i++;
    if (on && i == notify_n && notify_n < LC_NOTIFY_MAX)
        notify_keys[i] = key, __atomic_store_n(&notify_n, notify_n + 1, __ATOMIC_RELEASE);
    else if (!on && i < notify_n) {
        notify_keys[i] = notify_keys[notify_n - 1];
        __atomic_store_n(&notify_n, notify_n - 1, __ATOMIC_RELEASE);
    }
    lc_unlock(&notify_lock);
}

void chan_notify_replace(const uint64_t *keys, size_t n)
{
    lc_lock(&notify_lock);
    size_t m = 0;
    for (size_t i = 0; i < n && m < LC_NOTIFY_MAX; i++)
        if (keys[i])
            notify_keys[m++] = keys[i];
    __atomic_store_n(&notify_n, m, __ATOMIC_RELEASE);
    lc_unlock(&notify_lock);
}

int chan_notified(uint64_t key)
{
    if (!key || !__atomic_load_n(&notify_n, __ATOMIC_ACQUIRE))
        return 0;
    int found = 0;
    lc_lock(&notify_lock);
    for (size_t i = 0; i < notify_n && !found; i++)
        found = notify_keys[i] == key;
    lc_unlock(&notify_lock);
    return found;
}
