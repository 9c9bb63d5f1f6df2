/* Locksets: what each thread or goroutine holds, in a registry a report reads, pooled and recycled; who holds
 * a lock, what a task holds. The lock-order graph they feed is lockorder.c's. */
#include "lockset.h"
#include "lockorder.h"
#include "alloc.h"
#include "lock.h"
#include "slab.h"
#include <string.h>

#define REG_MAX 1024                    /* threads whose locksets a report can see */

static struct lc_lockset *registry[REG_MAX];

/* ---- locksets ------------------------------------------------------------------------------------------ */

static void lockset_free_arrays(struct lc_lockset *ls)
{
    if (ls->held != &ls->held0)
        lc_free(ls->held);
    lc_free(ls->seen);
    lc_free(ls->stamp);
}

uint64_t lockset_stamp_age_ns(uint64_t stamp)
{
    uint64_t now = lc_now_ns();
    return stamp && now > stamp ? now - stamp : 0;
}

static struct lc_slab locksets = LC_SLAB_INIT(64);
_Static_assert(sizeof(struct lc_lockset) <= 64, "an ungrown lockset is one cache line");

int lockset_grow(struct lc_lockset *ls)
{
    struct lc_held *held = lc_calloc(LC_HELD_MAX, sizeof *held);
    struct lc_seen *seen = lc_calloc(LC_HELD_MAX, sizeof *seen);
    if (!held || !seen) {
        lc_free(held);
        lc_free(seen);
        return 0;
    }
    held[0] = ls->held0;
    __atomic_store_n(&ls->held, held, __ATOMIC_RELEASE);
    __atomic_store_n(&ls->seen, seen, __ATOMIC_RELEASE);   /* last: readers take seen != NULL as grown */
    return 1;
}

struct lc_lockset *lockset_new(uint64_t task_id, int32_t tid)
{
    struct lc_lockset *ls = lc_slab_alloc(&locksets);
    if (!ls)
        return NULL;
    ls->task_id = task_id;
    ls->tid = tid;
    ls->held = &ls->held0;
    /* a goroutine's is pooled and reused (gccgo_mutex.c): made with room for every level, and stamps */
    if (tid == LC_LS_GOROUTINE &&
        (!lockset_grow(ls) || !(ls->stamp = lc_calloc(LC_HELD_MAX, sizeof *ls->stamp)))) {
        lockset_free_arrays(ls);
        lc_slab_free(&locksets, ls);
        return NULL;
    }
    for (int i = 0; i < REG_MAX; i++) {
        struct lc_lockset *none = NULL;
        if (__atomic_compare_exchange_n(&registry[i], &none, ls, 0, __ATOMIC_RELEASE, __ATOMIC_RELAXED))
            break;
    }
    return ls;
}

void lockset_free(struct lc_lockset *ls)
{
    if (!ls)
        return;
    for (int i = 0; i < REG_MAX; i++) {
        struct lc_lockset *me = ls;
        if (__atomic_compare_exchange_n(&registry[i], &me, NULL, 0, __ATOMIC_RELEASE, __ATOMIC_RELAXED))
            break;
    }
    /* slab objects and small blocks stay mapped: a late reader sees stale data, no fault */
    lockset_free_arrays(ls);
    lc_slab_free(&locksets, ls);
}

#define POOL_MAX 256
static lc_lock_t pool_lock = LC_LOCK_INIT;      /* a leaf */
static struct lc_lockset *pool[2][POOL_MAX];     /* [1]: goroutines' */
static unsigned npool[2];

struct lc_lockset *lockset_take(uint64_t task_id, int32_t tid)
{
    int k = tid == LC_LS_GOROUTINE;
    struct lc_lockset *ls = NULL;
    if (__atomic_load_n(&npool[k], __ATOMIC_RELAXED)) {
        lc_lock(&pool_lock);
        if (npool[k])
            ls = pool[k][--npool[k]];
        lc_unlock(&pool_lock);
    }
    if (!ls)
        return lockset_new(task_id, tid);
    ls->task_id = task_id;              /* empty: a report reading it meanwhile finds nothing in it */
    ls->tid = tid;
    return ls;
}

void lockset_put(struct lc_lockset *ls)
{
    int k = ls->tid == LC_LS_GOROUTINE;
    ls->task_id = LC_LS_NOBODY;         /* a cached answer naming its last task no longer holds */
    lc_lock(&pool_lock);
    if (npool[k] < POOL_MAX) {
        pool[k][npool[k]++] = ls;
        ls = NULL;
    }
    lc_unlock(&pool_lock);
    lockset_free(ls);
}

int lockset_pop_slow(struct lc_lockset *ls, const void *lock)
{
    uint32_t n = ls->n;
    if (n > lockset_cap(ls)) {          /* overflowed: the innermost ones were not stored */
        __atomic_store_n(&ls->n, n - 1, __ATOMIC_RELEASE);
        return 1;
    }
    for (uint32_t i = n; i-- > 0;) {
        if (ls->held[i].lock == lock && !LC_HELD_GONE(&ls->held[i])) {
            memmove(&ls->held[i], &ls->held[i + 1], (n - i - 1) * sizeof ls->held[0]);
            if (ls->stamp)
                memmove(&ls->stamp[i], &ls->stamp[i + 1], (n - i - 1) * sizeof ls->stamp[0]);
            __atomic_store_n(&ls->n, n - 1, __ATOMIC_RELEASE);
            return 1;
        }
    }
    return 0;
}

void lockset_forget(const void *lock)
{
    if (!lockorder_forget(lock))
        return;
    /* every thread's memory of a known nesting with it: the next lock at that address is a new lock (best
     * effort, written from here: a stale entry only means a nesting is looked up again) */
    for (int i = 0; i < REG_MAX; i++) {
        struct lc_lockset *ls = __atomic_load_n(&registry[i], __ATOMIC_ACQUIRE);
        struct lc_seen *seen = ls ? __atomic_load_n(&ls->seen, __ATOMIC_ACQUIRE) : NULL;
        for (int k = 0; seen && k < LC_HELD_MAX; k++)
            if (seen[k].from == lock || seen[k].to == lock)
                seen[k].from = seen[k].to = NULL;
    }
}

/* ---- queries --------------------------------------------------------------------------------------------- */

/* Where ls holds lock (waiting entries passed over): its index, or -1. */
static long held_at(const struct lc_lockset *ls, const void *lock)
{
    uint32_t n = __atomic_load_n(&ls->n, __ATOMIC_ACQUIRE), cap = lockset_cap(ls);
    const struct lc_held *held = __atomic_load_n(&ls->held, __ATOMIC_ACQUIRE);
    for (uint32_t i = 0; i < n && i < cap; i++)
        if (held[i].lock == lock && !LC_HELD_GONE(&held[i]))
            return (long)i;
    return -1;
}

static int find_in(const struct lc_lockset *ls, const void *lock, uintptr_t *pc)
{
    long k = held_at(ls, lock);
    if (k >= 0)
        *pc = LC_HELD_PC(&ls->held[k]);
    return k >= 0;
}

int lockset_holder_info(const void *lock, struct lc_holder *out)
{
    for (int i = 0; i < REG_MAX; i++) {
        struct lc_lockset *ls = __atomic_load_n(&registry[i], __ATOMIC_ACQUIRE);
        long k = ls ? held_at(ls, lock) : -1;
        if (k >= 0) {
            out->task_id = ls->task_id;
            out->goroutine = ls->tid == LC_LS_GOROUTINE;
            out->pc = LC_HELD_PC(&ls->held[k]);
            out->stamp = lockset_hold_stamp(ls, k);
            return 1;
        }
    }
    return 0;
}

int lockset_holder(const void *lock, uint64_t *task_id, uintptr_t *pc)
{
    struct lc_holder h;
    if (!lockset_holder_info(lock, &h))
        return 0;
    *task_id = h.task_id;
    *pc = h.pc;
    return 1;
}

/* Marks h released when it holds lock, unless it changed since it was read (waiting now, or another lock
 * there). Returns whether it held lock. */
static int release_entry(struct lc_held *h, const void *lock)
{
    uintptr_t pc = __atomic_load_n(&h->pcmode, __ATOMIC_ACQUIRE);
    if (h->lock != lock || (pc & LC_HELD_GONE_BITS))
        return 0;
    __atomic_compare_exchange_n(&h->pcmode, &pc, pc | LC_HELD_RELEASED, 0, __ATOMIC_RELEASE, __ATOMIC_RELAXED);
    return 1;
}

void lockset_release(struct lc_lockset *ls, const void *lock)
{
    if (ls) {
        uint32_t n = ls->n < lockset_cap(ls) ? ls->n : lockset_cap(ls);
        for (uint32_t i = n; i-- > 0;)
            if (release_entry(&ls->held[i], lock)) {
                lockset_trim(ls);
                return;
            }
        if (ls->n > lockset_cap(ls)) {          /* overflowed: one of the locks not stored */
            __atomic_store_n(&ls->n, ls->n - 1, __ATOMIC_RELEASE);
            return;
        }
    }
    for (int i = 0; i < REG_MAX; i++) {
        struct lc_lockset *o = __atomic_load_n(&registry[i], __ATOMIC_ACQUIRE);
        if (!o || o == ls || o->tid != LC_LS_GOROUTINE)
            continue;
        uint32_t n = __atomic_load_n(&o->n, __ATOMIC_ACQUIRE), cap = lockset_cap(o);
        struct lc_held *held = __atomic_load_n(&o->held, __ATOMIC_ACQUIRE);
        for (uint32_t k = 0; k < n && k < cap; k++)
            if (release_entry(&held[k], lock))   /* handed on: what o took under it is no lock order */
                lockorder_handed(lock, o->task_id, lockset_hold_stamp(o, k));
    }
}

static struct lc_lockset *by_task(uint64_t task_id)
{
    for (int i = 0; i < REG_MAX; i++) {
        struct lc_lockset *ls = __atomic_load_n(&registry[i], __ATOMIC_ACQUIRE);
        if (ls && ls->task_id == task_id)
            return ls;
    }
    return NULL;
}

int lockset_site(uint64_t task_id, const void *lock, uintptr_t *pc)
{
    struct lc_lockset *ls = by_task(task_id);
    return ls && find_in(ls, lock, pc);
}

static size_t held_of(const struct lc_lockset *ls, struct lc_held *out, size_t max)
{
    uint32_t n = __atomic_load_n(&ls->n, __ATOMIC_ACQUIRE), cap = lockset_cap(ls);
    const struct lc_held *held = __atomic_load_n(&ls->held, __ATOMIC_ACQUIRE);
    size_t got = 0, holds = n > cap ? n - cap : 0;     /* counted, not stored */
    for (uint32_t k = 0; k < n && k < cap; k++) {
        if (LC_HELD_GONE(&held[k]))
            continue;
        if (got < max)
            out[got++] = held[k];
        holds++;
    }
    return holds;
}

size_t lockset_held_by(uint64_t task_id, struct lc_held *out, size_t max)
{
    struct lc_lockset *ls = by_task(task_id);
    return ls ? held_of(ls, out, max) : 0;
}

size_t lockset_holder_ids(uint64_t *out, size_t max)
{
    size_t n = 0;
    for (int i = 0; i < REG_MAX; i++) {
        struct lc_lockset *ls = __atomic_load_n(&registry[i], __ATOMIC_ACQUIRE);
        if (!ls || !held_of(ls, NULL, 0))
            continue;
        if (n < max)
            out[n] = ls->task_id;
        n++;
    }
    return n;
}

stack_id lockset_site_stack(uintptr_t pc)
{
    return pc ? stack_intern(&pc, 1) : 0;
}

void lockset_lock_all(void)
{
    lockorder_lock();
    lc_lock(&pool_lock);
}

void lockset_unlock_all(void)
{
    lc_unlock(&pool_lock);
    lockorder_unlock();
}

void lockset_reset(void)
{
    lockorder_reset();
    lockorder_lock();
    memset(registry, 0, sizeof registry);
    npool[0] = npool[1] = 0;
    lockorder_unlock();
}
