/* Locks held per thread, and the lock-order graph.
 *
 * Each tracked thread has a lockset (the locks it holds, in order, with the pc that took each). Locksets are
 * registered so a report can say who holds a lock and where it was taken. Taking a lock while holding others
 * adds an edge "top held lock -> new lock" to a global graph (only the innermost held lock: every edge to the
 * new lock from an outer one is implied by the path through the locks in between, so cycles are the same).
 * A known edge costs one lock-free hash probe; only a new edge pays for a stack, takes the graph lock and looks
 * for a cycle, which is reported as LC_F_LOCK_ORDER with both acquisition sites, whether or not this run
 * deadlocked (unless both of its edges are read locks taken under read locks: readers alone never wait for each
 * other). A thread's cycle is reported at once. A goroutine's waits for the hold it came from to end: Go lets
 * another goroutine unlock a mutex, and edges made under a hold that another goroutine ended are no lock order
 * (lockorder_handed), so the cycle is looked at again once that hold is over (lockset_order_confirm). */
#ifndef LC_LOCKSET_H
#define LC_LOCKSET_H
#include <stddef.h>
#include <stdint.h>
#include "stack.h"

#define LC_HELD_MAX 32

enum lc_lock_mode { LC_LK_MUTEX = 0, LC_LK_READ = 1, LC_LK_WRITE = 2 };

/* A held lock: the lock and, packed in one word (user addresses fit in 56 bits), the mode and the return
 * address into the code that took it. An entry marked LC_HELD_WAITING is a lock its goroutine sleeps waiting for
 * (gccgo lists a lock before the real Lock, and marks it while the Lock sleeps); one marked LC_HELD_RELEASED was released by another goroutine (Go lets any goroutine unlock a
 * sync.Mutex). Neither is held: every query below passes over both. Only a lockset's own task changes its
 * count and moves its entries; another goroutine only sets LC_HELD_RELEASED on an entry, and the owner drops
 * released entries from the top (lockset_trim). */
struct lc_held {
    const void *lock;
    uintptr_t pcmode;
};
#define LC_HELD_PC(h) ((h)->pcmode & ((1ull << 56) - 1))
#define LC_HELD_MODE(h) ((enum lc_lock_mode)(((h)->pcmode >> 56) & 3))
#define LC_HELD_WAITING (4ull << 56)
#define LC_HELD_IS_WAITING(h) (((h)->pcmode & LC_HELD_WAITING) != 0)
#define LC_HELD_RELEASED (8ull << 56)
#define LC_HELD_GONE_BITS (LC_HELD_WAITING | LC_HELD_RELEASED)
#define LC_HELD_GONE(h) (((h)->pcmode & LC_HELD_GONE_BITS) != 0)   /* not held */

struct lc_seen { const void *from, *to; };

/* One cache line while the thread has never held two locks at once (held points at held0; seen and stamp are
 * NULL); its first nesting gives it LC_HELD_MAX of each (lockset_grow). A goroutine's lockset is made grown,
 * stamps included. Other threads read it without a lock (reports: best effort). */
struct lc_lockset {
    uint64_t task_id;
    int32_t tid;              /* kernel thread id; LC_LS_GOROUTINE for a goroutine's lockset */
    uint32_t n;               /* locks held; only the first LC_HELD_MAX are stored */
    struct lc_held *held;     /* &held0, or LC_HELD_MAX of them */
    /* The last edge known to the graph at each depth: a thread repeating the same nesting skips the lookup. */
    struct lc_seen *seen;
    uint64_t *stamp;          /* when each was taken (lc_now_ns() clock, maybe coarse), 0 unknown; goroutines' */
    struct lc_held held0;
};

#define LC_LS_GOROUTINE (-1)
/* The task_id of a pooled lockset: no task's (a running goroutine's id is above 0, a thread's its own). */
#define LC_LS_NOBODY UINT64_MAX

/* The stamp of entry i (when it was taken), 0 unknown (a thread's lockset keeps none). */
static inline uint64_t lockset_hold_stamp(const struct lc_lockset *ls, uint32_t i)
{
    return ls->stamp ? ls->stamp[i] : 0;
}
/* How long ago a hold stamp (lc_now_ns() time) was taken, in ns (0 when unknown). */
uint64_t lockset_stamp_age_ns(uint64_t stamp);

/* A thread's lockset, registered for reports; NULL when out of memory. */
struct lc_lockset *lockset_new(uint64_t task_id, int32_t tid);
/* The thread ended: unregister and free. */
void lockset_free(struct lc_lockset *ls);
/* Empty locksets are pooled, still registered (empty: no report sees them): a task that blocks or ends holding
 * no lock puts its lockset back (it costs its record only while blocked), and the next task that locks takes
 * one, relabelled, or a new one. One pool per kind (a goroutine's lockset comes grown, with stamps). A full
 * pool frees what it is given. */
struct lc_lockset *lockset_take(uint64_t task_id, int32_t tid);
void lockset_put(struct lc_lockset *ls);
/* Room for LC_HELD_MAX locks (held, seen); 0 when out of memory (the lock is then counted, not stored). */
int lockset_grow(struct lc_lockset *ls);
static inline int lockset_grown(const struct lc_lockset *ls) { return __atomic_load_n(&ls->seen, __ATOMIC_ACQUIRE) != NULL; }
/* Locks a lockset has room for: entries below min(n, lockset_cap) are stored. */
static inline uint32_t lockset_cap(const struct lc_lockset *ls) { return lockset_grown(ls) ? LC_HELD_MAX : 1; }

/* Push onto a lockset with room (grown, or empty), calling nothing (gccgo's split-stack wrappers use it). */
static inline void lockset_push_room(struct lc_lockset *ls, const void *lock, enum lc_lock_mode mode, uintptr_t pc,
                                     uint64_t stamp)
{
    uint32_t n = ls->n;
    if (n < LC_HELD_MAX) {
        ls->held[n] = (struct lc_held){ lock, pc | (uintptr_t)mode << 56 };
        if (ls->stamp)
            ls->stamp[n] = stamp;
    }
    __atomic_store_n(&ls->n, n + 1, __ATOMIC_RELEASE);
}
static inline void lockset_push_at(struct lc_lockset *ls, const void *lock, enum lc_lock_mode mode, uintptr_t pc,
                                   uint64_t stamp)
{
    if (ls->n == 0 || lockset_grown(ls) || lockset_grow(ls))
        lockset_push_room(ls, lock, mode, pc, stamp);
    else
        __atomic_store_n(&ls->n, ls->n + 1, __ATOMIC_RELEASE);    /* no room: counted, not stored */
}
static inline void lockset_push(struct lc_lockset *ls, const void *lock, enum lc_lock_mode mode, uintptr_t pc)
{
    lockset_push_at(ls, lock, mode, pc, 0);
}

/* The owner drops the entries other goroutines released from the top of its lockset, calling nothing (gccgo's
 * split-stack wrappers use it). Returns the count left. */
static inline uint32_t lockset_trim(struct lc_lockset *ls)
{
    uint32_t n = ls->n, k = n;
    if (n > LC_HELD_MAX)
        return n;
    while (k && (ls->held[k - 1].pcmode & LC_HELD_RELEASED))
        k--;
    if (k != n)
        __atomic_store_n(&ls->n, k, __ATOMIC_RELEASE);
    return k;
}

/* Remove lock (innermost first). Returns 1 when it was held. */
int lockset_pop_slow(struct lc_lockset *ls, const void *lock);
static inline int lockset_pop(struct lc_lockset *ls, const void *lock)
{
    uint32_t n = ls->n;
    if (__builtin_expect(n && n <= lockset_cap(ls) && ls->held[n - 1].lock == lock, 1)) {
        __atomic_store_n(&ls->n, n - 1, __ATOMIC_RELEASE);
        return 1;
    }
    return lockset_pop_slow(ls, lock);
}

/* Whether the graph has the edge from -> to (lock-free). */
int lockset_edge_known(const void *from, const void *to);
/* Add the edge from the innermost held lock to lock: stack, graph lock, cycle check. */
void lockset_new_edge(struct lc_lockset *ls, const void *lock, enum lc_lock_mode mode);
/* Same, with the acquisition stack captured by site() (the family's own capture), only when the edge can be
 * added. */
void lockset_new_edge_site(struct lc_lockset *ls, const void *lock, enum lc_lock_mode mode, stack_id (*site)(void));
/* Before blocking on lock, or after taking it: whether it makes an edge the graph does not have yet (then call
 * lockset_new_edge). One lock-free probe when locks are held, nothing otherwise. */
static inline int lockset_order_new(struct lc_lockset *ls, const void *lock, enum lc_lock_mode mode)
{
    uint32_t n = ls->n;
    if (__builtin_expect(n == 0 || n > lockset_cap(ls), 0))
        return 0;
    const struct lc_held *top = &ls->held[n - 1];
    if (__builtin_expect(ls->seen && ls->seen[n - 1].from == top->lock && ls->seen[n - 1].to == lock, 1))
        return 0;
    (void)mode;                       /* a read lock under a read lock is an edge too: a writer of either may wait */
    for (uint32_t i = n; i-- > 0;)
        if (ls->held[i].lock == lock)
            return 0;                 /* a relock of one it holds (recursive, or a read under its own read):
                                       * it waits for no other lock's holder, so it orders nothing */
    if (!lockset_edge_known(top->lock, lock))
        return 1;
    if (!lockset_grown(ls) && !lockset_grow(ls))
        return 0;
    ls->seen[n - 1].from = top->lock;
    ls->seen[n - 1].to = lock;
    return 0;
}

/* Goroutines' cycles found since the last call become findings when they still stand (their edges not made
 * under holds another goroutine ended); final (an exit verdict): also those whose hold goes on, else those are
 * kept for later. Before reading the findings; not in a signal handler. */
void lockset_order_confirm(int final);

/* The lock was destroyed: drop its edges (its address may be reused by an unrelated lock). */
void lockset_forget(const void *lock);

/* Locks that vanish without being destroyed: a garbage-collected runtime (gccgo) frees a heap object with its
 * mutex, and the next object at that address is another lock. lockset_static_range gives the program's own
 * variables (writable segments of the loaded modules, never reused), lockset_gc_cycle each collection. A
 * goroutine's edge with a heap lock at one end is then good for the cycle it was last seen in: the memory can
 * only change hands across a collection's start. An older one is left out of cycle searches and made anew
 * when next seen (a nesting repeated by a goroutine from its own cache is not seen again). */
void lockset_static_range(uintptr_t lo, uintptr_t hi);
void lockset_gc_cycle(void);
/* Memory [p, p+n) is freed (free, realloc, delete): a lock in it is gone, as if destroyed (a C++ object's
 * std::mutex, a mutex in calloc'd memory: neither is ever destroyed). Only worth calling once lc_heap_gen is
 * not 0: some lock outside the variables went into the graph. */
void lockset_freed(const void *p, size_t n);
/* The graph's summary of such locks: the span of their addresses (every one is in [lc_heap_lo, lc_heap_hi]),
 * and one bit per hashed cache line of their addresses. */
#define LC_BLOOM_WORDS (1u << 10)
extern uint64_t *volatile lc_heap_bloom;
extern volatile uintptr_t lc_heap_lo, lc_heap_hi;
/* 0 until the summary gains its first lock; then it changes whenever the summary gains one or is cleared: an
 * answer of lockset_may_hold_lock stays good for a block while this reads the same (bits are only added). */
extern volatile uintptr_t lc_heap_gen __attribute__((visibility("hidden")));   /* one load in free() */
static inline uint32_t lockset_line_hash(uintptr_t line) { return (uint32_t)((line * 0x9e3779b97f4a7c15ull) >> 32); }
/* The summary's word and bit for a line's hash h. */
static inline uint64_t *lockset_bloom_word(uint64_t *bloom, uint32_t h)
{
    return &bloom[(h >> 6) & (LC_BLOOM_WORDS - 1)];
}
static inline int lockset_bloom_has(uint64_t *bloom, uint32_t h)
{
    return (int)(__atomic_load_n(lockset_bloom_word(bloom, h), __ATOMIC_RELAXED) >> (h & 63) & 1);
}
/* Whether [p, p+n) may hold such a lock (then call lockset_freed); no false "no". */
static inline int lockset_may_hold_lock(const void *p, size_t n)
{
    uint64_t *bloom = lc_heap_bloom;
    uintptr_t lo = (uintptr_t)p;
    if (!bloom || !n || lo > lc_heap_hi || lo + n <= lc_heap_lo)
        return 0;
    if (n > (1u << 18))
        return 1;                     /* a big block: lockset_freed looks at the locks instead of its lines */
    for (uintptr_t line = lo >> 6, last = (lo + n - 1) >> 6; line <= last; line++)
        if (lockset_bloom_has(bloom, lockset_line_hash(line)))
            return 1;
    return 0;
}

/* ---- queries for reports (read other threads' locksets without stopping them: best effort) ----------------- */
/* A registered thread holding lock: its task id and the pc that took it. Returns 1 when found. */
int lockset_holder(const void *lock, uint64_t *task_id, uintptr_t *pc);
/* Who holds lock, unambiguously (thread ids and goids may coincide): task id, whether it is a goroutine, the
 * pc and stamp of the acquisition. Returns 1 when a registered lockset holds it. */
struct lc_holder { uint64_t task_id; int goroutine; uintptr_t pc; uint64_t stamp; };
int lockset_holder_info(const void *lock, struct lc_holder *out);
/* A goroutine releases a lock (goroutine locksets only; ls is its own, NULL when it has none): its own
 * innermost entry for lock, when it holds one, is marked released and the top trimmed (an overflowed lockset
 * drops one of the locks it did not store); else every other goroutine's entry for lock that is held is marked
 * released. All of them, because a goroutine entering Lock lists the lock before it has it (gccgo_mutex.c)
 * and cannot be told from the holder: a hold may be forgotten, never one kept that is gone. A goroutine's
 * LC_F_LOCK_ORDER note ends in ", goroutines". */
void lockset_release(struct lc_lockset *ls, const void *lock);
/* The pc where task task_id took lock, if it holds it. */
int lockset_site(uint64_t task_id, const void *lock, uintptr_t *pc);
/* Copy of the locks task task_id holds (up to max); returns how many it holds. */
size_t lockset_held_by(uint64_t task_id, struct lc_held *out, size_t max);
/* The ids of the tasks that hold a lock now, as a report sees them (unsorted, at most max stored); returns how
 * many there are. */
size_t lockset_holder_ids(uint64_t *out, size_t max);
/* A one-frame stack for a lock site pc, for findings and reports. */
stack_id lockset_site_stack(uintptr_t pc);

/* Number of edges in the graph (unit tests, verbosity 2). */
size_t lockset_edge_count(void);
/* fork: hold the graph lock and the pool's across it. */
void lockset_lock_all(void);
void lockset_unlock_all(void);
/* Forget the graph and the registry (unit tests). */
void lockset_reset(void);
#endif
