/* Mutexes and rwlocks: blocking (as pthread.c's WRAP_BLOCKING: the try form first, only a lock that would block
 * pays for a stack), the locks each thread holds, lock-order edges, and misuse: unlock of a mutex not owned or
 * not locked, destroy of a locked mutex, relock by the owner of a non-recursive mutex (self-deadlock), a thread
 * ending with locks held. Misuse is reported, never corrected: every call returns what glibc returns.
 * glibc keeps the owner's tid in pthread_mutex_t.__data.__owner and a writer's in the rwlock's __cur_writer:
 * read only for a mutex the caller passes in, which the program must keep valid across the call. */
#include "blocking_call.h"
#include "lifecycle.h"
#include "mutex.h"
#include "../runtime/finding.h"
#include "../runtime/lockset.h"
#include "../runtime/stack.h"
#include <pthread.h>
#include <stdio.h>
#include <time.h>

#define RET_PC() ((uintptr_t)__builtin_return_address(0))
typedef const struct timespec *ts_t;

static LC_TLS struct lc_lockset *my_locks;

static __attribute__((noinline)) struct lc_lockset *locks_init(void)
{
    if (!lc_self || !LC_ACTIVE())
        return NULL;
    LC_ENTER();
    my_locks = lockset_new(lc_self->id, lc_self->tid);
    LC_LEAVE();
    return my_locks;
}

static inline struct lc_lockset *locks(void)
{
    struct lc_lockset *ls = my_locks;
    return __builtin_expect(ls != NULL, 1) ? ls : locks_init();
}

static __attribute__((noinline)) void new_edge(struct lc_lockset *ls, const void *lock, enum lc_lock_mode mode)
{
    LC_ENTER();
    lockset_new_edge(ls, lock, mode);
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

static stack_id holder_site(const void *lock, uint64_t *holder)
{
    uintptr_t pc = 0;
    *holder = 0;
    return lockset_holder(lock, holder, &pc) ? lockset_site_stack(pc) : 0;
}

static int mutex_type(const pthread_mutex_t *m)
{
    return m->__data.__kind & 3;        /* PTHREAD_MUTEX_KIND_MASK_NP: normal, recursive, errorcheck, adaptive */
}

/* About to wait for a lock: record the order edge, and catch a relock of a non-recursive mutex by its owner,
 * which never returns (returns 1 then: the caller reports it at once, once marked blocked). */
static __attribute__((noinline)) int contended(const void *lock, enum lc_lock_mode mode, int is_mutex)
{
    struct lc_lockset *ls = locks();
    if (ls && lockset_order_new(ls, lock, mode))
        new_edge(ls, lock, mode);
    const pthread_mutex_t *m = lock;
    if (!is_mutex || m->__data.__owner != lc_self->tid)
        return 0;
    int type = mutex_type(m);
    if (type != PTHREAD_MUTEX_NORMAL && type != PTHREAD_MUTEX_ADAPTIVE_NP)
        return 0;                       /* recursive: no wait; errorcheck: EDEADLK */
    LC_ENTER();
    uintptr_t pc = 0;
    stack_id first = ls && lockset_site(ls->task_id, lock, &pc) ? lockset_site_stack(pc) : 0;
    finding_add(LC_F_SELF_DEADLOCK, lock, stack_capture(2), lc_self->id, first, lc_self->id, NULL);
    LC_LEAVE();
    return 1;
}

#define WOULD_BLOCK (-0x1eac)
#define TRY(expr) ({ int r__ = (expr); r__ == EBUSY ? WOULD_BLOCK : r__; })
#define GOT(r) ((r) == 0 || (r) == EOWNERDEAD)

/* A lock wrapper: untracked threads go straight through; else the try form, and only when that would block,
 * the order edge and the blocked bracket around the real call. */
#define WRAP_LOCK(name, params, ...) WRAP_LOCK_(LC_EXPORT, name, name, params, params, RET_PC(), __VA_ARGS__)
#define WRAP_LOCK_(linkage, name, real, params, rparams, pc, args, try_expr, what, okind, mode, obj) \
    LC_REAL_DECL(int, real, rparams);                                                  \
    linkage int name params                                                            \
    {                                                                                  \
        if (!lc_self || lc_in_shim)                                                    \
            return LC_REAL(real) args;                                                 \
        int r_ = (try_expr);                                                           \
        if (r_ != WOULD_BLOCK) {                                                       \
            if (GOT(r_))                                                               \
                taken(obj, mode, pc, 1);                                               \
            return r_;                                                                 \
        }                                                                              \
        int self_ = contended(obj, mode, okind == LC_OBJ_MUTEX);                       \
        struct lc_task *t_ = lc_block_begin(what, okind, obj);                         \
        if (self_)                                                                     \
            lc_deadlock_now(obj);                                                      \
        r_ = LC_REAL(real) args;                                                       \
        lc_block_end(t_);                                                              \
        if (GOT(r_))                                                                   \
            taken(obj, mode, pc, 0);                                                   \
        return r_;                                                                     \
    }

/* A try form called by the program: a lock taken, no order edge (a try never waits). */
#define WRAP_TRY(name, T, mode)                                                        \
    LC_REAL_DECL(int, name, (T *));                                                    \
    LC_EXPORT int name(T *l)                                                           \
    {                                                                                  \
        int r = LC_REAL(name)(l);                                                      \
        if (GOT(r) && lc_self && LC_ACTIVE())                                          \
            taken(l, mode, RET_PC(), 0);                                               \
        return r;                                                                      \
    }

WRAP_TRY(pthread_mutex_trylock, pthread_mutex_t, LC_LK_MUTEX)
WRAP_TRY(pthread_rwlock_tryrdlock, pthread_rwlock_t, LC_LK_READ)
WRAP_TRY(pthread_rwlock_trywrlock, pthread_rwlock_t, LC_LK_WRITE)
#define TRY_MUTEX(m) TRY(LC_REAL(pthread_mutex_trylock)(m))
#define TRY_RD(rw) TRY(LC_REAL(pthread_rwlock_tryrdlock)(rw))
#define TRY_WR(rw) TRY(LC_REAL(pthread_rwlock_trywrlock)(rw))
#define M LC_OBJ_MUTEX, LC_LK_MUTEX
#define RD LC_OBJ_RWLOCK, LC_LK_READ
#define WR LC_OBJ_RWLOCK, LC_LK_WRITE
typedef pthread_mutex_t mtx_t;
typedef pthread_rwlock_t rw_t;


/* pthread_mutex_lock, the hot one. A tracked thread finding the lock word free records the lock as held and
 * tail-calls the real lock: no try form first (a second atomic and glibc's type dispatch) and no frame of ours
 * around the call. A free lock word means the real call takes the lock at once and returns 0; the rare lock
 * taken by another thread in the few instructions between the check and the real call is waited for unmarked
 * (shown running, not blocked). A busy word, an untracked thread or a first lock takes the careful path. */
#define CAREFUL static __attribute__((noinline))
WRAP_LOCK_(CAREFUL, mutex_lock_careful, pthread_mutex_lock, (mtx_t *m, uintptr_t pc), (mtx_t *), pc, (m),
           TRY_MUTEX(m), "pthread_mutex_lock", LC_OBJ_MUTEX, LC_LK_MUTEX, m)
/* Nested (locks held: the order edge), or the careful path. */
static __attribute__((noinline)) int mutex_lock_more(mtx_t *m, uintptr_t pc)
{
    struct lc_lockset *ls = my_locks;
    if (!ls || lc_in_shim || __atomic_load_n(&m->__data.__lock, __ATOMIC_RELAXED) != 0)
        return mutex_lock_careful(m, pc);
    if (lockset_order_new(ls, m, LC_LK_MUTEX))
        new_edge(ls, m, LC_LK_MUTEX);
    lockset_push(ls, m, LC_LK_MUTEX, pc);
    return LC_REAL(pthread_mutex_lock)(m);
}

LC_EXPORT int pthread_mutex_lock(mtx_t *m)
{
    struct lc_lockset *ls = my_locks;
    if (__builtin_expect(ls && __atomic_load_n(&m->__data.__lock, __ATOMIC_RELAXED) == 0, 1)) {
        uint32_t n = ls->n;
        /* Outermost (no order edge possible), or nested the way this thread nested last time at this depth
         * (the edge is known). Neither can call back into the shim, so lc_in_shim needs no look here. */
        if (n == 0 || (n < LC_HELD_MAX && ls->seen[n - 1].to == m && ls->seen[n - 1].from == ls->held[n - 1].lock)) {
            ls->held[n] = (struct lc_held){ m, RET_PC() };     /* mode LC_LK_MUTEX is 0 */
            __atomic_store_n(&ls->n, n + 1, __ATOMIC_RELEASE);
            return LC_REAL(pthread_mutex_lock)(m);
        }
    }
    return mutex_lock_more(m, RET_PC());
}

WRAP_LOCK(pthread_mutex_timedlock, (mtx_t *m, ts_t ts), (m, ts), TRY_MUTEX(m), "pthread_mutex_timedlock", M, m)
WRAP_LOCK(pthread_mutex_clocklock, (mtx_t *m, clockid_t c, ts_t ts), (m, c, ts), TRY_MUTEX(m),
          "pthread_mutex_clocklock", M, m)
WRAP_LOCK(pthread_rwlock_rdlock, (rw_t *rw), (rw), TRY_RD(rw), "pthread_rwlock_rdlock", RD, rw)
WRAP_LOCK(pthread_rwlock_wrlock, (rw_t *rw), (rw), TRY_WR(rw), "pthread_rwlock_wrlock", WR, rw)
WRAP_LOCK(pthread_rwlock_timedrdlock, (rw_t *rw, ts_t ts), (rw, ts), TRY_RD(rw), "pthread_rwlock_timedrdlock", RD, rw)
WRAP_LOCK(pthread_rwlock_timedwrlock, (rw_t *rw, ts_t ts), (rw, ts), TRY_WR(rw), "pthread_rwlock_timedwrlock", WR, rw)
WRAP_LOCK(pthread_rwlock_clockrdlock, (rw_t *rw, clockid_t c, ts_t ts), (rw, c, ts), TRY_RD(rw),
          "pthread_rwlock_clockrdlock", RD, rw)
WRAP_LOCK(pthread_rwlock_clockwrlock, (rw_t *rw, clockid_t c, ts_t ts), (rw, c, ts), TRY_WR(rw),
          "pthread_rwlock_clockwrlock", WR, rw)

/* ---- unlock, init, destroy ------------------------------------------------------------------------------- */

/* Unlock of a mutex this thread's lockset does not have: not locked at all, or locked by another thread (a
 * lock taken before tracking started, by this thread, is fine). */
static __attribute__((noinline)) void unlock_unheld(const pthread_mutex_t *m)
{
    int owner = m->__data.__owner;
    if (owner == lc_self->tid)
        return;
    LC_ENTER();
    uint64_t holder;
    if (owner == 0 && m->__data.__lock == 0) {
        finding_add(LC_F_UNLOCK_UNLOCKED, m, stack_capture(1), lc_self->id, 0, 0, NULL);
    } else if (owner != 0) {
        stack_id site = holder_site(m, &holder);
        char note[32];
        snprintf(note, sizeof note, "owner tid %d", owner);
        finding_add(LC_F_MUTEX_NOT_OWNER, m, stack_capture(1), lc_self->id, site, holder, note);
    }
    LC_LEAVE();
}

LC_REAL_DECL(int, pthread_mutex_unlock, (pthread_mutex_t *));
LC_EXPORT int pthread_mutex_unlock(pthread_mutex_t *m)
{
    struct lc_lockset *ls = my_locks;
    if (__builtin_expect(ls == NULL, 0) && lc_self && LC_ACTIVE())
        ls = locks_init();              /* a tracked thread whose first lock call is an unlock */
    if (ls && !lockset_pop(ls, m))      /* (the shim's own locks, if any, are popped or ignored alike) */
        unlock_unheld(m);
    return LC_REAL(pthread_mutex_unlock)(m);
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
        lockset_forget(lock);
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
        uint64_t holder;
        stack_id site = holder_site(m, &holder);
        finding_add(LC_F_MUTEX_DESTROY_LOCKED, m, stack_capture(1), lc_self->id, site, holder, NULL);
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
static int still_owned(const struct lc_held *h, pid_t tid)
{
    if (LC_HELD_MODE(h) == LC_LK_MUTEX)
        return ((const pthread_mutex_t *)h->lock)->__data.__owner == tid;
    if (LC_HELD_MODE(h) == LC_LK_WRITE)
        return (pid_t)((const pthread_rwlock_t *)h->lock)->__data.__cur_writer == tid;
    return 1;
}

void lc_locks_thread_end(struct lc_task *t, stack_id where)
{
    struct lc_lockset *ls = my_locks;
    if (!ls)
        return;
    my_locks = NULL;
    lc_in_shim++;
    if (!where && t->start_fn)
        where = lockset_site_stack((uintptr_t)t->start_fn + 1);   /* returned from its start routine */
    for (uint32_t i = 0; i < ls->n && i < LC_HELD_MAX; i++) {
        const struct lc_held *h = &ls->held[i];
        if (still_owned(h, t->tid))
            finding_add(LC_F_EXIT_HOLDING_LOCK, h->lock, where, t->id, lockset_site_stack(LC_HELD_PC(h)), t->id,
                        LC_HELD_MODE(h) == LC_LK_READ ? "read lock" : NULL);
    }
    lockset_free(ls);
    lc_in_shim--;
}
