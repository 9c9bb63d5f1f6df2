/* Stack capture with libunwind and the depot that stores each distinct stack once.
 * Ids index a two-level table whose pages are never moved, so stack_get() reads without a lock. */
#include "stack.h"
#include "alloc.h"
#include "lock.h"
#define UNW_LOCAL_ONLY
#include <libunwind.h>
#include <string.h>

#define NBUCKET (1u << 16)
#define PAGE 4096u
#define NPAGE 4096u                     /* up to 16M distinct stacks */

struct entry {
    struct entry *next;                 /* bucket chain */
    uint32_t hash, id, n;
    uintptr_t pcs[];
};

static lc_lock_t depot_lock = LC_LOCK_INIT;
static lc_lock_t unwind_lock = LC_LOCK_INIT;
static struct entry **buckets;
static struct entry **pages[NPAGE];
static uint32_t next_id = 1;            /* 0 is "no stack" */
static int max_depth = 32;

void stack_set_depth(int depth)
{
    max_depth = depth < 1 ? 1 : depth > LC_MAX_FRAMES ? LC_MAX_FRAMES : depth;
}

static uint32_t hash_pcs(const uintptr_t *pcs, int n)
{
    uint64_t h = 1469598103934665603ull;
    for (int i = 0; i < n; i++) {
        h ^= pcs[i];
        h *= 1099511628211ull;
    }
    return (uint32_t)(h ^ (h >> 32));
}

static stack_id insert_locked(struct entry **slot, uint32_t h, const uintptr_t *pcs, int n)
{
    if (next_id >= PAGE * NPAGE)
        return 0;
    uint32_t pg = next_id / PAGE;
    if (!pages[pg] && !(pages[pg] = lc_calloc(PAGE, sizeof(struct entry *))))
        return 0;
    struct entry *e = lc_calloc(1, sizeof *e + (size_t)n * sizeof *pcs);
    if (!e)
        return 0;
    e->hash = h;
    e->n = (uint32_t)n;
    e->id = next_id++;
    memcpy(e->pcs, pcs, (size_t)n * sizeof *pcs);
    e->next = *slot;
    *slot = e;
    __atomic_store_n(&pages[pg][e->id % PAGE], e, __ATOMIC_RELEASE);
    return e->id;
}

stack_id stack_intern(const uintptr_t *pcs, int n)
{
    if (n <= 0)
        return 0;
    if (n > LC_MAX_FRAMES)
        n = LC_MAX_FRAMES;
    uint32_t h = hash_pcs(pcs, n);
    stack_id id = 0;
    lc_lock(&depot_lock);
    if (buckets || (buckets = lc_calloc(NBUCKET, sizeof *buckets))) {
        struct entry **slot = &buckets[h & (NBUCKET - 1)];
        for (struct entry *e = *slot; e && !id; e = e->next)
            if (e->hash == h && e->n == (uint32_t)n && !memcmp(e->pcs, pcs, (size_t)n * sizeof *pcs))
                id = e->id;
        if (!id)
            id = insert_locked(slot, h, pcs, n);
    }
    lc_unlock(&depot_lock);
    return id;
}

/* Two ways to walk the stack. unw_backtrace is fast (~0.1 us) but gives each thread that uses it a 256 KiB
 * trace cache; the unw_step walk needs no per-thread memory but costs ~0.5 us a frame. A thread's first
 * captures walk; only a thread that keeps capturing (a hot blocking path) moves to the fast walker, so a
 * thousand threads that each block once cost no extra memory. */
#define FAST_AFTER 16
static __thread __attribute__((tls_model("initial-exec"))) unsigned captures;

/* The unwinder's state (~2 KiB), used under unwind_lock only: here, not on every capturing thread's stack. */
static unw_context_t walk_uc;
static unw_cursor_t walk_cur;

/* Like unw_backtrace: buf[0] is the caller's pc (this frame itself is not recorded). */
__attribute__((noinline)) static int walk_slow(void **buf, int max)
{
    unw_context_t *uc = &walk_uc;
    unw_cursor_t *cur = &walk_cur;
    int n = 0;
    if (unw_getcontext(uc) != 0 || unw_init_local(cur, uc) != 0)
        return 0;
    while (n < max && unw_step(cur) > 0) {
        unw_word_t ip;
        if (unw_get_reg(cur, UNW_REG_IP, &ip) != 0 || ip == 0)
            break;
        buf[n++] = (void *)ip;
    }
    return n;
}

__attribute__((noinline)) int stack_walk(void **buf, int max)
{
    /* One unwind at a time: libunwind can deadlock against the loader lock when two threads unwind at once
     * (its cache lock held across dl_iterate_phdr in one, taken inside the dl_iterate_phdr callback in the
     * other). */
    lc_lock(&unwind_lock);
    int n = captures++ < FAST_AFTER ? walk_slow(buf, max) : unw_backtrace(buf, max);
    lc_unlock(&unwind_lock);
    return n;
}

__attribute__((noinline)) stack_id stack_capture(int skip)
{
    void *buf[LC_MAX_FRAMES + 8];
    if (skip < 0)
        skip = 0;
    int want = max_depth + skip + 2;
    if (want > (int)(sizeof buf / sizeof buf[0]))
        want = (int)(sizeof buf / sizeof buf[0]);
    int n = stack_walk(buf, want);
    /* buf[0] is stack_walk, buf[1] this function: drop both and the caller's `skip` */
    int drop = skip + 2;
    if (n <= drop)
        return 0;
    return stack_intern((const uintptr_t *)(buf + drop), n - drop);
}

__attribute__((noinline)) stack_id stack_capture_below(uintptr_t lo, uintptr_t hi)
{
    void *buf[LC_MAX_FRAMES + 16];
    int want = max_depth + 16, n = stack_walk(buf, want), drop = 0;
    while (drop < n && (uintptr_t)buf[drop] - lo < hi - lo)
        drop++;
    if (n - drop > max_depth)
        n = drop + max_depth;
    return n > drop ? stack_intern((const uintptr_t *)(buf + drop), n - drop) : 0;
}

int stack_get(stack_id id, const uintptr_t **pcs)
{
    if (id == 0 || id >= PAGE * NPAGE)
        return 0;
    struct entry **page = __atomic_load_n(&pages[id / PAGE], __ATOMIC_ACQUIRE);
    struct entry *e = page ? __atomic_load_n(&page[id % PAGE], __ATOMIC_ACQUIRE) : NULL;
    if (!e)
        return 0;
    *pcs = e->pcs;
    return (int)e->n;
}

void stack_depot_lock(void) { lc_lock(&unwind_lock); lc_lock(&depot_lock); }
void stack_depot_unlock(void) { lc_unlock(&depot_lock); lc_unlock(&unwind_lock); }

size_t stack_depot_count(void)
{
    return next_id - 1;
}

void stack_depot_reset(void)
{
    lc_lock(&depot_lock);
    for (uint32_t i = 1; i < next_id; i++) {
        struct entry **page = pages[i / PAGE];
        if (page && page[i % PAGE]) {
            lc_free(page[i % PAGE]);
            page[i % PAGE] = NULL;
        }
    }
    if (buckets)
        memset(buckets, 0, NBUCKET * sizeof *buckets);
    next_id = 1;
    lc_unlock(&depot_lock);
}
