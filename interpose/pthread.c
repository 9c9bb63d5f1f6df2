/* POSIX threads: creation, the end of a thread, join/detach, and every blocking synchronisation call.
 * A blocking call first tries its non-blocking form, so the uncontended path costs one extra branch; only a
 * call that would really block pays for a stack and is shown as "blocked in X on O since T". */
#include "blocking_call.h"
#include "lifecycle.h"
#include "mutex.h"
#include "../runtime/alloc.h"
#include "../runtime/stack.h"
#include <pthread.h>
#include <semaphore.h>
#include <time.h>
#include <unistd.h>

#define WOULD_BLOCK (-0x1eac)           /* try form says: the real call would block */
#define TRY_SEM(expr) ({ int r__ = (expr); r__ == 0 ? 0 : errno == EAGAIN ? WOULD_BLOCK : r__; })

/* A blocking wrapper: forward untracked threads; else try, and only when that would block, bracket the real
 * call with lc_block_begin/lc_block_end. errno is the program's own on every path. */
#define WRAP_BLOCKING(name, params, args, try_expr, what, okind, obj)                 \
    LC_REAL_DECL(int, name, params);                                                   \
    LC_EXPORT int name params                                                          \
    {                                                                                  \
        if (!lc_self || !LC_ACTIVE())                                                  \
            return LC_REAL(name) args;                                                 \
        int e_ = errno, r_ = (try_expr);                                               \
        if (r_ != WOULD_BLOCK)                                                         \
            return r_;                                                                 \
        errno = e_;                                                                    \
        struct lc_task *t_ = lc_block_begin(what, okind, obj);                         \
        r_ = LC_REAL(name) args;                                                       \
        lc_block_end(t_);                                                              \
        return r_;                                                                     \
    }

LC_REAL_DECL(int, sem_trywait, (sem_t *));
#define TRY_SEMW(s) TRY_SEM(LC_REAL(sem_trywait)(s))
typedef const struct timespec *ts_t;

/* Mutexes and rwlocks are in mutex.c (they also track the locks each thread holds). */
WRAP_BLOCKING(pthread_cond_wait, (pthread_cond_t *c, pthread_mutex_t *m), (c, m), WOULD_BLOCK,
              "pthread_cond_wait", LC_OBJ_COND, c)
WRAP_BLOCKING(pthread_cond_timedwait, (pthread_cond_t *c, pthread_mutex_t *m, ts_t ts), (c, m, ts), WOULD_BLOCK,
              "pthread_cond_timedwait", LC_OBJ_COND, c)
WRAP_BLOCKING(pthread_cond_clockwait, (pthread_cond_t *c, pthread_mutex_t *m, clockid_t k, ts_t ts),
              (c, m, k, ts), WOULD_BLOCK, "pthread_cond_clockwait", LC_OBJ_COND, c)
WRAP_BLOCKING(pthread_barrier_wait, (pthread_barrier_t *b), (b), WOULD_BLOCK, "pthread_barrier_wait",
              LC_OBJ_BARRIER, b)
WRAP_BLOCKING(sem_wait, (sem_t *s), (s), TRY_SEMW(s), "sem_wait", LC_OBJ_SEM, s)
WRAP_BLOCKING(sem_timedwait, (sem_t *s, ts_t ts), (s, ts), TRY_SEMW(s), "sem_timedwait", LC_OBJ_SEM, s)
WRAP_BLOCKING(sem_clockwait, (sem_t *s, clockid_t c, ts_t ts), (s, c, ts), TRY_SEMW(s), "sem_clockwait",
              LC_OBJ_SEM, s)

/* ---- creation and end ---------------------------------------------------------------------------------- */

struct start {
    void *(*fn)(void *);
    void *arg;
    struct lc_task *task;               /* made by the creator, so a join can never miss it */
};

static pthread_key_t exit_key;
static pthread_once_t exit_key_once = PTHREAD_ONCE_INIT;
static LC_TLS stack_id exit_site;       /* where pthread_exit was called, when it was */

/* Runs as the thread ends (return, pthread_exit or cancellation): TLS destructors run on every path. */
static void on_thread_end(void *p)
{
    lc_locks_thread_end((struct lc_task *)p, exit_site);
    lc_self = NULL;
    task_exit((struct lc_task *)p, exit_site);
}

static void make_exit_key(void)
{
    pthread_key_create(&exit_key, on_thread_end);
}

static void *trampoline(void *p)
{
    struct start s = *(struct start *)p;
    lc_free(p);
    s.task->tid = gettid();
    lc_self = s.task;
    pthread_setspecific(exit_key, s.task);
    return s.fn(s.arg);
}

LC_REAL_DECL(int, pthread_create, (pthread_t *, const pthread_attr_t *, void *(*)(void *), void *));
LC_EXPORT int pthread_create(pthread_t *th, const pthread_attr_t *attr, void *(*fn)(void *), void *arg)
{
    if (lc_is_go || !LC_ACTIVE())
        return LC_REAL(pthread_create)(th, attr, fn, arg);
    LC_ENTER();
    pthread_once(&exit_key_once, make_exit_key);
    struct start *s = lc_calloc(1, sizeof *s);
    struct lc_task *t = NULL;
    if (s) {
        s->fn = fn;
        s->arg = arg;
        /* Keyed provisionally until the handle is known; flagged so its end cannot free it meanwhile. */
        t = s->task = task_new(LC_THREAD, 0, lc_self, (void *)fn, stack_capture(1));
        if (t) {
            int ds = PTHREAD_CREATE_JOINABLE;
            if (attr && pthread_attr_getdetachstate(attr, &ds) == 0 && ds == PTHREAD_CREATE_DETACHED)
                task_set_flag(t, LC_TF_DETACHED, 1);
        } else {
            lc_free(s);
            s = NULL;
        }
    }
    LC_LEAVE();
    int r = LC_REAL(pthread_create)(th, attr, s ? trampoline : fn, s ? (void *)s : arg);
    if (t) {
        int e = errno;
        if (r == 0) {
            task_rekey(t, (uint64_t)*th);
        } else {
            lc_free(s);
            task_remove(t);
        }
        errno = e;
    }
    return r;
}

LC_REAL_DECL(void, pthread_exit, (void *));
LC_EXPORT void pthread_exit(void *ret)
{
    if (lc_self && LC_ACTIVE()) {
        LC_ENTER();
        exit_site = stack_capture(1);
        LC_LEAVE();
    }
    LC_REAL(pthread_exit)(ret);
    __builtin_unreachable();
}

LC_REAL_DECL(int, pthread_detach, (pthread_t));
LC_EXPORT int pthread_detach(pthread_t th)
{
    int r = LC_REAL(pthread_detach)(th);
    if (r == 0 && lc_ready && !lc_is_go) {
        if (lc_self && pthread_equal(th, pthread_self()))
            task_set_flag(lc_self, LC_TF_DETACHED, 1);  /* its record may not carry its handle yet */
        else
            task_detach((uint64_t)th);
    }
    return r;
}

/* ---- join ------------------------------------------------------------------------------------------------ */

LC_REAL_DECL(int, pthread_tryjoin_np, (pthread_t, void **));
/* Join family: the try form first; a completed join reaps the joined thread's record (only that generation:
 * the handle may already name a new thread). */
#define WRAP_JOIN(name, params, args)                                                  \
    LC_REAL_DECL(int, name, params);                                                   \
    LC_EXPORT int name params                                                          \
    {                                                                                  \
        if (!lc_ready || lc_is_go)                                                     \
            return LC_REAL(name) args;                                                 \
        uint64_t gen_ = task_gen((uint64_t)th);                                        \
        int r_ = LC_REAL(pthread_tryjoin_np)(th, ret);                                 \
        if (r_ == EBUSY) {                                                             \
            struct lc_task *t_ = lc_block_begin("pthread_join", LC_OBJ_THREAD, (void *)th); \
            r_ = LC_REAL(name) args;                                                   \
            lc_block_end(t_);                                                          \
        }                                                                              \
        if (r_ == 0 && gen_)                                                           \
            task_reap((uint64_t)th, gen_);                                             \
        return r_;                                                                     \
    }

WRAP_JOIN(pthread_join, (pthread_t th, void **ret), (th, ret))
WRAP_JOIN(pthread_timedjoin_np, (pthread_t th, void **ret, ts_t ts), (th, ret, ts))
WRAP_JOIN(pthread_clockjoin_np, (pthread_t th, void **ret, clockid_t c, ts_t ts), (th, ret, c, ts))

LC_EXPORT int pthread_tryjoin_np(pthread_t th, void **ret)
{
    uint64_t gen = lc_ready && !lc_is_go ? task_gen((uint64_t)th) : 0;
    int r = LC_REAL(pthread_tryjoin_np)(th, ret);
    if (r == 0 && gen)
        task_reap((uint64_t)th, gen);
    return r;
}
