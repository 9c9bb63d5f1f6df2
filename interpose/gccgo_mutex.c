/* sync.Mutex and sync.RWMutex ownership under libgo: which goroutine holds a mutex, where and since when it took
 * it (for the report under a goroutine blocked on it), a Lock by the goroutine that already holds the mutex
 * (self-deadlock, reported at once) and lock-order inversions between mutexes (runtime/lockset.c's graph).
 *
 * Each goroutine that locks gets a lockset (runtime/lockset.h, registered with tid LC_LS_GOROUTINE), found
 * through a lock-free table keyed by g; a g reused by a later goroutine has its lockset emptied and re-labelled
 * with the new goid. The lockset belongs to the goroutine, not the thread, so keeping its address across the
 * real Lock (which may park and resume on another thread) is fine.
 *
 * Cheap path (no lock held, or a known nesting): a table probe, a scan of the few held locks and a store of the
 * lock, its site and a coarse time (go_clock: no clock read). The wrappers call no ordinary C, not even through
 * lockset.h's inline helpers (lockset_pop, lockset_order_new fall back to ordinary C): gold would then give
 * every call a stack-segment switch. Their inline parts are repeated here; the rest is in noinline helpers that
 * tell runtime/sync_events.h. Compiled with -fsplit-stack (see gccgo_int.h). */
#include "gccgo_int.h"
#include "../runtime/lock.h"
#include "../runtime/lockset.h"
#include "../runtime/sync_events.h"
#include "../report/symbolize.h"

/* RWMutex's write lock takes its inner Mutex (at offset 0: same address) through Mutex.Lock: those calls are
 * the RWMutex's own business and are not tracked again. */
static struct { const char *name; uintptr_t lo, size; } rw_fns[] = {
    { "sync.RWMutex.Lock", 0, 0 }, { "sync.RWMutex.Unlock", 0, 0 }, { "sync.RWMutex.TryLock", 0, 0 },
};
#define NRW (sizeof rw_fns / sizeof rw_fns[0])

static uintptr_t rw_lo, rw_span;     /* the three together: a program's call site is outside, one compare */

/* Each collection begins here (gcStart, with the world stopped): from now on a heap object the program last
 * locked before may be freed, and its memory given to another (runtime/lockset.h). */
GO_WRAPPER(void, go_finishsweep, "runtime.finishsweep__m", (void))
{
    lockset_gc_cycle();
    GO_NEXT(go_finishsweep)();
}

static void sync_resolve(void);

void go_mutex_init(void)
{
    sync_resolve();        /* before go_live is set: the wrappers' common case calls them without a test */
    lc_note_variables();   /* the mutexes a collection may free are the others (runtime/lockset.h) */
    uintptr_t hi = 0;
    rw_lo = UINTPTR_MAX;
    for (size_t i = 0; i < NRW; i++) {
        rw_fns[i].lo = go_sym(rw_fns[i].name, &rw_fns[i].size);
        if (rw_fns[i].lo && rw_fns[i].size) {
            rw_lo = rw_fns[i].lo < rw_lo ? rw_fns[i].lo : rw_lo;
            hi = rw_fns[i].lo + rw_fns[i].size > hi ? rw_fns[i].lo + rw_fns[i].size : hi;
        }
    }
    rw_span = hi > rw_lo ? hi - rw_lo : 0;
}

static inline int from_rw(uintptr_t ra)
{
    if (__builtin_expect(ra - rw_lo >= rw_span, 1))
        return 0;
    for (size_t i = 0; i < NRW; i++)
        if (ra - rw_fns[i].lo < rw_fns[i].size)
            return 1;
    return 0;
}

/* ---- lock sites ------------------------------------------------------------------------------------------ */
/* A Lock of a mutex embedded in a struct is called through the compiler's method stub (main.T.Lock..stub, at the
 * struct's declaration line): the site is the stub's caller. A stub's frame has a fixed size, so the stub's own
 * return address lies a fixed number of words above ours. Each return address is classified once (its code and
 * its function's name); the word packs the return address (user addresses fit in 48 bits) and that distance
 * (0: not a stub). */
#define SITE_SLOTS 1024u
static uint64_t site_kinds[SITE_SLOTS];

static inline uint32_t site_hash(uintptr_t ra)
{
    return (uint32_t)((ra * 0x9e3779b97f4a7c15ull) >> 40) & (SITE_SLOTS - 1);
}

/* A return address followed by "add $N,%rsp; ret" in a function the compiler made: its frame is N bytes, so its
 * own return address is N / 8 + 1 words above the wrapper's. Returns that many words, 0 when ra is not so. */
static unsigned stub_words(uintptr_t ra)
{
    const uint8_t *c = (const uint8_t *)ra;
    if (!(c[0] == 0x48 && c[1] == 0x83 && c[2] == 0xc4 && c[3] < 0x80 && (c[3] & 7) == 0 && c[4] == 0xc3))
        return 0;
    struct lc_frame f;
    symbolize(ra, 0, &f);
    return f.wrapper ? c[3] / 8u + 1 : 0;
}

__attribute__((noinline)) static uintptr_t site_slow(uintptr_t ra, const uintptr_t *slot)
{
    LC_ENTER();
    unsigned words = stub_words(ra);
    __atomic_store_n(&site_kinds[site_hash(ra)], (uint64_t)ra << 16 | words, __ATOMIC_RELAXED);
    LC_LEAVE();
    return words ? slot[words] : ra;
}

/* Where the program called Lock: ra, the wrapper's return address, or past a ..stub its caller. slot: where the
 * wrapper's return address is stored (its frame address + 1 word). */
static inline uintptr_t lock_site(uintptr_t ra, const uintptr_t *slot)
{
    uint64_t w = __atomic_load_n(&site_kinds[site_hash(ra)], __ATOMIC_RELAXED);
    if (__builtin_expect((w >> 16) == ra, 1))
        return (w & 0xffff) ? slot[w & 0xffff] : ra;
    return site_slow(ra, slot);
}
#define GO_LOCK_SITE(ra) lock_site(ra, (const uintptr_t *)LC_SP() + 1)

/* ---- g -> lockset ---------------------------------------------------------------------------------------- */
#define GL_SLOTS (1u << 14)
#define GL_PROBE 64
static struct gl { void *g; struct lc_lockset *ls; } gls[GL_SLOTS];

/* What the wrappers' common case reads, in one thread-local block (one address): the last goroutine on this
 * thread to ask and its answer, where this thread reads the running g (go_g_off once this thread checked
 * it, else 0: no common case), and the last call site of a Lock found to be the program's and no method stub.
 * Once an answer was given, g is never NULL (GL_NONE when it was given back), so a NULL g never matches. */
static LC_TLS struct gl_last { void *g; struct lc_lockset *ls; intptr_t goff; uintptr_t site; } gl_last;
#define GL_NONE ((void *)1)

static inline uint32_t gl_hash(const void *g)
{
    return (uint32_t)(((uintptr_t)g * 0x9e3779b97f4a7c15ull) >> 40) & (GL_SLOTS - 1);
}

/* A goroutine keeps a lockset only while it runs or holds locks. One that parks or exits holding none gives it
 * back to the pool (lockset_put), and the next goroutine that locks takes one from there (lockset_take). */
int go_mutex_used;

/* The slot's lockset is missing or belongs to an earlier goroutine on this g: (re)label it. One whose
 * goroutine exited holding locks is left registered as it is (a report names that goroutine as the holder,
 * and another goroutine may still unlock them) and the slot gets another one. */
__attribute__((noinline)) static struct lc_lockset *gl_fix(struct gl *s, int64_t goid)
{
    struct lc_lockset *ls = s->ls;
    if (ls && __atomic_load_n(&ls->n, __ATOMIC_ACQUIRE) == 0) {
        ls->task_id = (uint64_t)goid;
        return ls;
    }
    LC_ENTER();
    ls = lockset_take((uint64_t)goid, LC_LS_GOROUTINE);
    go_mutex_used = 1;
    LC_LEAVE();
    __atomic_store_n(&s->ls, ls, __ATOMIC_RELEASE);
    return ls;
}

/* g parks or exits (from gccgo.c, shim entered): an empty lockset goes back to the pool. */
void go_mutex_idle(void *g)
{
    uint32_t h = gl_hash(g);
    for (uint32_t i = 0; i < GL_PROBE; i++) {
        struct gl *s = &gls[(h + i) & (GL_SLOTS - 1)];
        void *sg = __atomic_load_n(&s->g, __ATOMIC_ACQUIRE);
        if (!sg)
            return;
        if (sg != g)
            continue;
        struct lc_lockset *ls = s->ls;
        if (!ls || lockset_trim(ls) != 0)
            return;
        __atomic_store_n(&s->ls, NULL, __ATOMIC_RELEASE);
        if (gl_last.ls == ls)
            gl_last.g = GL_NONE, gl_last.ls = NULL;
        lockset_put(ls);
        return;
    }
}

/* The lockset of g (goroutine goid) from its probe sequence; created when create is set. */
__attribute__((noinline)) static struct lc_lockset *gl_probe(void *g, int64_t goid, int create)
{
    uint32_t h = gl_hash(g);
    for (uint32_t i = 0; i < GL_PROBE; i++) {
        struct gl *s = &gls[(h + i) & (GL_SLOTS - 1)];
        void *sg = __atomic_load_n(&s->g, __ATOMIC_ACQUIRE);
        if (!sg) {
            if (!create)
                return NULL;
            if (!__atomic_compare_exchange_n(&s->g, &sg, g, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE) && sg != g)
                continue;             /* another g took it */
            sg = g;
        }
        if (sg == g) {
            struct lc_lockset *ls = s->ls;    /* only goroutines running on g write it */
            if (__builtin_expect(ls && ls->task_id == (uint64_t)goid, 1))
                return ls;
            return create || ls ? gl_fix(s, goid) : NULL;
        }
    }
    return NULL;                      /* table crowded here: not tracked */
}

/* This thread's last answer, when it is the running goroutine's (no hashing, no call, and loads that do not
 * wait for each other: a lockset given back to the pool names no task, LC_LS_NOBODY, and one taken names its
 * new one, so a stale answer never matches; a running goroutine's id is above 0); NULL otherwise, for gl_get. */
static inline __attribute__((always_inline)) struct lc_lockset *gl_last_answer(void)
{
    /* goff 0 (no answer yet, or no fast read of g here) reads %fs:0, which the x86-64 TLS ABI makes the thread
     * pointer itself: never a g, so no answer, without a test of its own */
    void *g;
    __asm__ volatile("movq %%fs:(%1), %0" : "=r"(g) : "r"(gl_last.goff) : "memory");
    if (g != gl_last.g)
        return NULL;
    struct lc_lockset *ls = gl_last.ls;
    return ls->task_id == (uint64_t)GO_FIELD(g, GO_G_GOID, int64_t) ? ls : NULL;
}

/* The running goroutine's lockset; created when create is set, else NULL when it has none. Inline: the thread's
 * last answer (the common case); anything else out of line. */
__attribute__((noinline)) static struct lc_lockset *gl_get_slow(int create)
{
    void *g = go_getg();
    if (!g)
        return NULL;
    int64_t goid = GO_FIELD(g, GO_G_GOID, int64_t);
    if (goid <= 0)
        return NULL;
    struct lc_lockset *ls;
    struct gl *s = &gls[gl_hash(g)];
    if (__atomic_load_n(&s->g, __ATOMIC_ACQUIRE) != g || !(ls = s->ls) || ls->task_id != (uint64_t)goid)
        ls = gl_probe(g, goid, create);
    if (ls) {
        gl_last.g = g, gl_last.ls = ls;
        gl_last.goff = go_g_off != GO_G_OFF_NONE ? go_g_off : 0;     /* checked on this thread by go_getg */
    }
    return ls;
}

static inline struct lc_lockset *gl_get(int create)
{
    struct lc_lockset *ls = gl_last_answer();
    return __builtin_expect(ls != NULL, 1) ? ls : gl_get_slow(create);
}

/* ---- slow paths ------------------------------------------------------------------------------------------ */
/* RLock of an RWMutex this goroutine has read-locked already: Go forbids it (a writer arriving in between
 * deadlocks both), whether or not one arrived in this run. */
__attribute__((noinline)) static void recursive_rlock(struct lc_lockset *ls, const void *m, const struct lc_held *h)
{
    LC_ENTER();
    struct lc_actor a = GO_ACTOR;
    lc_rwlock_recursive_read(&a, ls, m, LC_HELD_PC(h));
    LC_LEAVE();
}

/* Not the innermost held lock: the goroutine's own entry, else the holders' (Go lets any goroutine unlock a
 * sync.Mutex), marked released. */
__attribute__((noinline)) static void unlock_slow(struct lc_lockset *ls, const void *m)
{
    LC_ENTER();
    lc_go_mutex_release(ls, m);
    LC_LEAVE();
}

/* A nesting not seen by this goroutine yet: the order edge when the graph does not have it. */
__attribute__((noinline)) static void order_slow(struct lc_lockset *ls, const void *m, enum lc_lock_mode mode)
{
    LC_ENTER();
    struct lc_actor a = GO_ACTOR;
    lc_mutex_pre_lock(&a, ls, m, mode);
    LC_LEAVE();
}

/* ---- hooks ----------------------------------------------------------------------------------------------- */
/* Before taking m: self-deadlock and lock order. Returns the goroutine's lockset, or NULL when not tracked. */
static inline struct lc_lockset *lock_begin(const void *m, enum lc_lock_mode mode)
{
    struct lc_lockset *ls = gl_get(1);
    if (!ls || __builtin_expect(ls->n == 0, 1))
        return ls;                    /* holding nothing: nothing to trim, relock or order */
    uint32_t n = lockset_trim(ls);
    if (n && n <= LC_HELD_MAX) {
        /* A Lock of a mutex this goroutine holds is no finding yet: Go mutexes have no owner, and another
         * goroutine may unlock it (hand-off). If none does, the verdict finds it waiting for itself. */
        for (uint32_t i = 0; i < n; i++) {
            const struct lc_held *h = &ls->held[i];
            if (h->lock == m && mode == LC_LK_READ && LC_HELD_MODE(h) == LC_LK_READ && !LC_HELD_GONE(h)) {
                recursive_rlock(ls, m, h);
                break;
            }
        }
        /* the nesting this goroutine made last time at this depth: known to the graph (lockset_order_new's
         * first test, inline here: the rest of it calls ordinary C) */
        if (!(ls->seen[n - 1].from == ls->held[n - 1].lock && ls->seen[n - 1].to == m))
            order_slow(ls, m, mode);
    }
    return ls;
}

/* A goroutine's lockset always has room (lockset_new made it grown). */
static inline void lock_end(struct lc_lockset *ls, const void *m, enum lc_lock_mode mode, uintptr_t ra)
{
    lockset_push_room(ls, m, mode, ra, go_clock());   /* a lower bound: "held for" may read a little long */
}

/* The program's critical section is the time between the real Lock returning and the real Unlock releasing:
 * nothing of the shim runs in it but the Unlock wrapper's look and pop. Lock pushes its entry as held before
 * the real call and tail-calls it, so the real Lock returns straight to the program; a Lock that has to sleep
 * parks through the semaphore wrappers (gccgo_sync.c), which mark the entry waiting while it sleeps and held
 * again, stamped anew, when it wakes (go_mutex_sleeps), so a report finds the real holder and not a goroutine
 * waiting in Lock. A Lock that spins before it gets the mutex shows as holding it for those microseconds, so a
 * goroutine unlocking a mutex it did not lock marks every such entry released, the spinner's too: that hold
 * is then forgotten, and no entry outlives its hold (lockset_release). Only the goroutine itself changes its
 * lockset's count (lockset_trim drops the released entries on its next Lock or park). The lockset is the
 * goroutine's own, and an entry on it keeps it from going back to the pool if the goroutine parks and wakes
 * on another thread. Unlock pops before the real call and tail-calls it: a report in between sees the mutex
 * free a few instructions early. */

/* The running goroutine's entry for m, from the innermost: the one marked waiting (waiting set) or the one held
 * (released ones passed over). */
static inline struct lc_held *entry_of(struct lc_lockset *ls, const void *m, int waiting)
{
    uint32_t n = ls->n < LC_HELD_MAX ? ls->n : LC_HELD_MAX;
    for (uint32_t i = n; i-- > 0;)
        if (ls->held[i].lock == m && (waiting ? LC_HELD_IS_WAITING(&ls->held[i]) : !LC_HELD_GONE(&ls->held[i])))
            return &ls->held[i];
    return NULL;
}

void go_mutex_sleeps(const void *m, int asleep)
{
    struct lc_lockset *ls = go_mutex_used ? gl_get(0) : NULL;
    struct lc_held *h = ls ? entry_of(ls, m, !asleep) : NULL;
    if (!h)
        return;
    if (!asleep)
        ls->stamp[h - ls->held] = go_clock();
    __atomic_store_n(&h->pcmode, asleep ? h->pcmode | LC_HELD_WAITING : h->pcmode & ~LC_HELD_WAITING,
                     __ATOMIC_RELEASE);
}

/* Before the real Unlock: the goroutine's innermost held lock is m (the pop), else the careful path (another
 * goroutine may unlock a Go mutex: the holder's entry is then marked released). Both while m is held.
 * innermost_pop is the first: whether ls (NULL: none) had m innermost, its entry's bits under mask equal to
 * want (not released; for Unlock's common case also of its mode), now popped. */
#define POP_HELD LC_HELD_RELEASED, 0      /* mask, want: any entry still held */
static inline __attribute__((always_inline)) int innermost_pop(struct lc_lockset *ls, const void *m,
                                                              uint64_t mask, uint64_t want)
{
    uint32_t n = ls ? ls->n : 0;
    if (!(n - 1 < LC_HELD_MAX && ls->held[n - 1].lock == m && (ls->held[n - 1].pcmode & mask) == want))
        return 0;
    __atomic_store_n(&ls->n, n - 1, __ATOMIC_RELEASE);         /* lockset_pop's inline part */
    return 1;
}

static inline void unlock_pop(const void *m)
{
    struct lc_lockset *ls = gl_get(0);
    if (!__builtin_expect(innermost_pop(ls, m, POP_HELD), 1))
        unlock_slow(ls, m);
}

/* The real calls are the bodies' last statements: tail calls, no frame of ours around them. GO_ACTIVE less
 * its lc_in_shim test: the shim calls no Go code, so no sync call comes from inside it. */
#define SYNC_ACTIVE() (__builtin_expect(go_live > 0, 1) || (go_live == 0 && go_active_slow()))

/* Lock and Unlock (sync.Mutex's, RWMutex's write and read) call nothing of ours before the real call in their
 * common case, keep no frame and need no stack of their own (no split-stack prologue: the real function and the
 * careful path check their own): the thread's last answer the running goroutine's lockset (an answer is given
 * only by the careful path with the shim active, after go_mutex_init resolved the real functions); for a lock,
 * a goroutine holding nothing and a call site known to be the program's, not a method stub (the thread's last,
 * or one classified before: site_slow classifies only the program's sites, so a Mutex.Lock from RWMutex's own
 * never passes); for an unlock, its innermost lock, and for Mutex.Unlock in mutex mode (RWMutex.Unlock's inner
 * Mutex.Unlock, of the same address, finds the write entry popped already, or one in another mode). Anything
 * else takes the careful path, out of line (NAME_slow). */
static inline __attribute__((always_inline)) int site_known(uintptr_t ra)
{
    return ra == gl_last.site || __atomic_load_n(&site_kinds[site_hash(ra)], __ATOMIC_RELAXED) == (uint64_t)ra << 16;
}

/* Where the wrapper's return address is stored, for its careful path: the stack pointer, in a wrapper that
 * keeps no frame (its return address is at the top). The careful path checks that it reads ra there. */
#define SYNC_RA_SLOT() ({ const uintptr_t *sp_; __asm__("movq %%rsp, %0" : "=r"(sp_)); sp_; })

/* The careful path's site: where the wrapper was called from, past a method stub (ra itself when slot does
 * not hold it: then not known to be no stub). A site found to be the program's own becomes the thread's last. */
static inline uintptr_t slow_site(uintptr_t ra, const uintptr_t *slot)
{
    if (*slot != ra)
        return ra;
    uintptr_t site = lock_site(ra, slot);
    if (site == ra)
        gl_last.site = ra;
    return site;
}

/* program: only calls from the program are tracked (sync.Mutex's, which RWMutex.Lock calls too). */
#define SYNC_LOCK(name, sym, mode, program)                                                                  \
    GO_WRAPPER_DECL(void, name, sym, (void *m));                                                             \
    __attribute__((noinline)) static void name##_slow(void *m, uintptr_t ra, const uintptr_t *slot)          \
    {                                                                                                        \
        struct lc_lockset *ls = SYNC_ACTIVE() && !((program) && from_rw(ra)) ? lock_begin(m, mode) : NULL;   \
        if (ls)                                                                                              \
            lock_end(ls, m, mode, slow_site(ra, slot));                                                      \
        GO_NEXT(name)(m);                                                                                    \
    }                                                                                                        \
    __attribute__((no_split_stack)) GO_WRAPPER_ALIAS_DEF(void, name, sym, (void *m))                         \
    {                                                                                                        \
        uintptr_t ra = LC_RA();                                                                              \
        struct lc_lockset *ls;                                                                               \
        if ((ls = gl_last_answer()) != NULL && ls->n == 0 && site_known(ra)) {                               \
            ls->held[0] = (struct lc_held){ m, ra | (uintptr_t)(mode) << 56 };                               \
            ls->stamp[0] = go_clock();        /* a goroutine's lockset always has its stamps */              \
            __atomic_store_n(&ls->n, 1, __ATOMIC_RELEASE);                                                   \
            real_##name(m);                                                                                  \
            return;                                                                                          \
        }                                                                                                    \
        name##_slow(m, ra, SYNC_RA_SLOT());                                                                  \
    }

/* mode: the entry's mode Unlock pops, checked for sync.Mutex's (the RWMutex wrappers are called only by the
 * program). */
#define SYNC_UNLOCK(name, sym, program, mode)                                                                \
    GO_WRAPPER_DECL(void, name, sym, (void *m));                                                             \
    __attribute__((noinline)) static void name##_slow(void *m, uintptr_t ra)                                 \
    {                                                                                                        \
        if (SYNC_ACTIVE() && !((program) && from_rw(ra)))                                                    \
            unlock_pop(m);                                                                                   \
        GO_NEXT(name)(m);                                                                                    \
    }                                                                                                        \
    __attribute__((no_split_stack)) GO_WRAPPER_ALIAS_DEF(void, name, sym, (void *m))                         \
    {                                                                                                        \
        if (innermost_pop(gl_last_answer(), m, (program) ? LC_HELD_RELEASED | 3ull << 56 : LC_HELD_RELEASED,  \
                          (program) ? (uint64_t)(mode) << 56 : 0)) {                                         \
            real_##name(m);                                                                                  \
            return;                                                                                          \
        }                                                                                                    \
        name##_slow(m, LC_RA());                                                                             \
    }

SYNC_LOCK(go_mutex_lock, "sync.Mutex.Lock", LC_LK_MUTEX, 1)
SYNC_UNLOCK(go_mutex_unlock, "sync.Mutex.Unlock", 1, LC_LK_MUTEX)
SYNC_LOCK(go_rw_lock, "sync.RWMutex.Lock", LC_LK_WRITE, 0)
SYNC_LOCK(go_rw_rlock, "sync.RWMutex.RLock", LC_LK_READ, 0)
SYNC_UNLOCK(go_rw_unlock, "sync.RWMutex.Unlock", 0, LC_LK_WRITE)
SYNC_UNLOCK(go_rw_runlock, "sync.RWMutex.RUnlock", 0, LC_LK_READ)

static void sync_resolve(void)
{
    GO_NEXT(go_mutex_lock), GO_NEXT(go_mutex_unlock), GO_NEXT(go_rw_lock), GO_NEXT(go_rw_rlock);
    GO_NEXT(go_rw_unlock), GO_NEXT(go_rw_runlock);
}

GO_WRAPPER_ALIAS(_Bool, go_mutex_trylock, "sync.Mutex.TryLock", (void *m))
{
    uintptr_t ra = LC_RA();
    _Bool ok = GO_NEXT(go_mutex_trylock)(m);
    struct lc_lockset *ls;
    if (ok && GO_ACTIVE() && !from_rw(ra) && (ls = gl_get(1)) != NULL)
        lock_end(ls, m, LC_LK_MUTEX, GO_LOCK_SITE(ra));
    return ok;
}

GO_WRAPPER_ALIAS(_Bool, go_rw_trylock, "sync.RWMutex.TryLock", (void *m))
{
    uintptr_t ra = LC_RA();
    _Bool ok = GO_NEXT(go_rw_trylock)(m);
    struct lc_lockset *ls;
    if (ok && GO_ACTIVE() && (ls = gl_get(1)) != NULL)
        lock_end(ls, m, LC_LK_WRITE, GO_LOCK_SITE(ra));
    return ok;
}

GO_WRAPPER_ALIAS(_Bool, go_rw_tryrlock, "sync.RWMutex.TryRLock", (void *m))
{
    uintptr_t ra = LC_RA();
    _Bool ok = GO_NEXT(go_rw_tryrlock)(m);
    struct lc_lockset *ls;
    if (ok && GO_ACTIVE() && (ls = gl_get(1)) != NULL)
        lock_end(ls, m, LC_LK_READ, GO_LOCK_SITE(ra));
    return ok;
}

