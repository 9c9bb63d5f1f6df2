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

static struct graph *graph;
static lc_lock_t graph_lock = LC_LOCK_INIT;
static struct edge tomb;                /* a removed edge's slot: probes go on past it */

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
    uint32_t n = __atomic_load_n(&ls->n, __ATOMIC_ACQUIRE);
    if (!n || n > lockset_cap(ls))
        return;                       /* the callers checked; only a lockset's own task changes its count */
    const struct lc_held *top = &ls->held[n - 1];
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
    lc_unlock(&graph_lock);
}
