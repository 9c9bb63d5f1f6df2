/* Fixed-size objects on cache-line boundaries (task records, thread locksets): no per-object header, and no
 * two objects written by different threads on one line. Carved from chunks of the internal allocator; a freed
 * object waits on its slab's free list for the next allocation. Fork-safe under lc_slab_lock_all. */
#ifndef LC_SLAB_H
#define LC_SLAB_H
#include <stddef.h>
#include "lock.h"

struct lc_slab {
    size_t size;              /* object size, a multiple of 64 */
    lc_lock_t lock;
    char *cur, *end;          /* the chunk being carved */
    void *free;               /* freed objects (first word: the next one) */
    struct lc_slab *next;     /* every slab, for fork */
    int listed;
};
#define LC_SLAB_INIT(sz) { (sz), LC_LOCK_INIT, NULL, NULL, NULL, NULL, 0 }

/* A zeroed object, NULL when out of memory. */
void *lc_slab_alloc(struct lc_slab *s);
void lc_slab_free(struct lc_slab *s, void *p);
/* fork: every slab that has handed out an object. */
void lc_slab_lock_all(void);
void lc_slab_unlock_all(void);
#endif
