/* Copying the goroutines of a gc-built program into runtime/'s task table (the gc family's task source), with
 * what the hooks recorded: creators, channel history, misuse (gc_records.h); the threads that run goroutines
 * are stopped for a moment for their stacks before a report. */
#include "gc_family.h"
#include "gc_hooks.h"
#include "gc_records.h"
#include "../runtime/chan.h"
#include "../runtime/task.h"
#include "../runtime/finding.h"
#include "../runtime/lock.h"
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static const struct gc_bin *bin;
static struct gc_mem *mem;
static struct gc_reader *reader;
static lc_lock_t walk_lock = LC_LOCK_INIT;     /* one walk at a time (tick, report) */
static uint64_t last_walk_ns;                  /* the last complete walk (before the first: start-up) */

void gc_sync_setup(const struct gc_bin *b, struct gc_mem *m, struct gc_reader *r)
{
    bin = b, mem = m, reader = r;
    last_walk_ns = lc_now_ns();
}

/* ---- into runtime/'s task table ---------------------------------------------------------------------------- */

struct sync_ctx {
    uint64_t now, exiting_g;
    uint64_t *seen;
    size_t nseen, cap;
    unsigned unsettled;                   /* user goroutines still running (for the grace period) */
};

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
static stack_id intern(gc_sid id)
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
        t->anc_stack[i] = intern(sp.at);
        t->anc_id[i] = sp.parent;
        goid = sp.parent;
    }
}

int gc_chanrec_get(uint64_t chan, struct gc_chanrec *out)
{
    if (!gc_rec)
        return 0;
    unsigned base = (unsigned)((chan >> 4) * 0x9e3779b97f4a7c15ull >> 40) & (GC_CHANS - 1) & ~(GC_CHAN_PROBES - 1u);
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

/* A channel in runtime/'s table with what the hooks know of it (r may be NULL). */
static void record_chan(uint64_t key, const struct gc_chanrec *r)
{
    struct lc_chan ch;
    const struct gc_bin *b = bin;
    uint32_t cap = (uint32_t)gc_read_uint(mem, key + (uint64_t)b->off[GF_hchan_dataqsiz], 8, 0);
    uint32_t esz = (uint32_t)gc_read_uint(mem, key + (uint64_t)b->off[GF_hchan_elemsize], b->width[GF_hchan_elemsize], 0);
    int closed = gc_read_uint(mem, key + (uint64_t)b->off[GF_hchan_closed], 4, 0) != 0;
    if (!chan_get(key, &ch) || ch.cap != cap || (r && ch.made_by != r->made_by)) {
        chan_new(LC_CH_GO, key, esz, cap, r ? intern(r->made_at) : 0, r ? r->made_by : 0);
        ch.is_closed = 0;
    }
    if (closed && !ch.is_closed)
        chan_mark_closed(key, r ? intern(r->closed_at) : 0, r ? r->closed_by : 0, NULL);
}

/* The first word of an event's frames that is a closed channel, a WaitGroup gone negative, an unlocked
 * mutex: the object a panic's or fatal error's message is about (read here, where a bad word cannot fault). */
static uint64_t object_of(const struct gc_event *e, int msg)
{
    const struct gc_bin *b = bin;
    int wg = b->off[GF_wg_sema] >= 0 ? GF_wg_sema : GF_wg_state2;
    for (int i = 0; i < GC_WORDS; i++) {
        uint64_t w = e->words[i];
        if (w < 4096 || (w & 7))
            continue;
        if (msg == GM_SEND_CLOSED) {
            struct gc_chanrec r;
            if (gc_chanrec_get(w, &r) && gc_read_uint(mem, w + (uint64_t)b->off[GF_hchan_closed], 4, 0))
                return w;
        } else if (msg == GM_NEG_WAITGROUP) {
            /* the counter is the high half of the 64-bit state word before the semaphore */
            int64_t st = (int64_t)gc_read_uint(mem, w + (uint64_t)b->off[wg] - 8, 8, 0);
            if (b->off[wg] >= 8 && (int32_t)(st >> 32) < 0)
                return w;
        } else if (msg == GM_UNLOCK_UNLOCKED) {
            if ((int32_t)gc_read_uint(mem, w, 4, 0) == -1)
                return w;                 /* the state word after the unlock that went below zero */
        }
    }
    return 0;
}

static void message_finding(const struct gc_event *e, stack_id at)
{
    uint64_t obj = object_of(e, (int)e->msg);
    const void *o = (const void *)(uintptr_t)obj;
    if (e->msg == GM_SEND_CLOSED) {
        struct gc_chanrec r;
        int known = obj && gc_chanrec_get(obj, &r);
        char note[40] = "";
        uint64_t q = obj ? gc_read_uint(mem, obj + (uint64_t)bin->off[GF_hchan_qcount], 8, 0) : 0;
        if (obj && gc_read_uint(mem, obj + (uint64_t)bin->off[GF_hchan_dataqsiz], 8, 0))
            snprintf(note, sizeof note, "%llu buffered", (unsigned long long)q);
        if (obj)
            record_chan(obj, known ? &r : NULL);
        finding_add(LC_F_SEND_CLOSED, o, at, e->goid, known ? intern(r.closed_at) : 0, known ? r.closed_by : 0,
                    note);
    } else if (e->msg == GM_NEG_WAITGROUP) {
        finding_add(LC_F_NEG_WAITGROUP, o, at, e->goid, 0, 0, "counter < 0");
    } else if (e->msg == GM_UNLOCK_UNLOCKED) {
        finding_add(LC_F_UNLOCK_UNLOCKED, o, at, e->goid, 0, 0, NULL);
    }
}

/* Misuse counted by site: each new occurrence since the last drain becomes one more of its finding. */
static uint64_t site_seen[GC_SITES];
static void drain_sites(void)
{
    for (unsigned i = 0; i < GC_SITES; i++) {
        const struct gc_site *s = &gc_rec->site[i];
        uint64_t n = __atomic_load_n(&s->count, __ATOMIC_ACQUIRE);
        if (n == site_seen[i] || !__atomic_load_n(&s->ready, __ATOMIC_ACQUIRE))
            continue;
        stack_id at = intern(s->at);
        if (s->kind == GE_DOUBLE_CLOSE && site_seen[i] == 0) {
            struct gc_chanrec r;
            record_chan(s->chan, gc_chanrec_get(s->chan, &r) ? &r : NULL);
        }
        stack_id first = s->kind == GE_DOUBLE_CLOSE ? intern(s->first) : 0;
        for (; site_seen[i] < n; site_seen[i]++)
            finding_add(s->kind == GE_DOUBLE_CLOSE ? LC_F_DOUBLE_CLOSE : LC_F_CLOSE_NIL,
                        (const void *)(uintptr_t)s->chan, at, s->goid, first, first ? s->first_goid : 0, NULL);
    }
}

/* Misuse the hooks saw since the last drain: findings, with the channel's history. */
static uint64_t event_read;
static void drain_events(void)
{
    if (!gc_rec)
        return;
    uint64_t end = __atomic_load_n(&gc_rec->event_next, __ATOMIC_ACQUIRE);
    if (end - event_read > GC_EVENTS)
        event_read = end - GC_EVENTS;     /* the ring went round: the oldest are gone */
    for (; event_read < end; event_read++) {
        const struct gc_event *e = &gc_rec->event[event_read % GC_EVENTS];
        uint32_t want = (uint32_t)(2 * (event_read / GC_EVENTS) + 2);
        for (int spin = 0; spin < 1000 && __atomic_load_n(&e->seq, __ATOMIC_ACQUIRE) < want; spin++)
            sched_yield();                /* being written right now */
        if (__atomic_load_n(&e->seq, __ATOMIC_ACQUIRE) != want)
            continue;
        struct gc_event ev = *e;
        if (ev.kind == GE_PANIC || ev.kind == GE_FATAL)
            message_finding(&ev, intern(ev.at));
    }
    drain_sites();
}

/* The channel a goroutine waits on. */
static void note_chan(const struct gc_goroutine *o)
{
    struct gc_chanrec r;
    record_chan(o->obj, gc_chanrec_get(o->obj, &r) ? &r : NULL);
}

static void sync_one(const struct gc_goroutine *o, void *arg)
{
    struct sync_ctx *c = arg;
    struct lc_task *t = task_find(o->g);
    if (t && t->id != o->goid) {
        task_remove(t);                   /* the g record now runs another goroutine */
        t = NULL;
    }
    if (!t) {
        t = task_new(LC_GOROUTINE, o->g, NULL, (void *)(uintptr_t)o->startpc, 0);
        if (!t)
            return;
        t->id = o->goid;
        t->started_ns = last_walk_ns;     /* it was not there at the last walk */
        if (o->startpc != reader->rt_main)  /* the main goroutine comes from the runtime's start-up */
            creation_chain(t, o);
        if (o->system)
            task_set_flag(t, LC_TF_INTERNAL, 1);
        if (o->startpc == reader->rt_main)
            task_set_flag(t, LC_TF_MAIN, 1);
    }
    if (c->nseen < c->cap)
        c->seen[c->nseen++] = o->g;
    task_set_flag(t, LC_TF_EXITING, o->g == c->exiting_g);
    t->tid = o->tid;
    stack_id site = o->npcs > o->top ? stack_intern(o->pcs + o->top, o->npcs - o->top) : 0;
    if (o->state == GS_WAITING && o->what) {
        enum lc_obj_kind ok = obj_kind(o->obj_kind);
        const void *obj = (const void *)(uintptr_t)o->obj;
        if (t->state != LC_BLOCKED || t->what != o->what || t->site != site || t->obj != obj) {
            task_block(t, o->what, ok, obj, site);
            /* it blocked after the last walk saw it otherwise: at most that long ago */
            t->since_ns = last_walk_ns && last_walk_ns > t->started_ns ? last_walk_ns : t->started_ns;
        } else if (o->chan_nil && !(t->flags & LC_TF_NILCHAN)) {
            /* a nil channel blocks forever: said once it is seen twice in the same wait (a select caught
             * between enqueueing on its channels and parking must not be taken for one on nil channels) */
            task_set_flag(t, LC_TF_NILCHAN, 1);
            finding_add(LC_F_NIL_CHAN, NULL, site, t->id, 0, 0,
                        o->wclass == GW_RECV_NIL ? "receive" : o->wclass == GW_SEND_NIL ? "send" : "select");
        }
        if (ok == LC_OBJ_CHAN && o->obj)
            note_chan(o);
    } else {
        if (t->state == LC_BLOCKED)
            task_unblock(t);
        t->site = site;
        if (!o->system && o->g != c->exiting_g && !(t->flags & LC_TF_MAIN))
            c->unsettled++;
    }
}

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

/* ---- the stacks of running goroutines ---------------------------------------------------------------------- */

#define SAMPLE_WAIT_NS 50000000u          /* how long sampled threads get to answer */

static void want_sample(pid_t tid, uint64_t curg, void *arg)
{
    struct gc_sampling *s = &gc_sampling;
    (void)arg;
    if (tid > 0 && curg && curg != reader->on_system_stack && s->n < GC_SAMPLE_MAX)
        s->slot[s->n++] = (struct gc_sample){ .tid = tid };
}

static int sample_regs(pid_t tid, uint64_t *pc, uint64_t *sp, void *arg)
{
    (void)arg;
    for (int i = 0; i < gc_sampling.n; i++) {
        struct gc_sample *e = &gc_sampling.slot[i];
        if (e->tid == tid && __atomic_load_n(&e->done, __ATOMIC_ACQUIRE)) {
            *pc = e->pc;
            *sp = e->sp;
            return 0;
        }
    }
    return -1;
}

static struct sigaction sample_prev;

/* Stop every thread that runs a goroutine in a handler of ours, registers saved, until sample_end(): the
 * signal is the last real-time one, whose handler is Go's only while no sampling is going on. */
static int sample_begin(void)
{
    struct gc_sampling *s = &gc_sampling;
    memset(s, 0, sizeof *s);
    if (gc_threads(reader, want_sample, NULL) < 0 || s->n == 0)
        return 0;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = lc_gc_sample_handler;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
    sigfillset(&sa.sa_mask);
    if (sigaction(SIGRTMAX, &sa, &sample_prev) != 0)
        return 0;
    int sent = 0;
    pid_t pid = getpid();
    for (int i = 0; i < s->n; i++)
        if (syscall(SYS_tgkill, pid, s->slot[i].tid, SIGRTMAX) == 0)
            sent++;
    uint64_t end = lc_now_ns() + SAMPLE_WAIT_NS;
    for (int32_t got; (got = __atomic_load_n(&s->arrived, __ATOMIC_ACQUIRE)) < sent && lc_now_ns() < end;) {
        struct timespec ts = { 0, 2000000 };
        syscall(SYS_futex, &s->arrived, FUTEX_WAIT_PRIVATE, got, &ts, NULL, 0);
    }
    reader->regs = sample_regs;
    return 1;
}

static void sample_end(void)
{
    reader->regs = NULL;
    __atomic_store_n(&gc_sampling.release, 1, __ATOMIC_RELEASE);
    syscall(SYS_futex, &gc_sampling.release, FUTEX_WAKE_PRIVATE, INT32_MAX, NULL, NULL, 0);
    sigaction(SIGRTMAX, &sample_prev, NULL);
}

/* Read every goroutine into the task table; drop the records of goroutines gone. sample: stop the threads
 * running goroutines for their stacks (for a report, not for the grace period's polling). Returns the number
 * of user goroutines still running, or -1 when the runtime's table could not be read. */
int gc_sync(uint64_t exiting_g, int sample)
{
    lc_lock(&walk_lock);
    drain_events();
    reader->on_system_stack = gc_ctl.exit_fatal ? gc_ctl.exit_g : 0;
    int sampled = sample && sample_begin();
    struct sync_ctx c = { .now = lc_now_ns(), .exiting_g = exiting_g };
    c.cap = task_count() + 4096;
    c.seen = malloc(c.cap * sizeof *c.seen);
    int n = c.seen ? gc_walk(reader, sync_one, &c) : -1;
    if (n >= 0 && c.nseen < c.cap) {
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
    if (sampled)
        sample_end();
    free(c.seen);
    if (n >= 0)
        last_walk_ns = c.now;
    lc_unlock(&walk_lock);
    return n < 0 ? -1 : (int)c.unsettled;
}

/* The task source: before a report the threads running goroutines are stopped for their stacks. */
