/* Stack capture with libunwind and the depot that stores each distinct stack once.
 * Ids index a two-level table whose pages are never moved, so stack_get() reads without a lock. */
#include "stack.h"
#include "alloc.h"
#include "lock.h"
#include "on_stack.h"
#define UNW_LOCAL_ONLY
#include <libunwind.h>
#include <pthread.h>
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

/* Walks run one at a time (unwind_lock), on this stack rather than the capturing task's: the unwinder's state
 * (~2 KiB), its frames and the frame buffer never touch a page of the task's own stack, which a task blocked
 * once (a thread in pthread_cond_wait, a parked goroutine) would otherwise keep resident. */
#define CAPTURE_STACK (64u << 10)
static char capture_stack[CAPTURE_STACK] __attribute__((aligned(64)));
static unw_context_t walk_uc;
static unw_cursor_t walk_cur;

/* Like unw_backtrace: buf[0] is the caller's pc (this frame itself is not recorded). sps (NULL: not wanted):
 * each frame's stack pointer, just above the word its pc was returned to from (x86-64: at sp - 8). */
__attribute__((noinline)) static int walk_slow(void **buf, uintptr_t *sps, int max)
{
    unw_context_t *uc = &walk_uc;
    unw_cursor_t *cur = &walk_cur;
    int n = 0;
    if (unw_getcontext(uc) != 0 || unw_init_local(cur, uc) != 0)
        return 0;
    while (n < max && unw_step(cur) > 0) {
        unw_word_t ip, sp = 0;
        if (unw_get_reg(cur, UNW_REG_IP, &ip) != 0 || ip == 0 || (sps && unw_get_reg(cur, UNW_REG_SP, &sp) != 0))
            break;
        if (sps)
            sps[n] = (uintptr_t)sp;
        buf[n++] = (void *)ip;
    }
    return n;
}

/* Captures remembered by the site that asked (stack_capture_at): a thread that blocks again and again at the
 * same place pays a few loads instead of a walk. A capture is reused when the asking frame is where it was
 * (its address and return address, which fix the shim's frames above the program's) and its proof holds
 * (stack.h). Only a thread that keeps capturing gets the few it remembers (as the fast walker). */
#define SITES 4
struct site { uintptr_t ra, fp; stack_id st; struct stack_proof pf; };   /* pf.n 0: seen once, not proved */
static __thread __attribute__((tls_model("initial-exec"))) struct site *sites;
static __thread __attribute__((tls_model("initial-exec"))) unsigned site_next;
static __thread __attribute__((tls_model("initial-exec"))) struct stack_proof_budget site_budget;
/* The thread's own stack (stack_thread_bounds; 0, 0: not known, nothing remembered): only a capture made on it
 * whose words all lie on it is remembered, so a later check reads mapped memory whatever stack the thread is on
 * by then (a coroutine's, freed and remade elsewhere). */
static __thread __attribute__((tls_model("initial-exec"))) uintptr_t site_lo, site_hi;

int stack_proof_fill(struct stack_proof *pf, void *const *pcs, const uintptr_t *sps, int n, uintptr_t lo,
                     uintptr_t hi, uintptr_t max_gap)
{
    pf->n = 0;
    for (int i = 0; i < n && i < LC_MAX_FRAMES; i++) {
        uintptr_t slot = sps[i] - 8, prev = pf->n ? pf->slot[pf->n - 1] : slot;
        if (sps[i] < 8 || slot < lo || slot > hi - 8 || slot < prev || (max_gap && slot - prev > max_gap) ||
            *(const uintptr_t *)slot != (uintptr_t)pcs[i])
            break;
        pf->slot[pf->n] = slot;
        pf->word[pf->n++] = (uintptr_t)pcs[i];
    }
    return pf->n;
}

/* What a public capture asks of the walk. */
enum walk_kind { W_RAW, W_SKIP, W_BELOW };
struct walk_req {
    enum walk_kind kind;
    int max, skip;                      /* W_RAW: out's size; W_SKIP: frames of the caller's to drop */
    uintptr_t lo, hi;                   /* W_BELOW: the code whose innermost frames are dropped */
    void **out;                         /* W_RAW */
    struct site *site;                  /* W_SKIP: remember the capture here (NULL: not) */
    uintptr_t *out_sps;                 /* W_RAW: each frame's stack pointer too (NULL: not wanted) */
};

/* On the capture stack. The walk's first two frames are this function's and lc_on_stack's; the third is the
 * public function that asked (stack_walk, stack_capture, stack_capture_below), as stack_walk promises. */
__attribute__((noinline)) static long walk_run(void *p)
{
    const struct walk_req *r = p;
    void *buf[LC_MAX_FRAMES + 48];
    uintptr_t sps[LC_MAX_FRAMES + 48];
    int want = r->kind == W_RAW ? r->max : r->kind == W_SKIP ? max_depth + r->skip + 1 : max_depth + 16;
    want += 2;
    if (want > (int)(sizeof buf / sizeof buf[0]))
        want = (int)(sizeof buf / sizeof buf[0]);
    int n = r->site || r->out_sps ? walk_slow(buf, sps, want)
          : captures++ < FAST_AFTER ? walk_slow(buf, NULL, want) : unw_backtrace(buf, want);
    void **pcs = buf + 2;
    n = n > 2 ? n - 2 : 0;
    int drop = 0;
    switch (r->kind) {
    case W_RAW:
        memcpy(r->out, pcs, (size_t)n * sizeof *pcs);
        if (r->out_sps)
            memcpy(r->out_sps, sps + 2, (size_t)n * sizeof *sps);
        return n;
    case W_SKIP:
        drop = r->skip + 1;             /* pcs[0] is stack_capture itself */
        break;
    case W_BELOW:
        while (drop < n && (uintptr_t)pcs[drop] - r->lo < r->hi - r->lo)
            drop++;
        break;
    }
    if (n - drop > max_depth)
        n = drop + max_depth;
    stack_id st = n > drop ? stack_intern((const uintptr_t *)(pcs + drop), n - drop) : 0;
    if (r->site) {
        /* remembered only when every kept frame is proved (not one past a signal frame, or off the stack) */
        struct stack_proof *pf = &r->site->pf;
        int all = st && stack_proof_fill(pf, pcs + drop, sps + 2 + drop, n - drop, site_lo, site_hi, 0) == n - drop;
        if (!all)
            pf->n = 0;
        r->site->st = all ? st : 0;
    }
    return st;
}

/* One walk at a time: libunwind can deadlock against the loader lock when two threads unwind at once (its
 * cache lock held across dl_iterate_phdr in one, taken inside the dl_iterate_phdr callback in the other).
 * Cancellation is off meanwhile: libunwind makes calls that are cancellation points (a pending cancellation
 * would end the thread there, in a lock call that is none, with the lock held). Inlined into each public
 * function, so that the walk's third frame is that function's. */
static inline __attribute__((always_inline)) long walk(struct walk_req *r)
{
    int cs;
    pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &cs);
    lc_lock(&unwind_lock);
    long v = lc_on_stack(walk_run, r, capture_stack + CAPTURE_STACK);
    lc_unlock(&unwind_lock);
    pthread_setcancelstate(cs, NULL);
    return v;
}

__attribute__((noinline)) int stack_walk(void **buf, int max)
{
    struct walk_req r = { W_RAW, max, 0, 0, 0, buf, NULL, NULL };
    return max > 0 ? (int)walk(&r) : 0;
}

__attribute__((noinline)) int stack_walk_sp(void **buf, uintptr_t *sps, int max)
{
    struct walk_req r = { W_RAW, max, 0, 0, 0, buf, NULL, sps };
    return max > 0 ? (int)walk(&r) : 0;
}

__attribute__((noinline)) stack_id stack_capture(int skip)
{
    struct walk_req r = { W_SKIP, 0, skip < 0 ? 0 : skip, 0, 0, NULL, NULL, NULL };
    return (stack_id)walk(&r);
}

__attribute__((noinline)) stack_id stack_capture_at(int skip, uintptr_t ra, uintptr_t fp)
{
    int own = fp - site_lo < site_hi - site_lo;   /* on the thread's own stack (known): else just walk */
    struct site *c = own ? sites : NULL, *same = NULL;   /* same: this site seen once, not proved yet */
    for (int i = 0; c && i < SITES; i++) {
        struct site *e = &c[i];
        if (e->ra != ra || e->fp != fp)
            continue;
        if (e->pf.n == 0) {
            same = e;
        } else if (e->st && stack_proof_holds(&e->pf)) {
            site_budget.hits++;
            return e->st;
        }
    }
    if (own && !sites && captures >= FAST_AFTER && !site_budget.off)
        c = sites = lc_calloc(SITES, sizeof *sites);
    struct site *e = NULL;
    if (c && !site_budget.off) {
        /* Only a site asked from again is proved, by the slower walk that reads where its frames lie (one that
         * asks once walks fast and is noted as seen; so is one whose callers differ from each remembered at its
         * place, say a read and a write wrapper alike in frame size). */
        if (same) {
            e = same;
            stack_proof_afford(&site_budget);
        } else {
            struct site *fresh = &c[site_next++ % SITES];
            fresh->ra = ra;
            fresh->fp = fp;
            fresh->st = 0;
            fresh->pf.n = 0;
        }
    }
    struct walk_req r = { W_SKIP, 0, skip < 0 ? 0 : skip, 0, 0, NULL, e, NULL };
    return (stack_id)walk(&r);
}

void stack_thread_bounds(uintptr_t lo, uintptr_t hi)
{
    site_lo = lo < hi ? lo : 0;
    site_hi = lo < hi ? hi : 0;
}

void stack_thread_end(void)
{
    lc_free(sites);
    sites = NULL;
    site_budget.off = 1;                /* a destructor that blocks later walks */
}

__attribute__((noinline)) stack_id stack_capture_below(uintptr_t lo, uintptr_t hi)
{
    struct walk_req r = { W_BELOW, 0, 0, lo, hi, NULL, NULL, NULL };
    return (stack_id)walk(&r);
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
