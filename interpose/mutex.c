/* Mutexes and rwlocks: pthread.inc's LOCK and TRYLOCK lines (the try form first, only a lock that would block
 * pays for a stack), pthread_mutex_lock's own fast path, unlock, init and destroy, and a thread's end. Each
 * tells runtime/sync_events.h what happened, with the facts only glibc's lock words give: the owner's tid in
 * pthread_mutex_t.__data.__owner (a writer's in the rwlock's __cur_writer), the mutex kind. They are read only
 * for a lock the caller passes in, which the program must keep valid across the call. Misuse is reported,
 * never corrected: every call returns what glibc returns. */
#include "blocking_call.h"
#include "lifecycle.h"
#include "mutex.h"
#include "pthread_table.h"
#include "../runtime/sync_events.h"
#include <pthread.h>

static LC_TLS struct lc_lockset *my_locks;
LC_REAL_DECL(int, pthread_mutex_lock, (pthread_mutex_t *));
LC_REAL_DECL(int, pthread_mutex_unlock, (pthread_mutex_t *));

/* A thread's first lock call. The fast paths below run only with a lockset, so they call the real functions
 * resolved here without checking. */
static __attribute__((noinline)) struct lc_lockset *locks_init(void)
{
    if (!lc_self || !LC_ACTIVE())
        return NULL;
    LC_ENTER();
    if (LC_REAL(pthread_mutex_lock) && LC_REAL(pthread_mutex_unlock))
        my_locks = lockset_take(lc_self->id, lc_self->tid);
    LC_LEAVE();
    return my_locks;
}

static inline struct lc_lockset *locks(void)
{
    struct lc_lockset *ls = my_locks;
    return __builtin_expect(ls != NULL, 1) ? ls : locks_init();
}

/* A nesting the graph may not have yet. */
static __attribute__((noinline)) void new_edge(struct lc_lockset *ls, const void *lock, enum lc_lock_mode mode)
{
    LC_ENTER();
    struct lc_actor a = LC_THREAD_ACTOR;
    lc_mutex_pre_lock(&a, ls, lock, mode);
    LC_LEAVE();
}

/* The lock was taken (or, contended, is about to be waited for: then only the order edge). */
static inline void taken(const void *lock, enum lc_lock_mode mode, uintptr_t pc, int order)
{
    struct lc_lockset *ls = locks();
    if (!ls)
        return;
    if (order && lockset_order_new(ls, lock, mode))
        new_edge(ls, lock, mode);
    lockset_push(ls, lock, mode, pc);
}

/* A mutex that grants its owner again (recursive) or refuses it (errorcheck: EDEADLK); normal and adaptive
 * ones wait forever. */
static int reentrant(const pthread_mutex_t *m)
{
    int kind = m->__data.__kind & 3;    /* PTHREAD_MUTEX_KIND_MASK_NP */
    return kind != PTHREAD_MUTEX_NORMAL && kind != PTHREAD_MUTEX_ADAPTIVE_NP;
}

/* About to wait for a lock: the order edge, and a relock of a non-recursive mutex by its owner, which never
 * returns (returns 1 then: the caller reports it at once, once marked blocked). */
static __attribute__((noinline)) int contended(const void *lock, enum lc_lock_mode mode, int is_mutex, int order)
{
    struct lc_lockset *ls = locks();
    const pthread_mutex_t *m = lock;
    LC_ENTER();
    struct lc_actor a = LC_THREAD_ACTOR;
    if (order)
        lc_mutex_pre_lock(&a, ls, lock, mode);
    int self = is_mutex && m->__data.__owner == lc_self->tid &&
               lc_lock_self_wait(reentrant(m), LC_LK_MUTEX, mode);
    if (self)
        lc_mutex_self_deadlock(&a, ls, lock, 0, NULL);
    LC_LEAVE();
    return self;
}

#define GOT(r) ((r) == 0 || (r) == EOWNERDEAD)

/* A lock wrapper's body: untracked threads go straight through; else the try form, and only when that would
 * block, the order edge (order 1) and the blocked bracket around the real call. */
#define LOCK_BODY(real, args, pc, tried, what, object, obj, order)                     \
    {                                                                                  \
        if (!lc_self || lc_in_shim)                                                    \
            return LC_REAL(real) args;                                                 \
        int r_ = (tried);                                                              \
        if (r_ != LC_WOULD_BLOCK) {                                                    \
            if (GOT(r_))                                                               \
                taken(obj, PT_MODE_##object, pc, order);                               \
            return r_;                                                                 \
        }                                                                              \
        int self_ = contended(obj, PT_MODE_##object, PT_OBJ_##object == LC_OBJ_MUTEX, order); \
        struct lc_task *t_ = lc_block_begin(what, PT_OBJ_##object, obj);               \
        if (self_)                                                                     \
            lc_deadlock_now(obj);                                                      \
        r_ = LC_REAL(real) args;                                                       \
        lc_block_end(t_);                                                              \
        if (GOT(r_))                                                                   \
            taken(obj, PT_MODE_##object, pc, 0);                                       \
        return r_;                                                                     \
    }

#define PT_LOCK(name, params, args, try, object, arg)                                  \
    LC_REAL_DECL(int, name, params);                                                   \
    LC_EXPORT int name params LOCK_BODY(name, args, LC_RA(), PT_TRIED(try, arg), #name, object, arg, 1)
/* A timed lock: the same without the order edge (its wait ends). */
#define PT_TIMEDLOCK(name, params, args, try, object, arg)                             \
    LC_REAL_DECL(int, name, params);                                                   \
    LC_EXPORT int name params LOCK_BODY(name, args, LC_RA(), PT_TRIED(try, arg), #name, object, arg, 0)

/* A try form called by the program: a lock taken, no order edge (a try never waits). */
#define PT_TRYLOCK(name, params, args, try, object, arg)                               \
    LC_REAL_DECL(int, name, params);                                                   \
    LC_EXPORT int name params                                                          \
    {                                                                                  \
        int r = LC_REAL(name) args;                                                    \
        if (GOT(r) && lc_self && LC_ACTIVE())                                          \
            taken(arg, PT_MODE_##object, LC_RA(), 0);                                  \
        return r;                                                                      \
    }
#define PT_WAIT(...)                    /* pthread.c */
#define PT_CONDWAIT(...)
#define PT_BLOCK(...)
#define PT_JOIN(...)
#include "pthread.inc"
#undef PT_WAIT
#undef PT_CONDWAIT
#undef PT_BLOCK
#undef PT_JOIN

/* pthread_mutex_lock, the hot one. A tracked thread finding the lock word free records the lock as held and
 * tail-calls the real lock: no try form first (a second atomic and glibc's type dispatch) and no frame of ours
 * around the call, nothing of ours once the lock is taken. A free lock word means the real call takes the lock
 * at once and returns 0; the rare lock taken by another thread in the few instructions between the check and
 * the real call is waited for unmarked (shown running, not blocked). A busy word, an untracked thread or a
 * first lock takes the careful path. */
static __attribute__((noinline)) int mutex_lock_careful(pthread_mutex_t *m, uintptr_t pc)
    LOCK_BODY(pthread_mutex_lock, (m), pc, PT_TRIED(BUSY(pthread_mutex_trylock), m), "pthread_mutex_lock", MUTEX, m, 1)

/* Nested (locks held: the order edge), or the careful path. */
static __attribute__((noinline)) int mutex_lock_more(pthread_mutex_t *m, uintptr_t pc)
{
    struct lc_lockset *ls = my_locks;
    if (!ls || lc_in_shim || __atomic_load_n(&m->__data.__lock, __ATOMIC_RELAXED) != 0)
        return mutex_lock_careful(m, pc);
    if (lockset_order_new(ls, m, LC_LK_MUTEX))
        new_edge(ls, m, LC_LK_MUTEX);
    lockset_push(ls, m, LC_LK_MUTEX, pc);
    return LC_REAL(pthread_mutex_lock)(m);
}

LC_EXPORT int pthread_mutex_lock(pthread_mutex_t *m)
{
    struct lc_lockset *ls = my_locks;
    if (__builtin_expect(ls && __atomic_load_n(&m->__data.__lock, __ATOMIC_RELAXED) == 0, 1)) {
        uint32_t n = ls->n;
        /* Outermost (no order edge possible), or nested the way this thread nested last time at this depth
         * (the edge is known). Neither can call back into the shim, so lc_in_shim needs no look here. */
        if (__builtin_expect(n == 0, 1)) {
            ls->held[0] = (struct lc_held){ m, LC_RA() };     /* mode LC_LK_MUTEX is 0 */
            __atomic_store_n(&ls->n, 1, __ATOMIC_RELEASE);
            return real_pthread_mutex_lock(m);                 /* resolved by locks_init */
        }
        if (n < LC_HELD_MAX && ls->seen && ls->seen[n - 1].to == m && ls->seen[n - 1].from == ls->held[n - 1].lock) {
            ls->held[n] = (struct lc_held){ m, LC_RA() };
            __atomic_store_n(&ls->n, n + 1, __ATOMIC_RELEASE);
            return real_pthread_mutex_lock(m);
        }
    }
    return mutex_lock_more(m, LC_RA());
}

/* ---- unlock, init, destroy ------------------------------------------------------------------------------- */

/* Unlock of a mutex that is not this thread's innermost held lock, or by a thread with no lockset yet. */
static __attribute__((noinline)) int unlock_slow(pthread_mutex_t *m)
{
    struct lc_lockset *ls = my_locks;
    if (!ls && lc_self && LC_ACTIVE())
        ls = locks_init();              /* a tracked thread whose first lock call is an unlock */
    if (ls && !lockset_pop_slow(ls, m) && m->__data.__owner != lc_self->tid) {
        /* (an owner of ours: taken before tracking started, by this thread) */
        LC_ENTER();
        struct lc_actor a = LC_THREAD_ACTOR;
        lc_mutex_unlock_unheld(&a, m, m->__data.__owner, lc_self->tid, m->__data.__lock != 0);
        LC_LEAVE();
    }
    return LC_REAL(pthread_mutex_unlock)(m);
}

/* The pop is one store, made before the unlock so that the real unlock is a tail call: measured, popping after
 * it (a frame of ours around the call) costs an uncontended pair more than the store, and a contended one
 * gains nothing. The shim's own locks, if any, are popped or ignored alike. */
LC_EXPORT int pthread_mutex_unlock(pthread_mutex_t *m)
{
    struct lc_lockset *ls = my_locks;
    uint32_t n;
    if (__builtin_expect(ls && (n = ls->n) == 1 && ls->held[0].lock == m, 1)) {
        __atomic_store_n(&ls->n, 0, __ATOMIC_RELEASE);         /* lockset_pop's inline part */
        return real_pthread_mutex_unlock(m);                    /* resolved by locks_init */
    }
    if (ls && n - 1 < LC_HELD_MAX && ls->seen && ls->held[n - 1].lock == m) {
        __atomic_store_n(&ls->n, n - 1, __ATOMIC_RELEASE);
        return real_pthread_mutex_unlock(m);
    }
    return unlock_slow(m);
}

LC_REAL_DECL(int, pthread_rwlock_unlock, (pthread_rwlock_t *));
LC_EXPORT int pthread_rwlock_unlock(pthread_rwlock_t *rw)
{
    struct lc_lockset *ls = my_locks;
    if (ls && !lc_in_shim)
        lockset_pop(ls, rw);
    return LC_REAL(pthread_rwlock_unlock)(rw);
}

/* A (re)initialised or destroyed lock is a new lock as far as the order graph goes. */
static void forget(const void *lock)
{
    if (lc_ready && lockset_edge_count()) {
        LC_ENTER();
        lc_mutex_forget(lock);
        LC_LEAVE();
    }
}

LC_REAL_DECL(int, pthread_mutex_init, (pthread_mutex_t *, const pthread_mutexattr_t *));
LC_EXPORT int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *a)
{
    forget(m);
    return LC_REAL(pthread_mutex_init)(m, a);
}

LC_REAL_DECL(int, pthread_mutex_destroy, (pthread_mutex_t *));
LC_EXPORT int pthread_mutex_destroy(pthread_mutex_t *m)
{
    if (lc_self && LC_ACTIVE() && (m->__data.__lock != 0 || m->__data.__owner != 0)) {
        LC_ENTER();
        struct lc_actor a = LC_THREAD_ACTOR;
        lc_mutex_pre_destroy(&a, m, 1);
        LC_LEAVE();
    }
    int r = LC_REAL(pthread_mutex_destroy)(m);
    if (r == 0)
        forget(m);
    return r;
}

LC_REAL_DECL(int, pthread_rwlock_destroy, (pthread_rwlock_t *));
LC_EXPORT int pthread_rwlock_destroy(pthread_rwlock_t *rw)
{
    int r = LC_REAL(pthread_rwlock_destroy)(rw);
    if (r == 0)
        forget(rw);
    return r;
}

/* ---- thread end ------------------------------------------------------------------------------------------ */

/* Whether this thread still owns a lock its lockset lists (it may have been unlocked by another thread). */
static int still_owned(const struct lc_held *h, int tid)
{
    if (LC_HELD_MODE(h) == LC_LK_MUTEX)
        return ((const pthread_mutex_t *)h->lock)->__data.__owner == tid;
    if (LC_HELD_MODE(h) == LC_LK_WRITE)
        return (int)((const pthread_rwlock_t *)h->lock)->__data.__cur_writer == tid;
    return 1;
}

void lc_locks_idle(void)
{
    struct lc_lockset *ls = my_locks;
    if (ls && ls->n == 0) {
        my_locks = NULL;
        lockset_put(ls);
    }
}

int lc_locks_release(const pthread_mutex_t *m, struct lc_held *was)
{
    struct lc_lockset *ls = my_locks;
    uint32_t n = ls ? ls->n : 0, cap = ls ? lockset_cap(ls) : 0;
    for (uint32_t i = n < cap ? n : cap; i-- > 0;)
        if (ls->held[i].lock == m) {
            *was = ls->held[i];
            lockset_pop_slow(ls, m);
            return 1;
        }
    return 0;
}

void lc_locks_retake(const struct lc_held *was)
{
    const pthread_mutex_t *m = was->lock;
    if (m->__data.__owner != lc_self->tid)
        return;                         /* the wait failed without taking the mutex back */
    struct lc_lockset *ls = locks();
    if (ls)
        lockset_push(ls, m, LC_HELD_MODE(was), LC_HELD_PC(was));
}

int lc_locks_held(void)
{
    return my_locks && my_locks->n && lc_self;
}

void lc_locks_process_exit(stack_id where)
{
    if (!lc_locks_held())
        return;
    lc_in_shim++;
    lc_mutex_exit_holding(my_locks, lc_self, where, still_owned);
    lc_in_shim--;
}

void lc_locks_thread_end(struct lc_task *t, stack_id where)
{
    struct lc_lockset *ls = my_locks;
    if (!ls)
        return;
    my_locks = NULL;
    lc_in_shim++;
    lc_mutex_task_end(ls, t, where, still_owned);
    lc_in_shim--;
}
