/* Locksets and the lock-order graph. The graph lives in fixed, lazily mapped tables: an edge table read
 * without a lock (open addressing; slots only ever change from empty to an edge, or between an edge and the
 * tombstone), and a vertex table (lock -> its out and in edges) used only under the graph lock. Nothing is
 * allocated with the graph lock held, so it is a leaf lock. */
#include "lockset.h"
#include "alloc.h"
#include "finding.h"
#include "lock.h"
#include "slab.h"
#include <stdio.h>
#include <string.h>

#define REG_MAX 1024                    /* threads whose locksets a report can see */
#define EDGE_SLOTS (1u << 16)
#define EDGE_MAX (EDGE_SLOTS / 2)       /* live edges: keeps probe chains short */
#define VTX_SLOTS (1u << 15)
#define VTX_MAX (VTX_SLOTS * 3 / 4)
#define DFS_MAX 4096

struct edge {
    const void *from, *to;
    stack_id site;                      /* to taken while holding from */
    int read_read;                      /* to read-locked while from was read-locked */
    uint64_t task;
    struct edge *next_out, *next_in;    /* lists of the from and to vertices (graph lock) */
};

struct vtx {
    const void *lock;
    struct edge *out, *in;
    uint32_t mark;
};

struct graph {
    struct edge *slots[EDGE_SLOTS];
    struct vtx vtx[VTX_SLOTS];
    struct { struct vtx *v; struct edge *first; } dfs[DFS_MAX];
    struct edge *free_edges;
    uint32_t nedges, nused, nvtx, mark;   /* nused: slots ever filled (edges and tombstones) */
};

static struct lc_lockset *registry[REG_MAX];
static struct graph *graph;
static lc_lock_t graph_lock = LC_LOCK_INIT;
static struct edge tomb;                /* a removed edge's slot: probes go on past it */

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
        if (ls->held[i].lock == lock && !LC_HELD_IS_WAITING(&ls->held[i])) {
            memmove(&ls->held[i], &ls->held[i + 1], (n - i - 1) * sizeof ls->held[0]);
            if (ls->stamp)
                memmove(&ls->stamp[i], &ls->stamp[i + 1], (n - i - 1) * sizeof ls->stamp[0]);
            __atomic_store_n(&ls->n, n - 1, __ATOMIC_RELEASE);
            return 1;
        }
    }
    return 0;
}

/* ---- the edge table (lock-free reads) ------------------------------------------------------------------ */

static uint32_t hash2(const void *a, const void *b)
{
    uint64_t h = (uintptr_t)a * 0x9e3779b97f4a7c15ull ^ ((uintptr_t)b + 0x632be59bd9b4e019ull) * 0xc2b2ae3d27d4eb4full;
    return (uint32_t)(h ^ (h >> 29));
}

int lockset_edge_known(const void *from, const void *to)
{
    struct graph *g = __atomic_load_n(&graph, __ATOMIC_ACQUIRE);
    if (!g)
        return 0;
    for (uint32_t i = hash2(from, to) & (EDGE_SLOTS - 1);; i = (i + 1) & (EDGE_SLOTS - 1)) {
        struct edge *e = __atomic_load_n(&g->slots[i], __ATOMIC_ACQUIRE);
        if (!e)
            return 0;
        if (e->from == from && e->to == to)
            return 1;
    }
}

/* The slot holding from->to, or where to put it (the first tombstone on the way, else the empty slot). */
static struct edge **edge_slot(struct graph *g, const void *from, const void *to, int *found)
{
    struct edge **spot = NULL;
    for (uint32_t i = hash2(from, to) & (EDGE_SLOTS - 1);; i = (i + 1) & (EDGE_SLOTS - 1)) {
        struct edge *e = g->slots[i];
        if (!e) {
            *found = 0;
            return spot ? spot : &g->slots[i];
        }
        if (e == &tomb && !spot)
            spot = &g->slots[i];
        if (e->from == from && e->to == to) {
            *found = 1;
            return &g->slots[i];
        }
    }
}

/* ---- vertices (graph lock) ----------------------------------------------------------------------------- */

static struct vtx *vertex(struct graph *g, const void *lock, int create)
{
    for (uint32_t i = hash2(lock, NULL) & (VTX_SLOTS - 1);; i = (i + 1) & (VTX_SLOTS - 1)) {
        struct vtx *v = &g->vtx[i];
        if (v->lock == lock)
            return v;
        if (!v->lock) {
            if (!create || g->nvtx >= VTX_MAX)
                return NULL;
            g->nvtx++;
            v->lock = lock;             /* vertices stay: a destroyed lock's address is often reused */
            return v;
        }
    }
}

/* Depth-first from `start` looking for `target`; returns the first edge out of start on a path, or NULL. */
static struct edge *find_path(struct graph *g, struct vtx *start, const void *target, int *len)
{
    uint32_t mark = ++g->mark;
    int sp = 0;
    start->mark = mark;
    g->dfs[sp].v = start;
    g->dfs[sp++].first = NULL;
    while (sp > 0) {
        struct vtx *v = g->dfs[--sp].v;
        struct edge *first = g->dfs[sp].first;
        for (struct edge *e = v->out; e; e = e->next_out) {
            struct edge *f = first ? first : e;
            if (e->to == target) {
                *len = 0;
                return f;
            }
            struct vtx *w = vertex(g, e->to, 0);
            if (w && w->mark != mark && sp < DFS_MAX) {
                w->mark = mark;
                g->dfs[sp].v = w;
                g->dfs[sp++].first = f;
            }
        }
    }
    return NULL;
}

static struct graph *graph_get(void)
{
    struct graph *g = __atomic_load_n(&graph, __ATOMIC_ACQUIRE);
    if (g)
        return g;
    struct graph *n = lc_calloc(1, sizeof *n);
    if (n && !__atomic_compare_exchange_n(&graph, &g, n, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
        lc_free(n);
        return g;
    }
    return n;
}

static void add_edge(struct graph *g, struct lc_lockset *ls, const void *lock, enum lc_lock_mode mode, stack_id site)
{
    const struct lc_held *top = &ls->held[ls->n - 1];
    const void *from = top->lock;
    struct edge *e = lc_calloc(1, sizeof *e), *back = NULL;
    if (!e)
        return;
    e->from = from;
    e->to = lock;
    e->site = site;
    e->read_read = LC_HELD_MODE(top) == LC_LK_READ && mode == LC_LK_READ;
    e->task = ls->task_id;
    int found, len = 0, added = 0;
    lc_lock(&graph_lock);
    struct edge **slot = edge_slot(g, from, lock, &found);
    struct vtx *vf = found ? NULL : vertex(g, from, 1), *vt = vf ? vertex(g, lock, 1) : NULL;
    int fresh = !found && !*slot;
    if (vf && vt && g->nedges < EDGE_MAX && (!fresh || g->nused < EDGE_SLOTS * 3 / 4)) {
        g->nused += fresh;
        back = find_path(g, vt, from, &len);   /* lock ... -> from: with from -> lock, a cycle */
        e->next_out = vf->out;
        vf->out = e;
        e->next_in = vt->in;
        vt->in = e;
        g->nedges++;
        __atomic_store_n(slot, e, __ATOMIC_RELEASE);
        added = 1;
    }
    struct edge b = back ? *back : (struct edge){ 0 };
    lc_unlock(&graph_lock);
    if (!added) {
        lc_free(e);
        return;
    }
    if (back && !(e->read_read && b.read_read)) {   /* readers alone never wait for each other */
        char note[64];
        snprintf(note, sizeof note, "and 0x%lx%s", (unsigned long)(uintptr_t)lock,
                 ls->tid == LC_LS_GOROUTINE ? ", goroutines" : "");
        finding_add(LC_F_LOCK_ORDER, from, e->site, e->task, b.site, b.task, note);
    }
}

void lockset_new_edge(struct lc_lockset *ls, const void *lock, enum lc_lock_mode mode)
{
    struct graph *g = graph_get();
    if (!g || __atomic_load_n(&g->nedges, __ATOMIC_RELAXED) >= EDGE_MAX || !ls->n || ls->n > lockset_cap(ls))
        return;
    add_edge(g, ls, lock, mode, stack_capture(2));
}

void lockset_new_edge_site(struct lc_lockset *ls, const void *lock, enum lc_lock_mode mode, stack_id (*site)(void))
{
    struct graph *g = graph_get();
    if (!g || __atomic_load_n(&g->nedges, __ATOMIC_RELAXED) >= EDGE_MAX || !ls->n || ls->n > lockset_cap(ls))
        return;
    add_edge(g, ls, lock, mode, site());
}

/* Unlink e from the list at *head (next_out or next_in chain). */
static void unlink_edge(struct edge **head, struct edge *e, int in)
{
    for (struct edge **p = head; *p; p = in ? &(*p)->next_in : &(*p)->next_out)
        if (*p == e) {
            *p = in ? e->next_in : e->next_out;
            return;
        }
}

static void drop_edge(struct graph *g, struct edge *e)
{
    int found;
    struct edge **slot = edge_slot(g, e->from, e->to, &found);
    if (found)
        __atomic_store_n(slot, &tomb, __ATOMIC_RELEASE);
    g->nedges--;
    /* Not freed: a lock-free reader may still look at it (it only reads from/to, and a stale match only
     * means an edge is not recorded again). */
}

void lockset_forget(const void *lock)
{
    struct graph *g = __atomic_load_n(&graph, __ATOMIC_ACQUIRE);
    if (!g)
        return;
    lc_lock(&graph_lock);
    struct vtx *v = vertex(g, lock, 0);
    if (v) {
        for (struct edge *e = v->out; e; e = e->next_out) {
            struct vtx *w = vertex(g, e->to, 0);
            if (w && w != v)
                unlink_edge(&w->in, e, 1);
            drop_edge(g, e);
        }
        for (struct edge *e = v->in; e; e = e->next_in) {
            struct vtx *w = vertex(g, e->from, 0);
            if (w && w != v)
                unlink_edge(&w->out, e, 0);
            if (e->from != lock)
                drop_edge(g, e);
        }
        v->out = v->in = NULL;
    }
    lc_unlock(&graph_lock);
    /* every thread's memory of a known nesting with it: the next lock at that address is a new lock (best
     * effort, written from here: a stale entry only means a nesting is looked up again) */
    for (int i = 0; v && i < REG_MAX; i++) {
        struct lc_lockset *ls = __atomic_load_n(&registry[i], __ATOMIC_ACQUIRE);
        struct lc_seen *seen = ls ? __atomic_load_n(&ls->seen, __ATOMIC_ACQUIRE) : NULL;
        for (int k = 0; seen && k < LC_HELD_MAX; k++)
            if (seen[k].from == lock || seen[k].to == lock)
                seen[k].from = seen[k].to = NULL;
    }
}

/* ---- queries --------------------------------------------------------------------------------------------- */

static int find_in(const struct lc_lockset *ls, const void *lock, uintptr_t *pc)
{
    uint32_t n = __atomic_load_n(&ls->n, __ATOMIC_ACQUIRE), cap = lockset_cap(ls);
    const struct lc_held *held = __atomic_load_n(&ls->held, __ATOMIC_ACQUIRE);
    for (uint32_t i = 0; i < n && i < cap; i++)
        if (held[i].lock == lock && !LC_HELD_IS_WAITING(&held[i])) {
            *pc = LC_HELD_PC(&held[i]);
            return 1;
        }
    return 0;
}

int lockset_holder(const void *lock, uint64_t *task_id, uintptr_t *pc)
{
    for (int i = 0; i < REG_MAX; i++) {
        struct lc_lockset *ls = __atomic_load_n(&registry[i], __ATOMIC_ACQUIRE);
        if (ls && find_in(ls, lock, pc)) {
            *task_id = ls->task_id;
            return 1;
        }
    }
    return 0;
}

int lockset_holder_info(const void *lock, struct lc_holder *out)
{
    for (int i = 0; i < REG_MAX; i++) {
        struct lc_lockset *ls = __atomic_load_n(&registry[i], __ATOMIC_ACQUIRE);
        if (!ls)
            continue;
        uint32_t n = __atomic_load_n(&ls->n, __ATOMIC_ACQUIRE), cap = lockset_cap(ls);
        const struct lc_held *held = __atomic_load_n(&ls->held, __ATOMIC_ACQUIRE);
        for (uint32_t k = 0; k < n && k < cap; k++)
            if (held[k].lock == lock && !LC_HELD_IS_WAITING(&held[k])) {
                out->task_id = ls->task_id;
                out->goroutine = ls->tid == LC_LS_GOROUTINE;
                out->pc = LC_HELD_PC(&held[k]);
                out->stamp = ls->stamp ? ls->stamp[k] : 0;
                return 1;
            }
    }
    return 0;
}

void lockset_pop_any(const void *lock, int goroutine)
{
    uintptr_t pc;
    for (int i = 0; i < REG_MAX; i++) {
        struct lc_lockset *ls = __atomic_load_n(&registry[i], __ATOMIC_ACQUIRE);
        if (ls && (ls->tid == LC_LS_GOROUTINE) == !!goroutine && find_in(ls, lock, &pc)) {
            lockset_pop_slow(ls, lock);
            return;
        }
    }
}

int lockset_site(uint64_t task_id, const void *lock, uintptr_t *pc)
{
    for (int i = 0; i < REG_MAX; i++) {
        struct lc_lockset *ls = __atomic_load_n(&registry[i], __ATOMIC_ACQUIRE);
        if (ls && ls->task_id == task_id)
            return find_in(ls, lock, pc);
    }
    return 0;
}

size_t lockset_held_by(uint64_t task_id, struct lc_held *out, size_t max)
{
    for (int i = 0; i < REG_MAX; i++) {
        struct lc_lockset *ls = __atomic_load_n(&registry[i], __ATOMIC_ACQUIRE);
        if (ls && ls->task_id == task_id) {
            uint32_t n = __atomic_load_n(&ls->n, __ATOMIC_ACQUIRE), cap = lockset_cap(ls);
            const struct lc_held *held = __atomic_load_n(&ls->held, __ATOMIC_ACQUIRE);
            size_t got = 0, holds = n > cap ? n - cap : 0;     /* counted, not stored */
            for (uint32_t k = 0; k < n && k < cap; k++) {
                if (LC_HELD_IS_WAITING(&held[k]))
                    continue;
                if (got < max)
                    out[got++] = held[k];
                holds++;
            }
            return holds;
        }
    }
    return 0;
}

stack_id lockset_site_stack(uintptr_t pc)
{
    return pc ? stack_intern(&pc, 1) : 0;
}

size_t lockset_edge_count(void)
{
    struct graph *g = __atomic_load_n(&graph, __ATOMIC_ACQUIRE);
    return g ? g->nedges : 0;
}

void lockset_lock_all(void)
{
    lc_lock(&graph_lock);
    lc_lock(&pool_lock);
}

void lockset_unlock_all(void)
{
    lc_unlock(&pool_lock);
    lc_unlock(&graph_lock);
}

void lockset_reset(void)
{
    lc_lock(&graph_lock);
    if (graph)
        memset(graph, 0, sizeof *graph);
    memset(registry, 0, sizeof registry);
    npool[0] = npool[1] = 0;
    lc_unlock(&graph_lock);
}
