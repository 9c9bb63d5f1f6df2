/* Goroutines under gccgo's libgo (libgo.so.21): spawn (__go_go), exit (runtime.goexit1) and the single park
 * point (runtime.gopark). Go code calls these through the PLT, libgo included, so defining them here is enough.
 *
 * Rules this file lives by:
 * - A goroutine is keyed by its g pointer, which libgo reuses after exit: every lookup also checks the goid.
 * - Goroutines move between threads at every park: nothing thread-local (our TLS, errno) is touched after the
 *   real gopark or __go_go returns except through a fresh call (noinline helpers), never a cached address.
 * - Compiled with -fsplit-stack (see gccgo_int.h): the code runs on goroutine stack segments.
 * - Cheap path first: a stack is captured only when a goroutine really parks, and a goroutine that parks again
 *   at the same call site and depth reuses the site it captured last time; within a fraction of a millisecond
 *   of its thread's last clock reading such a park is a few stores on the goroutine's own stack (park_fast),
 *   every other one runs on the shim's stack (park_begin). */
#include "gccgo_int.h"
#include "../runtime/chan_events.h"
#include "../runtime/lock.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>



/* ---- g -> task, with a small per-thread cache ------------------------------------------------------------ */
/* Only found records are cached: a goroutine with none yet (its spawner has not filed it) asks the table again
 * next time. */
struct gslot {
    void *g;
    int64_t goid;
    struct lc_task *t;                /* NULL: not tracked when looked up */
    uintptr_t site_ra, site_sp;       /* last blocking site of this goroutine, seen from this thread */
    stack_id site;
};
#define NSLOT 8
static LC_TLS struct gslot gslots[NSLOT];
static LC_TLS unsigned gslot_next;
static LC_TLS struct stack_proof *gproofs[NSLOT];   /* each slot's site's proof, made by its first slow park */
/* This thread's proofs (parks and go statements): once stopped, its repeated sites walk fast every time, as a
 * site seen once does. */
static LC_TLS struct stack_proof_budget go_budget;

/* A cache miss: look the task up in the table (ordinary C: on the shim's stack, out of the hot path). */
struct fill_args { void *g; int64_t goid; };
__attribute__((noinline)) static long slot_fill_here(void *arg)
{
    void *g = ((struct fill_args *)arg)->g;
    int64_t goid = ((struct fill_args *)arg)->goid;
    struct gslot *s = NULL;
    for (int i = 0; i < NSLOT && !s; i++)
        if (gslots[i].g == g)
            s = &gslots[i];           /* same g, an earlier goroutine or a stale answer: reuse the slot */
    if (!s)
        s = &gslots[gslot_next++ % NSLOT];
    /* a g's system stack (goid 0) never has a record */
    struct lc_task *t = goid ? task_find((uint64_t)(uintptr_t)g) : NULL;
    if (t && t->id != (uint64_t)goid)
        t = NULL;                     /* a record left by an earlier goroutine on the same g */
    *s = (struct gslot){ .g = g, .goid = goid, .t = t };
    return (long)s;
}

__attribute__((noinline)) static struct gslot *slot_fill(void *g, int64_t goid)
{
    struct fill_args a = { g, goid };
    return (struct gslot *)go_offstack(slot_fill_here, &a);
}

/* The slot of goroutine (g, goid) in this thread's cache, or NULL (a g has one slot at most: slot_fill reuses
 * it). Inline and call-free: park_fast's too. */
static inline __attribute__((always_inline)) struct gslot *slot_find(const void *g, int64_t goid)
{
    for (int i = 0; i < NSLOT; i++)
        if (gslots[i].g == g && gslots[i].goid == goid)
            return &gslots[i];
    return NULL;
}

static struct gslot *slot_for(void *g)
{
    int64_t goid = go_goid(g);
    struct gslot *s = slot_find(g, goid);
    return s && (s->t || goid == 0) ? s : slot_fill(g, goid);
}

/* The task of g, NULL when not tracked (per-thread cache). */
static struct lc_task *go_task(void *g)
{
    return g ? slot_for(g)->t : NULL;
}

uint64_t go_cur_id(void)
{
    return (uint64_t)go_goid(go_getg());
}

static void slot_forget(void *g)
{
    for (int i = 0; i < NSLOT; i++)
        if (gslots[i].g == g)
            gslots[i].g = NULL;
}

/* ---- coarse clock ---------------------------------------------------------------------------------------- */
uint64_t go_clock_ns;

/* Written only when it moved by 50us or more: every park writing it would bounce its cache line. */
static void clock_note(uint64_t now)
{
    if (now - __atomic_load_n(&go_clock_ns, __ATOMIC_RELAXED) >= 50000)
        __atomic_store_n(&go_clock_ns, now, __ATOMIC_RELAXED);
}

/* ---- pending operation ----------------------------------------------------------------------------------- */
LC_TLS struct go_pending go_pend;

__attribute__((noinline)) void go_pend_clear(void)
{
    go_pend.g = NULL;
}

static int pend_fits(uint8_t kind, uint8_t cls)
{
    switch (kind) {
    case GOP_CHAN: return cls == W_RECV || cls == W_SEND || cls == W_RECV_NIL || cls == W_SEND_NIL;
    case GOP_SELECT: return cls == W_SELECT;   /* select {} parks in runtime.block, which no wrapper precedes */
    case GOP_SEMA: return cls == W_SEMA;
    case GOP_COND: return cls == W_COND;
    default: return 0;
    }
}

/* ---- spawn and exit -------------------------------------------------------------------------------------- */
/* Every goroutine gets a task; the ones the runtime runs for itself (GC workers, sweeper, scavenger, forcegc,
 * finalizers) say so with g.isSystemGoroutine when they first park, and are then flagged internal.
 *
 * A new goroutine may run, park and even exit before __go_go returns its g to the spawner, which is when the
 * spawner can register it. So, while spawns are in flight (each step under the task table's lock for that g,
 * task_key_lock: spawns and exits of other goroutines take other locks):
 * - a goroutine with no task that parks registers itself, provisionally: flagged internal, no creator. Its
 *   spawner then adopts the record (fills in the creator and clears the flag); one nobody adopts was not
 *   started by a go statement (a cgo callback's g, say) and stays internal;
 * - an exiting goroutine leaves a tomb (task_tomb_locked), and a spawner that finds one registers nothing.
 * Spawns in flight are counted per thread, each count on a line of its own; only a goroutine that finds no
 * record of itself adds them up. */
#define NINFLIGHT 16
static struct { int n; } __attribute__((aligned(64))) inflight[NINFLIGHT];
static LC_TLS unsigned inflight_slot;   /* this thread's count, + 1; 0 before its first spawn */
static unsigned inflight_threads;

static int *inflight_mine(void)
{
    if (__builtin_expect(!inflight_slot, 0))
        inflight_slot = __atomic_fetch_add(&inflight_threads, 1, __ATOMIC_RELAXED) % NINFLIGHT + 1;
    return &inflight[inflight_slot - 1].n;
}

static int spawns_in_flight(void)
{
    int n = 0;
    for (int i = 0; i < NINFLIGHT; i++)
        n += __atomic_load_n(&inflight[i].n, __ATOMIC_ACQUIRE);
    return n > 0;
}

/* At exit, before the library's destructor (and its grace period): when the exiting thread runs a goroutine
 * (main returned, or os.Exit), hand its P back to the scheduler as a blocking system call would, so that
 * goroutines made runnable just before exit can run and finish; with GOMAXPROCS=1 nothing else could run
 * them and they would be reported as blocked. The goroutine stays "in a system call": the process is exiting.
 * Fatal errors exit from the system stack (goid 0) and are left alone. Registered with atexit() from C main
 * (the first spawn), so it runs before the destructors. */
static void exit_release_p(void)
{
    void (*entersyscallblock)(void) = (void (*)(void))go_sym("runtime.entersyscallblock", NULL);
    void *g = go_off ? NULL : go_getg();
    if (g && go_goid(g) != 0) {
        /* the goroutine that called os.Exit is not a leak, as exit()'s thread is not in a C program */
        struct lc_task *t = task_find((uint64_t)(uintptr_t)g);
        if (t && t->kind == LC_GOROUTINE && t->id == (uint64_t)go_goid(g))
            task_set_flag(t, LC_TF_EXITING, 1);
    }
    if (entersyscallblock && g && go_goid(g) != 0 && GO_FIELD(g, GO_G_STATUS, uint32_t) == GO_GRUNNING)
        entersyscallblock();
}

struct spawn {
    int main;
    uintptr_t ra;                     /* the go statement's return address, for libgo's g.gopc */
    struct lc_task *parent;
    stack_id created;
    void *fn;
};

static int go_started;

/* A stack for a site cached by its call (a park's or a go statement's), with its proof in *pf: proved (the
 * slower walk) only when the site repeats (again, and the thread still proves); else the fast walk, which
 * leaves the proof empty. */
static stack_id site_capture(struct stack_proof **pf, int again)
{
    again = again && stack_proof_afford(&go_budget);
    stack_id st = again ? go_stack_proved(pf) : go_stack();
    if (!again && *pf)
        (*pf)->n = 0;                 /* proves nothing until the site repeats */
    return st;
}

/* The last creation stack captured on this thread, with the go statement's return address and stack depth (as
 * for park sites): spawns from the same site at the same depth reuse it instead of unwinding again. */
static LC_TLS struct { uintptr_t ra, sp; stack_id st; struct stack_proof *proof; } spawn_site;

__attribute__((noinline)) static long at_exit_release_p(void *arg)
{
    (void)arg;
    int e = errno;
    atexit(exit_release_p);
    errno = e;
    return 0;
}

/* Calls no ordinary C but through go_offstack (errno is not touched): the goroutine's stack gets this frame. */
__attribute__((noinline)) static void spawn_begin(struct spawn *sp, void *fn, uintptr_t ra, uintptr_t csp)
{
    lc_in_shim++;
    void *self = go_getg();
    if (!go_started && go_goid(self) != 0)
        go_started = 1;               /* the first spawn from a goroutine: runtime.main runs */
    if (!go_started && go_goid(self) == 0 && go_rt_main && (uintptr_t)fn == go_rt_main)
        go_offstack(at_exit_release_p, NULL);     /* C main, about to start runtime.main */
    *sp = (struct spawn){ .fn = fn, .ra = ra, .main = go_rt_main && (uintptr_t)fn == go_rt_main };
    sp->parent = go_task(self);
    int same = 0;                     /* the last spawn's site and depth */
    if (sp->main) {
        sp->created = 0;              /* the main goroutine comes from C main: nothing to show */
    } else if ((same = spawn_site.st && spawn_site.ra == ra && spawn_site.sp == csp) &&
               stack_proof_holds(spawn_site.proof)) {
        sp->created = spawn_site.st;  /* a go statement in a loop: same site, same callers, same stack */
        go_budget.hits++;
    } else {
        sp->created = site_capture(&spawn_site.proof, same);
        spawn_site.ra = ra;
        spawn_site.sp = csp;
        spawn_site.st = sp->created;
    }
    __atomic_add_fetch(inflight_mine(), 1, __ATOMIC_ACQ_REL);
    lc_in_shim--;
}

/* Give a provisional record its creator, as task_new would have. */
static void adopt(struct lc_task *t, const struct spawn *sp, const void *g)
{
    const struct lc_task *p = sp->parent;
    t->start_fn = sp->fn;
    t->anc_stack[0] = sp->created;
    for (int i = 0; i < LC_CHAIN; i++) {
        t->anc_id[i] = !p ? 0 : i == 0 ? p->id : p->anc_id[i - 1];
        if (i > 0)
            t->anc_stack[i] = p ? p->anc_stack[i - 1] : 0;
    }
    task_set_flag(t, LC_TF_INTERNAL, GO_FIELD(g, GO_G_SYSTEM, uint8_t) != 0);
}

/* On the shim's stack (spawn_end). */
struct end_args { struct spawn *sp; void *g; };
__attribute__((noinline)) static long spawn_end_here(void *arg)
{
    struct spawn *sp = ((struct end_args *)arg)->sp;
    void *g = ((struct end_args *)arg)->g;
    LC_ENTER();
    int64_t goid = go_goid(g);
    if (sp->main && goid != 1) {
        /* runtime.main is always goroutine 1: if not, this libgo's g is laid out differently */
        static const char msg[] = "leakcheck: unsupported libgo (g layout); goroutines are not tracked\n";
        if (write(2, msg, sizeof msg - 1) < 0) {}
        go_off = 1;
        __atomic_store_n(&go_live, -1, __ATOMIC_RELEASE);
    }
    uint64_t key = (uint64_t)(uintptr_t)g;
    struct lc_task *t = NULL;
    if (g) {
        task_key_lock(key);
        t = task_find_locked(key);
        if (t && t->id == (uint64_t)goid) {
            adopt(t, sp, g);          /* it parked before we got here */
        } else if (go_off || task_tomb_take_locked(key, (uint64_t)goid)) {
            t = NULL;                 /* it ended already */
        } else {
            t = task_new_locked(LC_GOROUTINE, key, (uint64_t)goid, sp->parent, sp->fn, sp->created);
            if (t)
                clock_note(t->started_ns);
        }
        if (t && sp->main)
            task_set_flag(t, LC_TF_MAIN, 1);
        /* libgo took our wrapper for the go statement: give Go's own tracebacks ("created by") the real one */
        if (t && go_goid(g) == goid)
            GO_FIELD(g, GO_G_GOPC, uintptr_t) = sp->ra;
        task_key_unlock(key);
    }
    __atomic_sub_fetch(inflight_mine(), 1, __ATOMIC_ACQ_REL);
    LC_LEAVE();
    return 0;
}

__attribute__((noinline)) static void spawn_end(struct spawn *sp, void *g)
{
    struct end_args a = { sp, g };
    go_offstack(spawn_end_here, &a);
}

/* Called from park_begin (shim entered) for a goroutine with no task while spawns are in flight. */
static struct lc_task *provisional(void *g, int64_t goid)
{
    uint64_t key = (uint64_t)(uintptr_t)g;
    task_key_lock(key);
    struct lc_task *t = task_find_locked(key);
    if (!t || t->id != (uint64_t)goid) {
        t = task_new_locked(LC_GOROUTINE, key, (uint64_t)goid, NULL, NULL, 0);
        if (t)
            task_set_flag(t, LC_TF_INTERNAL, 1);
    }
    task_key_unlock(key);
    return t;
}

GO_WRAPPER(void *, go_go, "__go_go", (void (*fn)(void *), void *arg))
{
    if (!GO_ACTIVE())
        return GO_NEXT(go_go)(fn, arg);
    struct spawn sp;
    spawn_begin(&sp, (void *)fn, (uintptr_t)__builtin_return_address(0), (uintptr_t)__builtin_frame_address(0));
    void *g = GO_NEXT(go_go)(fn, arg);
    spawn_end(&sp, g);
    return g;
}

__attribute__((noinline)) static long exit_note_here(void *arg)
{
    (void)arg;
    LC_ENTER();
    void *g = go_getg();
    int64_t goid = go_goid(g);
    slot_forget(g);
    go_spin_reset();                  /* the next goroutine on this g starts afresh */
    if (go_pend.g == g)
        go_pend.g = NULL;             /* and with no operation of this one's pending */
    if (go_mutex_used)
        go_mutex_idle(g);
    uint64_t key = (uint64_t)(uintptr_t)g;
    task_key_lock(key);
    struct lc_task *t = task_find_locked(key);
    /* A tomb only for a goroutine its spawner has not registered yet: no record, or a provisional one (no
     * start function until adopted), while spawns are in flight. */
    int tomb = (!t || t->id != (uint64_t)goid || !t->start_fn) && spawns_in_flight();
    if (t)
        task_remove_locked(t);        /* ours, or a stale record for a g that is exiting now */
    if (tomb)
        task_tomb_locked(key, (uint64_t)goid);
    task_key_unlock(key);
    LC_LEAVE();
    return 0;
}

/* On the shim's stack: no segment for the exiting goroutine. */
__attribute__((noinline)) static void exit_note(void)
{
    go_offstack(exit_note_here, NULL);
}

/* runs on the exiting goroutine: normal return, recovered panic, runtime.Goexit */
GO_WRAPPER(void, go_goexit1, "runtime.goexit1", (void))
{
    if (GO_ACTIVE())
        exit_note();
    GO_NEXT(go_goexit1)();
}

/* ---- park ------------------------------------------------------------------------------------------------ */
/* What a park waits on by its wait class and lock (a channel's lock: the channel), unless the pending
 * operation p (NULL: none that fits) says; returns the kind. Inline and call-free, as the next two. */
static inline __attribute__((always_inline)) uint8_t park_object(uint8_t cls, void *lock,
                                                                 const struct go_pending *p, const void **obj)
{
    *obj = NULL;
    uint8_t ok = LC_OBJ_NONE;
    if (cls == W_RECV || cls == W_SEND) {
        *obj = lock ? (const char *)lock - GO_HCHAN_LOCK : NULL;
        ok = LC_OBJ_CHAN;
    } else if (cls == W_RECV_NIL || cls == W_SEND_NIL) {
        ok = LC_OBJ_CHAN;
    }
    p = go_pend_details(p);
    if (p && p->obj_kind != LC_OBJ_NONE) {
        *obj = p->obj;
        ok = p->obj_kind;
    }
    return ok;
}

/* What a park is in: the pending operation's words (p NULL: none that fits), else Go's wait reason. */
static inline __attribute__((always_inline)) const char *park_what(uint8_t reason, const struct go_pending *p)
{
    p = go_pend_details(p);
    return p && p->what ? p->what : reason < GO_NWAIT ? go_wait_what[reason] : "park";
}

/* Whether s's cached blocking site is at the call p was left by (same call site and depth; a call from libgo
 * says nothing about the program's site) ... */
static inline __attribute__((always_inline)) int site_same(const struct gslot *s, const struct go_pending *p)
{
    return p->ra && s->site && s->site_ra == p->ra && s->site_sp == p->sp && !go_in_libgo(p->ra);
}

/* ... and still stands for it: its proof holds. */
static inline __attribute__((always_inline)) int site_cached(const struct gslot *s, const struct go_pending *p)
{
    return site_same(s, p) && stack_proof_holds(gproofs[s - gslots]);
}

/* The clock of this thread's last slow park, and the time-stamp counter then: a fast park within
 * PARK_TSC_FRESH cycles of it (well under a millisecond at any clock rate in use) takes that time as its own,
 * which CLOCK_MONOTONIC_COARSE's own steps (a few ms) make no less exact. */
#define PARK_TSC_FRESH (1u << 19)
static LC_TLS uint64_t park_tsc, park_ns;

static inline uint64_t park_stamp(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

/* A goroutine parking again where it parked last (the same call site and depth, its record and site cached in
 * this thread's slot, its time fresh): task_block_at's stores and nothing else, on the goroutine's own stack
 * (a leaf: the 256 bytes split-stack code leaves below the guard are plenty, as for park_end). NULL: anything
 * else, for park_begin. Keeps what park_begin would: the pending operation consumed, no spin carried over. */
__attribute__((noinline, no_split_stack)) static struct lc_task *park_fast(void *lock, uint8_t reason)
{
    if (__builtin_expect(go_mutex_used || reason >= GO_NWAIT, 0))
        return NULL;
    void *g = go_getg_tls();
    struct go_pending *p = &go_pend;
    uint8_t cls = go_wait_class[reason];
    if (!g || p->g != g || (go_pend_details(p) && p->nilchan) || cls == W_RECV_NIL || cls == W_SEND_NIL ||
        !pend_fits(p->kind, cls) || GO_FIELD(g, GO_G_SYSTEM, uint8_t))
        return NULL;
    struct gslot *s = slot_find(g, GO_FIELD(g, GO_G_GOID, int64_t));
    if (!s || !s->t || !site_cached(s, p))
        return NULL;
    if (park_stamp() - park_tsc >= PARK_TSC_FRESH)
        return NULL;
    go_budget.hits++;
    const void *obj;
    uint8_t ok = park_object(cls, lock, p, &obj);
    const char *what = park_what(reason, p);
    p->g = NULL;
    go_spin_reset();
    task_block_at(s->t, what, (enum lc_obj_kind)ok, obj, s->site, park_ns);
    return s->t;
}

struct park_args { void *lock; uint8_t reason; };
__attribute__((noinline)) static long park_begin_here(void *arg)
{
    void *lock = ((struct park_args *)arg)->lock;
    uint8_t reason = ((struct park_args *)arg)->reason;
    lc_in_shim++;                     /* LC_ENTER without errno: only go_stack could touch it, and keeps it */
    go_spin_reset();                  /* it blocks: not spinning */
    void *g = go_getg();
    struct go_pending p = go_pend;
    go_pend.g = NULL;
    struct gslot *s = g ? slot_for(g) : NULL;
    struct lc_task *t = s ? s->t : NULL;
    if (g && go_mutex_used)
        go_mutex_idle(g);
    if (!t && s && go_goid(g) != 0 && spawns_in_flight())
        t = s->t = provisional(g, s->goid);
    if (t && GO_FIELD(g, GO_G_SYSTEM, uint8_t)) {
        /* the runtime's own goroutine: never reported, no bookkeeping */
        if (!(t->flags & LC_TF_INTERNAL))
            task_set_flag(t, LC_TF_INTERNAL, 1);
        t = NULL;
    }
    if (t) {
        uint8_t cls = reason < GO_NWAIT ? go_wait_class[reason] : W_OTHER;
        int have = p.g == g && pend_fits(p.kind, cls);
        const struct go_pending *fit = have ? &p : NULL;
        const char *what = park_what(reason, fit);
        const void *obj;
        uint8_t ok = park_object(cls, lock, fit, &obj);
        int nil = cls == W_RECV_NIL || cls == W_SEND_NIL || (have && go_pend_details(&p) && p.nilchan);
        stack_id site;
        if (have && site_cached(s, &p)) {
            site = s->site;
            go_budget.hits++;
        } else {
            site = site_capture(&gproofs[s - gslots], have && site_same(s, &p));
            s->site_ra = have ? p.ra : 0;
            s->site_sp = have ? p.sp : 0;
            s->site = site;
        }
        task_block(t, what, (enum lc_obj_kind)ok, obj, site);
        park_tsc = park_stamp();
        park_ns = t->since_ns;
        clock_note(t->since_ns);
        if (nil)                      /* a nil channel blocks forever: say so now, whatever happens later */
            lc_chan_nil_blocked(t, site, cls == W_RECV_NIL ? "receive" : cls == W_SEND_NIL ? "send" : "select");
    }
    lc_in_shim--;
    return (long)t;
}

/* On the shim's stack: a parked goroutine keeps no segment of ours, and its stack no page of our work. */
__attribute__((noinline)) static struct lc_task *park_begin(void *lock, uint8_t reason)
{
    struct park_args a = { lock, reason };
    return (struct lc_task *)go_offstack(park_begin_here, &a);
}

/* Runs right after the real gopark, at the depth the wrapper checked on entry, and only calls task_unblock,
 * a leaf that needs a few bytes of stack: the 256 bytes split-stack code always leaves below the guard are
 * plenty, and skipping the check saves a stack-segment switch on every park. */
__attribute__((noinline, no_split_stack)) static void park_end(struct lc_task *t)
{
    task_unblock(t);
}

GO_WRAPPER(void, go_gopark, "runtime.gopark", (void *unlockf, void *lock, uint8_t reason, uint8_t ev, intptr_t skip))
{
    struct lc_task *t = NULL;
    if (GO_ACTIVE() && !(t = park_fast(lock, reason)))
        t = park_begin(lock, reason);
    GO_NEXT(go_gopark)(unlockf, lock, reason, ev, skip);
    if (t)
        park_end(t);                  /* possibly on another thread now */
}
