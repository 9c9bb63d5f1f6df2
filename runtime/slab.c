/* Fixed-size, line-aligned objects (slab.h). */
#include "slab.h"
#include "alloc.h"
#include <stdint.h>
#include <string.h>

#define CHUNK (32u << 10)

static struct lc_slab *slabs;           /* every slab in use; list_lock comes before any slab's lock */
static lc_lock_t list_lock = LC_LOCK_INIT;

static void enlist(struct lc_slab *s)
{
    lc_lock(&list_lock);
    if (!s->listed) {
        s->next = slabs;
        slabs = s;
        __atomic_store_n(&s->listed, 1, __ATOMIC_RELEASE);
    }
    lc_unlock(&list_lock);
}

void *lc_slab_alloc(struct lc_slab *s)
{
    void *p = NULL;
    if (!__atomic_load_n(&s->listed, __ATOMIC_ACQUIRE))
        enlist(s);                      /* first use: known to fork */
    lc_lock(&s->lock);
    if (s->free) {
        p = s->free;
        s->free = *(void **)p;
        memset(p, 0, s->size);
    } else {
        if ((size_t)(s->end - s->cur) < s->size) {
            char *c = lc_calloc(1, CHUNK);   /* a mapping of its own, zeroed */
            if (c) {
                s->cur = (char *)(((uintptr_t)c + 63) & ~(uintptr_t)63);
                s->end = c + CHUNK;
            }
        }
        if (s->cur && (size_t)(s->end - s->cur) >= s->size) {
            p = s->cur;
            s->cur += s->size;
        }
    }
    lc_unlock(&s->lock);
    return p;
}

void lc_slab_free(struct lc_slab *s, void *p)
{
    if (!p)
        return;
    lc_lock(&s->lock);
    *(void **)p = s->free;
    s->free = p;
    lc_unlock(&s->lock);
}

void lc_slab_lock_all(void)
{
    lc_lock(&list_lock);
    for (struct lc_slab *s = slabs; s; s = s->next)
        lc_lock(&s->lock);
}

void lc_slab_unlock_all(void)
{
    for (struct lc_slab *s = slabs; s; s = s->next)
        lc_unlock(&s->lock);
    lc_unlock(&list_lock);
}
