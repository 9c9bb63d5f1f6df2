/* Goroutines into runtime/'s task table, walk after walk (the preload) or in one walk (attach). What the
 * records of the hooks add is read when the process has them (gc_rec, mapped by gc_family.c at start-up);
 * from outside the process there are none, and what the runtime itself keeps stands alone: the go
 * statement's pc (g.gopc), the channel's own fields. */
#include "gc_tasks.h"
#include "../runtime/chan.h"
#include "../runtime/finding.h"
#include "../runtime/lock.h"
#include "../runtime/snapshot.h"
#include "../runtime/task.h"
#include <stdlib.h>
#include <string.h>

struct gc_records *gc_rec;

/* ---- the records of the hooks -------------------------------------------------------------------------------- */

int gc_depot_get(gc_sid id, struct gc_stack *out)
{
    if (!gc_rec || id == 0 || id > GC_DEPOT)
        return 0;
    const struct gc_depot_entry *e = &gc_rec->depot[id - 1];
    if (!__atomic_load_n(&e->ready, __ATOMIC_ACQUIRE))
        return 0;
    *out = e->st;
    return out->n <= GC_PCS;
}

/* runtime/'s id of a depot stack (interned once: the depot never changes an entry once ready). */
static stack_id depot_ids[GC_DEPOT];
stack_id gc_tasks_stack(gc_sid id)
{
    struct gc_stack st;
    if (!id || id > GC_DEPOT)
        return 0;
    if (!depot_ids[id - 1] && gc_depot_get(id, &st) && st.n)
        depot_ids[id - 1] = stack_intern(st.pc, (int)st.n);
    return depot_ids[id - 1];
}

/* A copy of goid's spawn record, when it still has one. */
static int spawn_of(uint64_t goid, struct gc_spawn *out)
{
    if (!gc_rec || !goid)
        return 0;
    const struct gc_spawn *s = &gc_rec->spawn[goid & (GC_SPAWNS - 1)];
    if (__atomic_load_n(&s->goid, __ATOMIC_ACQUIRE) != goid)
        return 0;
    *out = *s;
    return __atomic_load_n(&s->goid, __ATOMIC_ACQUIRE) == goid;
}

int gc_chanrec_get(uint64_t chan, struct gc_chanrec *out)
{
    if (!gc_rec)
        return 0;
    unsigned base = gc_chan_group(chan);
    for (unsigned i = base; i < base + GC_CHAN_PROBES; i++) {
        if (__atomic_load_n(&gc_rec->chan_key[i], __ATOMIC_ACQUIRE) != chan)
            continue;
        const struct gc_chanrec *e = &gc_rec->chan[i];
        for (int tries = 0; tries < 100; tries++) {
            uint32_t before = __atomic_load_n(&e->seq, __ATOMIC_ACQUIRE);
            *out = *e;
            if (!(before & 1) && __atomic_load_n(&e->seq, __ATOMIC_ACQUIRE) == before && out->key == chan)
                return 1;
        }
        return 0;
    }
    return 0;
}

/* ---- one goroutine --------------------------------------------------------------------------------------------- */

static enum lc_obj_kind obj_kind(enum gc_obj k)
{
    switch (k) {
    case GO_CHAN: return LC_OBJ_CHAN;
    case GO_MUTEX: return LC_OBJ_MUTEX;
    case GO_RWMUTEX: return LC_OBJ_RWLOCK;
    case GO_WAITGROUP: return LC_OBJ_WAITGROUP;
    case GO_SEMA: case GO_COND: return LC_OBJ_OTHER;
    default: return LC_OBJ_NONE;
    }
}

/* "created by" and its creators: the spawn records of the goroutine and of each creator in turn, else the go
 * statement's pc the runtime keeps (g.gopc). */
static void creation_chain(struct lc_task *t, const struct gc_goroutine *o)
{
    struct gc_spawn sp;
    uint64_t goid = o->goid;
    for (int i = 0; i < LC_CHAIN; i++) {
        if (!spawn_of(goid, &sp) || !sp.at) {
            if (i == 0 && o->gopc) {
                uintptr_t gopc = (uintptr_t)o->gopc;
                t->anc_stack[0] = stack_intern(&gopc, 1);
                t->anc_id[0] = o->parent_goid;
            }
            return;
        }
        t->anc_stack[i] = gc_tasks_stack(sp.at);
        t->anc_id[i] = sp.parent;
        goid = sp.parent;
    }
}

void gc_tasks_chan(struct gc_tasks *c, uint64_t key, const struct gc_chanrec *r)
{
    struct lc_chan ch;
    const struct gc_bin *b = c->bin;
    uint32_t cap = (uint32_t)gc_read_uint(c->mem, key + (uint64_t)b->off[GF_hchan_dataqsiz], 8, 0);
    uint32_t esz = (uint32_t)gc_read_uint(c->mem, key + (uint64_t)b->off[GF_hchan_elemsize], b->width[GF_hchan_elemsize], 0);
    int closed = gc_read_uint(c->mem, key + (uint64_t)b->off[GF_hchan_closed], 4, 0) != 0;
    if (!chan_get(key, &ch) || ch.cap != cap || (r && ch.made_by != r->made_by)) {
        chan_new(LC_CH_GO, key, esz, cap, r ? gc_tasks_stack(r->made_at) : 0, r ? r->made_by : 0);
        ch.is_closed = 0;
    }
    if (closed && !ch.is_closed)
        chan_mark_closed(key, r ? gc_tasks_stack(r->closed_at) : 0, r ? r->closed_by : 0, NULL);
}

/* The grace period's walks (all of them, since the last filing walk) file the first this many waiting
 * goroutines that have no record yet as any walk would: a program's few, which the grace then treats as every
 * task (freshly blocked ones given time to show they were on their way out). The rest, 100,000 goroutines
 * made just before the exit, are left for the report's walk, which hands them to the snapshot without filing
 * them. A wait on a nil channel is always filed: telling it from one caught on its way takes readings of one
 * record. */
#define GC_COUNT_FILED 4096

struct sync_ctx {
    struct gc_tasks *tasks;
    enum gc_sync_mode mode;
    int stash;                            /* REPORT: the stash has room */
    uint64_t now, exiting_g;
    uint64_t *seen;                       /* the g of every goroutine read */
    size_t nseen, cap;
    int lost;                             /* one could not be noted in seen */
    uint64_t last_chan;                   /* the channel whose record this walk brought up to date last */
    unsigned unsettled;                   /* user goroutines still running (for the grace period) */
};

/* When it began to wait, seen in one walk: Go's own g.waitsince (set by the collector for goroutines it finds
 * waiting), 0 when unknown. */
static uint64_t one_walk_since(const struct gc_goroutine *o, uint64_t now)
{
    return o->waitsince > 0 && (uint64_t)o->waitsince <= now ? (uint64_t)o->waitsince : 0;
}

static void sync_one(const struct gc_goroutine *o, void *arg)
{
    struct sync_ctx *c = arg;
    struct gc_tasks *gt = c->tasks;
    struct lc_task *t = task_find(o->g), fresh;
    if (t && t->id != o->goid) {
        task_remove(t);                   /* the g record now runs another goroutine */
        t = NULL;
    }
    int made = !t;
    if (!t) {
        int waits = o->state == GS_WAITING && o->what;
        if (c->mode == GC_SYNC_COUNT && waits && !o->chan_nil && gt->count_filed >= GC_COUNT_FILED)
            return;                       /* left for the report's walk */
        gt->count_filed += c->mode == GC_SYNC_COUNT && waits;
        if (c->mode == GC_SYNC_REPORT && c->stash) {
            memset(&fresh, 0, sizeof fresh);
            t = &fresh;                   /* for the snapshot only: no record (100,000 goroutines made just
                                           * before the exit cost the exit no table of their own) */
            t->kind = LC_GOROUTINE;
            t->key = o->g;
            t->start_fn = (void *)(uintptr_t)o->startpc;
            t->id = o->goid;
        } else if (!(t = task_new_id(LC_GOROUTINE, o->g, o->goid, NULL, (void *)(uintptr_t)o->startpc, 0))) {
            return;                       /* (the goid as its id: no thread number taken) */
        }
        t->started_ns = gt->last_file_ns;     /* no walk that files every goroutine saw it */
        if (o->startpc != gt->reader->rt_main)
            creation_chain(t, o);             /* the main goroutine's is the runtime's start-up */
        if (o->system)
            task_set_flag(t, LC_TF_INTERNAL, 1);
        if (o->startpc == gt->reader->rt_main)
            task_set_flag(t, LC_TF_MAIN, 1);
    }
    if (t == &fresh) {
        /* nothing to note in seen: the table has no record of it */
    } else if (c->nseen == c->cap) {      /* more goroutines than records: the table grows by this walk */
        uint64_t *more = realloc(c->seen, 2 * c->cap * sizeof *more);
        if (more)
            c->seen = more, c->cap *= 2;
    }
    if (c->nseen < c->cap)
        c->seen[c->nseen++] = o->g;
    else
        c->lost = 1;                      /* then no record is taken for gone: this one would be */
    task_set_flag(t, LC_TF_EXITING, o->g == c->exiting_g);
    t->tid = o->tid;
    int ran = t->runs != o->runs;         /* it parked (or left running otherwise) since the last reading */
    t->runs = o->runs;
    stack_id site = o->npcs > o->top ? stack_intern(o->pcs + o->top, o->npcs - o->top) : 0;
    if (o->state == GS_WAITING && o->what) {
        enum lc_obj_kind ok = obj_kind(o->obj_kind);
        if (o->chan_nil && !(t->flags & LC_TF_NILCHAN) && !gt->one_walk)
            ok = LC_OBJ_NONE;                 /* "on nil chan" once it is known to be (below); a stopped
                                               * process's one reading is of one instant */
        const void *obj = (const void *)(uintptr_t)o->obj;
        if (t->state != LC_BLOCKED || t->what != o->what || t->site != site || t->obj != obj || ran) {
            task_block(t, o->what, ok, obj, site);
            /* it blocked after the last walk saw it otherwise (a record made now: after it began) */
            t->since_ns = !made && gt->last_walk_ns > t->started_ns ? gt->last_walk_ns : t->started_ns;
            if (gt->one_walk) {
                t->since_ns = one_walk_since(o, c->now);
                task_set_flag(t, LC_TF_AGE_UNKNOWN, t->since_ns == 0);
            }
        } else if (gt->one_walk && (t->flags & LC_TF_AGE_UNKNOWN) && gt->prev_walk_ns) {
            t->since_ns = gt->prev_walk_ns;   /* the walk before saw it in this same wait */
            task_set_flag(t, LC_TF_AGE_UNKNOWN, 0);
        } else if (o->chan_nil && !(t->flags & LC_TF_NILCHAN) && gc_nil_wait_confirmed(gt->reader, o)) {
            /* a nil channel blocks forever: said once it is seen twice in the same wait and then again, read
             * afresh (a select caught between enqueueing on its channels and parking, or just woken, must not
             * be taken for one on nil channels) */
            task_set_flag(t, LC_TF_NILCHAN, 1);
            t->obj_kind = LC_OBJ_CHAN;
            finding_add(LC_F_NIL_CHAN, NULL, site, t->id, 0, 0,
                        o->wclass == GW_RECV_NIL ? "receive" : o->wclass == GW_SEND_NIL ? "send" : "select");
        }
        if (ok == LC_OBJ_CHAN && o->obj && o->obj != c->last_chan) {
            struct gc_chanrec r;         /* once per walk for goroutines side by side on one channel */
            gc_tasks_chan(gt, o->obj, gc_chanrec_get(o->obj, &r) ? &r : NULL);
            c->last_chan = o->obj;
        }
    } else {
        if (t->state == LC_BLOCKED)
            task_unblock(t);
        t->site = site;
        if (gt->one_walk)
            task_set_flag(t, LC_TF_AGE_UNKNOWN, 1);
        if (!o->system && o->g != c->exiting_g && !(t->flags & LC_TF_MAIN))
            c->unsettled++;
    }
    if (t == &fresh)
        snapshot_stash(t);
}

/* ---- the walk -------------------------------------------------------------------------------------------------- */

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

struct stale_ctx { const struct sync_ctx *s; struct lc_task **out; size_t n, cap; };

static void find_stale(struct lc_task *t, void *arg)
{
    struct stale_ctx *c = arg;
    if (t->kind != LC_GOROUTINE || c->n >= c->cap)
        return;
    if (!bsearch(&t->key, c->s->seen, c->s->nseen, sizeof t->key, cmp_u64))
        c->out[c->n++] = t;
}

int gc_tasks_sync(struct gc_tasks *gt, uint64_t exiting_g, enum gc_sync_mode mode)
{
    struct sync_ctx c = { .tasks = gt, .mode = mode, .now = lc_now_ns(), .exiting_g = exiting_g };
    if (mode == GC_SYNC_REPORT)
        c.stash = snapshot_stash_begin(gc_walk_count(gt->reader) + 64) == 0;
    else
        snapshot_stash_drop();            /* goroutines stashed before may have records now */
    c.cap = task_count() + 4096;
    c.seen = malloc(c.cap * sizeof *c.seen);
    int n = c.seen ? gc_walk(gt->reader, sync_one, &c) : -1;
    if (n >= 0)
        chan_notify_replace(gt->reader->notify, gt->reader->nnotify);
    if (n >= 0 && !c.lost) {
        qsort(c.seen, c.nseen, sizeof *c.seen, cmp_u64);
        struct stale_ctx st = { &c, NULL, 0, task_count() };
        st.out = malloc((st.cap + 1) * sizeof *st.out);
        if (st.out) {
            task_foreach(find_stale, &st);
            for (size_t i = 0; i < st.n; i++)
                task_remove(st.out[i]);
            free(st.out);
        }
    }
    free(c.seen);
    if (n >= 0)
        gt->last_walk_ns = c.now;
    if (n >= 0 && mode == GC_SYNC_FILE) {
        gt->last_file_ns = c.now;
        gt->count_filed = 0;
    }
    if (n < 0 && mode == GC_SYNC_REPORT)
        snapshot_stash_drop();            /* a walk given up: the report has the table only */
    return n < 0 ? -1 : (int)c.unsettled;
}
