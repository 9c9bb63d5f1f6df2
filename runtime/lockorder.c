/* The lock-order graph (lockset.h's edge functions). It lives in fixed, lazily mapped tables: an edge table read
 * without a lock (open addressing; slots only ever change from empty to an edge, or between an edge and the
 * tombstone), and a vertex table (lock -> its out and in edges) used only under the graph lock. Nothing is
 * allocated with the graph lock held, so it is a leaf lock. */
#include "lockset.h"
#include "lockorder.h"
#include "alloc.h"
#include "finding.h"
#include "lock.h"
#include <stdio.h>
#include <string.h>

#define EDGE_SLOTS (1u << 16)
#define EDGE_MAX (EDGE_SLOTS / 2)       /* live edges: keeps probe chains short */
#define VTX_SLOTS (1u << 15)
#define VTX_MAX (VTX_SLOTS * 3 / 4)
#define DFS_MAX 4096

struct edge {
    const void *from, *to;
    stack_id site;                      /* to taken while holding from */
    int read_read;                      /* to read-locked while from was read-locked */
    int handed;                         /* made under a hold another goroutine ended (lockorder_handed): no order */
    uint64_t task;
    uint64_t born;                      /* lc_now_ns() when task made it */
    uint32_t epoch;                     /* heap: the collection cycle it was last seen in */
    int heap;                           /* a goroutine's, with a lock that may be freed at one end */
    struct edge *next_out, *next_in;    /* lists of the from and to vertices (graph lock) */
};

/* Inversions found by goroutines, confirmed (or dropped) by lockset_order_confirm: the hold of `from` that made
 * the edge from -> to may still turn out to be one its goroutine handed to another to unlock. hold: that
 * goroutine's lockset, the entry's index and stamp (to tell whether it still holds it). */
#define PEND_MAX 32
struct pend { const void *from, *to; const struct lc_lockset *ls; uint32_t idx; uint64_t stamp; };

struct vtx {
    const void *lock;
    struct edge *out, *in;
    uint32_t mark;
};

/* Vertices of locks that may be freed with their memory, by the cache line of their address (open addressing,
 * read without a lock; a slot only ever goes from empty to a vertex), and a one-bit-per-line summary that
 * free() tests first. */
#define LINE_SLOTS (1u << 15)

struct graph {
    struct vtx *lines[LINE_SLOTS];
    uint64_t bloom[LC_BLOOM_WORDS];   /* 65536 bits: 8 KiB */
    struct edge *slots[EDGE_SLOTS];
    struct vtx vtx[VTX_SLOTS];
    struct { struct vtx *v; struct edge *first; } dfs[DFS_MAX];
    struct edge *free_edges;
    uint32_t nedges, nused, nvtx, mark;   /* nused: slots ever filled (edges and tombstones) */
};

static struct graph *graph;
static lc_lock_t graph_lock = LC_LOCK_INIT;
static struct pend pend[PEND_MAX];      /* graph lock */
static uint32_t npend;
static struct edge tomb;                /* a removed edge's slot: probes go on past it */

/* ---- locks a collector may free (lockset_static_range, lockset_gc_cycle) -------------------------------- */

#define STATIC_MAX 64
static struct { uintptr_t lo, hi; } statics[STATIC_MAX];
static volatile uint32_t nstatics;      /* 0: no collector, no lock is ever taken for freed */
static volatile uint32_t gc_epoch;

void lockset_static_range(uintptr_t lo, uintptr_t hi)
{
    uint32_t n = __atomic_load_n(&nstatics, __ATOMIC_ACQUIRE);
    if (n < STATIC_MAX && lo < hi) {
        statics[n].lo = lo, statics[n].hi = hi;
        __atomic_store_n(&nstatics, n + 1, __ATOMIC_RELEASE);
    }
}

void lockset_gc_cycle(void)
{
    __atomic_add_fetch(&gc_epoch, 1, __ATOMIC_RELEASE);
}

static int may_be_freed(const void *lock)
{
    uint32_t n = __atomic_load_n(&nstatics, __ATOMIC_ACQUIRE);
    if (!n)
        return 0;
    for (uint32_t i = 0; i < n; i++)
        if ((uintptr_t)lock >= statics[i].lo && (uintptr_t)lock < statics[i].hi)
            return 0;
    return 1;
}

/* An edge whose heap lock may be another lock by now: not seen since a collection began. */
static int stale(const struct edge *e)
{
    return __atomic_load_n(&e->heap, __ATOMIC_RELAXED) &&
           __atomic_load_n(&e->epoch, __ATOMIC_ACQUIRE) != __atomic_load_n(&gc_epoch, __ATOMIC_ACQUIRE);
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
        if (e->from == from && e->to == to)   /* handed or stale: worth making anew */
            return !__atomic_load_n(&e->handed, __ATOMIC_ACQUIRE) && !stale(e);
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

uint64_t *volatile lc_heap_bloom;
volatile uintptr_t lc_heap_lo = UINTPTR_MAX, lc_heap_hi;   /* only grow (a lock forgotten keeps its span) */
volatile uintptr_t lc_heap_gen;
#define line_hash lockset_line_hash

/* A new vertex whose lock may be freed with its memory: free() is to look for it. */
static void watch(struct graph *g, struct vtx *v)
{
    uintptr_t line = (uintptr_t)v->lock >> 6;
    uint32_t h = line_hash(line);
    for (uint32_t i = h & (LINE_SLOTS - 1), k = 0; k < LINE_SLOTS / 2; i = (i + 1) & (LINE_SLOTS - 1), k++)
        if (!g->lines[i]) {
            uintptr_t at = (uintptr_t)v->lock;
            if (at < lc_heap_lo)
                __atomic_store_n(&lc_heap_lo, at, __ATOMIC_RELEASE);
            if (at > lc_heap_hi)
                __atomic_store_n(&lc_heap_hi, at, __ATOMIC_RELEASE);
            __atomic_store_n(&g->lines[i], v, __ATOMIC_RELEASE);
            __atomic_or_fetch(lockset_bloom_word(g->bloom, h), 1ull << (h & 63), __ATOMIC_RELEASE);
            __atomic_store_n(&lc_heap_bloom, g->bloom, __ATOMIC_RELEASE);
            __atomic_add_fetch(&lc_heap_gen, 1, __ATOMIC_RELEASE);
            return;
        }
}


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
            if (may_be_freed(lock))
                watch(g, v);
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
            if (e->handed || stale(e))
                continue;
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

/* A cycle to report: the edge that closed it and the first edge of the way back. */
struct inversion { const void *from, *to; stack_id site, back_site; uint64_t task, back_task; };

static struct inversion inversion_of(const struct edge *e, const struct edge *b)
{
    return (struct inversion){ e->from, e->to, e->site, b->site, e->task, b->task };
}

static void report_inversion(const struct inversion *v, int goroutines)
{
    char note[64];
    snprintf(note, sizeof note, "and 0x%lx%s", (unsigned long)(uintptr_t)v->to, goroutines ? ", goroutines" : "");
    finding_add(LC_F_LOCK_ORDER, v->from, v->site, v->task, v->back_site, v->back_task, note);
}

/* Keep a goroutine's inversion for lockset_order_confirm (graph lock); 0 when the table is full. */
static int pend_add(const void *from, const void *to, const struct lc_lockset *ls, uint32_t idx)
{
    uint32_t i = 0;
    while (i < npend && !(pend[i].from == from && pend[i].to == to))
        i++;                          /* the same cycle again: its latest hold */
    if (i == PEND_MAX)
        return 0;
    npend += i == npend;
    pend[i] = (struct pend){ from, to, ls, idx, lockset_hold_stamp(ls, idx) };
    return 1;
}

static void add_edge(struct graph *g, struct lc_lockset *ls, const void *lock, enum lc_lock_mode mode, stack_id site)
{
    uint32_t n = __atomic_load_n(&ls->n, __ATOMIC_ACQUIRE);
    if (!n || n > lockset_cap(ls))
        return;                       /* the callers checked; only a lockset's own task changes its count */
    const struct lc_held *top = &ls->held[n - 1];
    const void *from = top->lock;
    int goroutine = ls->tid == LC_LS_GOROUTINE;
    struct edge *e = lc_calloc(1, sizeof *e), *back = NULL, *cur = NULL;
    if (!e)
        return;
    e->from = from;
    e->to = lock;
    e->site = site;
    e->read_read = LC_HELD_MODE(top) == LC_LK_READ && mode == LC_LK_READ;
    e->task = ls->task_id;
    e->born = lc_now_ns();
    e->heap = goroutine && (may_be_freed(from) || may_be_freed(lock));
    e->epoch = __atomic_load_n(&gc_epoch, __ATOMIC_ACQUIRE);
    int found, len = 0, pending = 0;
    lc_lock(&graph_lock);
    struct edge **slot = edge_slot(g, from, lock, &found);
    if (found && ((*slot)->handed || stale(*slot))) {
        /* known only from a hold that was handed on, or from before a collection that may have freed its heap
         * lock: this nesting is the program's own, an edge again */
        cur = *slot;
        cur->site = e->site;
        cur->read_read = e->read_read;
        cur->task = e->task;
        cur->born = e->born;
        __atomic_store_n(&cur->heap, e->heap, __ATOMIC_RELAXED);
        __atomic_store_n(&cur->epoch, e->epoch, __ATOMIC_RELEASE);
        __atomic_store_n(&cur->handed, 0, __ATOMIC_RELEASE);
        struct vtx *vt = vertex(g, lock, 0);
        back = vt ? find_path(g, vt, from, &len) : NULL;
    } else {
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
            cur = e;
        }
    }
    /* A goroutine unlocking `from` for this one marks the entry released, then this hold's edges under the graph
     * lock: if it looked before this edge went in, the release shows here, and the edge is that hold's too. */
    if (cur && goroutine && (__atomic_load_n(&top->pcmode, __ATOMIC_ACQUIRE) & LC_HELD_RELEASED))
        __atomic_store_n(&cur->handed, 1, __ATOMIC_RELEASE);
    struct edge c = cur ? *cur : (struct edge){ 0 }, b = back ? *back : (struct edge){ 0 };
    /* readers alone never wait for each other */
    int inversion = cur && !c.handed && back && !(c.read_read && b.read_read);
    if (inversion && goroutine)
        pending = pend_add(from, lock, ls, n - 1);
    lc_unlock(&graph_lock);
    if (cur != e)
        lc_free(e);
    if (inversion && !pending) {
        struct inversion v = inversion_of(&c, &b);
        report_inversion(&v, goroutine);
    }
}

void lockorder_handed(const void *lock, uint64_t task, uint64_t since)
{
    struct graph *g = __atomic_load_n(&graph, __ATOMIC_ACQUIRE);
    if (!g)
        return;
    lc_lock(&graph_lock);
    struct vtx *v = vertex(g, lock, 0);
    for (struct edge *e = v ? v->out : NULL; e; e = e->next_out)
        if (e->task == task && e->born >= since)
            __atomic_store_n(&e->handed, 1, __ATOMIC_RELEASE);
    lc_unlock(&graph_lock);
}

/* Whether the hold a pending inversion came from is still held by its goroutine (a best-effort read of another
 * goroutine's lockset, as reports make; locksets are pooled, never freed). */
static int pend_held(const struct pend *p)
{
    uint32_t n = __atomic_load_n(&p->ls->n, __ATOMIC_ACQUIRE);
    const struct lc_held *held = __atomic_load_n(&p->ls->held, __ATOMIC_ACQUIRE);
    return p->idx < n && p->idx < lockset_cap(p->ls) && held[p->idx].lock == p->from && !LC_HELD_GONE(&held[p->idx]) &&
           lockset_hold_stamp(p->ls, p->idx) == p->stamp;
}

void lockset_order_confirm(int final)
{
    struct graph *g = __atomic_load_n(&graph, __ATOMIC_ACQUIRE);
    struct inversion out[PEND_MAX];
    uint32_t nout = 0, keep = 0;
    if (!g)
        return;
    lc_lock(&graph_lock);
    for (uint32_t i = 0; i < npend; i++) {
        struct pend *p = &pend[i];
        if (!final && pend_held(p)) {
            pend[keep++] = *p;            /* its hold goes on: handed on or not, not known yet */
            continue;
        }
        int found, len = 0;
        struct edge **slot = edge_slot(g, p->from, p->to, &found), *e = found ? *slot : NULL, *back = NULL;
        struct vtx *vt = e && !e->handed && !stale(e) ? vertex(g, p->to, 0) : NULL;
        if (vt && (back = find_path(g, vt, p->from, &len)) && !(e->read_read && back->read_read))
            out[nout++] = inversion_of(e, back);
    }
    npend = keep;
    lc_unlock(&graph_lock);
    for (uint32_t i = 0; i < nout; i++)
        report_inversion(&out[i], 1);
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

int lockorder_forget(const void *lock)
{
    struct graph *g = __atomic_load_n(&graph, __ATOMIC_ACQUIRE);
    if (!g)
        return 0;
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
    return v != NULL;
}

/* A watched lock at v, if it lies in [lo, hi) and has edges: forgotten (none now: nothing to forget, and one
 * being made for a lock in memory freed now is the program's use after free). */
static void forget_if_in(const struct vtx *v, uintptr_t lo, uintptr_t hi)
{
    uintptr_t at = v ? (uintptr_t)__atomic_load_n(&v->lock, __ATOMIC_RELAXED) : 0;
    if (at && at >= lo && at < hi &&
        (__atomic_load_n(&v->out, __ATOMIC_RELAXED) || __atomic_load_n(&v->in, __ATOMIC_RELAXED)))
        lockset_forget((const void *)at);
}

void lockset_freed(const void *p, size_t n)
{
    struct graph *g = __atomic_load_n(&graph, __ATOMIC_ACQUIRE);
    uintptr_t lo = (uintptr_t)p, hi = lo + n;
    if (!g || !n || hi < lo)
        return;
    if (n >> 6 > LINE_SLOTS) {          /* more lines than locks could be watched: go over the locks */
        for (uint32_t i = 0; i < LINE_SLOTS; i++)
            forget_if_in(__atomic_load_n(&g->lines[i], __ATOMIC_ACQUIRE), lo, hi);
        return;
    }
    for (uintptr_t line = lo >> 6; line <= (hi - 1) >> 6; line++) {
        uint32_t h = line_hash(line);
        if (!lockset_bloom_has(g->bloom, h))
            continue;
        struct vtx *v;
        for (uint32_t i = h & (LINE_SLOTS - 1); (v = __atomic_load_n(&g->lines[i], __ATOMIC_ACQUIRE));
             i = (i + 1) & (LINE_SLOTS - 1))
            forget_if_in(v, lo, hi);
    }
}

size_t lockset_edge_count(void)
{
    struct graph *g = __atomic_load_n(&graph, __ATOMIC_ACQUIRE);
    return g ? g->nedges : 0;
}

void lockorder_lock(void) { lc_lock(&graph_lock); }
void lockorder_unlock(void) { lc_unlock(&graph_lock); }

void lockorder_reset(void)
{
    lc_lock(&graph_lock);
    if (graph)
        memset(graph, 0, sizeof *graph);
    npend = 0;
    lc_heap_bloom = NULL;
    lc_heap_lo = UINTPTR_MAX;
    lc_heap_hi = 0;
    lc_heap_gen++;
    lc_unlock(&graph_lock);
}
