/* POSIX threads: creation, the end of a thread, detach, and the blocking calls of pthread.inc that are not
 * locks (waits, semaphores, joins; locks are in mutex.c). A blocking call first tries its non-blocking form, so
 * the uncontended path costs one extra branch; only a call that would really block pays for a stack and is shown
 * as "blocked in X on O since T". */
#include "blocking_call.h"
#include "lifecycle.h"
#include "mutex.h"
#include "pthread_table.h"
#include "shim_thread.h"
#include "sigmask.h"
#include "../runtime/stack.h"
#include <pthread.h>
#include <semaphore.h>
#include <time.h>
#include <unistd.h>

/* ---- blocking calls: pthread.inc's WAIT, CONDWAIT, BLOCK and JOIN lines --------------------------------------- */

/* A blocking wrapper: forward untracked threads; else try, and only when that would block, bracket the real
 * call with lc_block_begin/lc_block_end. errno is the program's own on every path. */
#define PT_BLOCKING(name, params, args, tried, okind, obj)                             \
    LC_REAL_DECL(int, name, params);                                                   \
    LC_EXPORT int name params                                                          \
    {                                                                                  \
        if (!lc_self || !LC_ACTIVE())                                                  \
            return LC_REAL(name) args;                                                 \
        int e_ = errno, r_ = (tried);                                                  \
        if (r_ != LC_WOULD_BLOCK)                                                      \
            return r_;                                                                 \
        errno = e_;                                                                    \
        struct lc_task *t_ = lc_block_begin(#name, okind, (const void *)(obj));        \
        r_ = LC_REAL(name) args;                                                       \
        lc_block_end(t_);                                                              \
        return r_;                                                                     \
    }
#define PT_WAIT(name, params, args, try, object, arg) \
    PT_BLOCKING(name, params, args, LC_WOULD_BLOCK, LC_OBJ_##object, arg)
#define PT_BLOCK(name, params, args, try, object, arg) \
    PT_BLOCKING(name, params, args, PT_TRIED(try, arg), LC_OBJ_##object, arg)

/* A condition wait: the mutex is not held while the thread waits (so a thread blocked holding nothing else
 * gives back its lockset), and held again once the wait returns with it. */
#define PT_CONDWAIT(name, params, args, mutex, object, arg)                            \
    LC_REAL_DECL(int, name, params);                                                   \
    LC_EXPORT int name params                                                          \
    {                                                                                  \
        if (!lc_self || !LC_ACTIVE())                                                  \
            return LC_REAL(name) args;                                                 \
        struct lc_held was_;                                                           \
        int held_ = lc_locks_release(mutex, &was_);                                    \
        struct lc_task *t_ = lc_block_begin(#name, LC_OBJ_##object, (const void *)(arg)); \
        int r_ = LC_REAL(name) args;                                                   \
        lc_block_end(t_);                                                              \
        if (held_) {                                                                   \
            int e_ = errno;                                                            \
            lc_locks_retake(&was_);                                                    \
            errno = e_;                                                                \
        }                                                                              \
        return r_;                                                                     \
    }

/* Join family: the try form first; a completed join reaps the joined thread's record (only that generation:
 * the handle may already name a new thread). */
#define PT_JOIN(name, params, args, try, object, arg)                                  \
    LC_REAL_DECL(int, name, params);                                                   \
    LC_EXPORT int name params                                                          \
    {                                                                                  \
        if (!lc_ready || lc_is_go)                                                     \
            return LC_REAL(name) args;                                                 \
        uint64_t gen_ = task_gen((uint64_t)arg);                                       \
        int r_ = PT_TRIED(try, th, ret);                                               \
        if (r_ == LC_WOULD_BLOCK) {                                                    \
            struct lc_task *t_ = lc_block_begin("pthread_join", LC_OBJ_##object, (void *)arg); \
            r_ = LC_REAL(name) args;                                                   \
            lc_block_end(t_);                                                          \
        }                                                                              \
        if (r_ == 0 && gen_)                                                           \
            task_reap((uint64_t)arg, gen_);                                            \
        return r_;                                                                     \
    }
#define PT_LOCK(...)                    /* mutex.c */
#define PT_TRYLOCK(...)
#define PT_TIMEDLOCK(...)
#include "pthread.inc"
#undef PT_LOCK
#undef PT_TRYLOCK
#undef PT_TIMEDLOCK

/* ---- creation and end ---------------------------------------------------------------------------------- */

static pthread_key_t exit_key;
static pthread_once_t exit_key_once = PTHREAD_ONCE_INIT;
static LC_TLS stack_id exit_site;       /* where pthread_exit was called, when it was */

static LC_TLS int end_deferred;

/* Runs as the thread ends (return, pthread_exit or cancellation): TLS destructors run on every path. The key is
 * made at the first pthread_create, so its destructor comes before those of keys the program makes later: the
 * first call sets the value again and returns, and glibc goes round once more (it repeats while values are
 * set, up to PTHREAD_DESTRUCTOR_ITERATIONS), after the program's own destructors of this round have run (one
 * that unlocks a mutex the thread still holds, say). */
static void on_thread_end(void *p)
{
    if (!end_deferred) {
        end_deferred = 1;
        if (pthread_setspecific(exit_key, p) == 0)
            return;
    }
    end_deferred = 0;
    lc_locks_thread_end((struct lc_task *)p, exit_site);
    lc_self = NULL;
    task_exit((struct lc_task *)p, exit_site);
    stack_thread_end();
    shim_thread_ended();
}

static void make_exit_key(void)
{
    pthread_key_create(&exit_key, on_thread_end);
}

/* The new thread's start. Its argument is its record (made by the creator, so a join can never miss it), which
 * holds the start routine and its argument, with two facts from the creator in the low bits (records are
 * 64-byte aligned): bit 0 its view of the mask (sigmask.h), bits 1-5 the stack's size class (start_word). */
#define START_CLASS_SHIFT 13
static void *start_word(struct lc_task *t, const pthread_attr_t *attr)
{
    size_t size = 0;
    pthread_attr_t d;
    if (attr)
        pthread_attr_getstacksize(attr, &size);    /* glibc's default when the program set none */
    else if (pthread_attr_init(&d) == 0) {          /* (a fresh one has none: the default, no allocation) */
        pthread_attr_getstacksize(&d, &size);
        pthread_attr_destroy(&d);
    }
    /* the size rounded down to a power of two, 2^(class + 13); class 0: not known */
    int k = size ? 63 - __builtin_clzll((unsigned long long)size) - START_CLASS_SHIFT : 0;
    uintptr_t class = k < 1 ? 0 : k > 31 ? 31 : (uintptr_t)k;
    return (void *)((uintptr_t)t | class << 1 | (sigmask_view_get() != 0));
}

static void *trampoline(void *p)
{
    struct lc_task *t = (struct lc_task *)((uintptr_t)p & ~(uintptr_t)63);
    unsigned class = (unsigned)((uintptr_t)p >> 1 & 31);
    void *(*fn)(void *) = (void *(*)(void *))t->start_fn;
    void *arg = t->start_arg;
    t->start_arg = NULL;
    t->tid = gettid();
    lc_self = t;
    sigmask_view_set((int)((uintptr_t)p & 1));
    lc_thread_stack(class ? (size_t)1 << (class + START_CLASS_SHIFT) : 0);
    pthread_setspecific(exit_key, t);
    return fn(arg);
}

LC_REAL_DECL(int, pthread_create, (pthread_t *, const pthread_attr_t *, void *(*)(void *), void *));
LC_EXPORT int pthread_create(pthread_t *th, const pthread_attr_t *attr, void *(*fn)(void *), void *arg)
{
    if (lc_is_go || !LC_ACTIVE())      /* libgo's threads are the runtime's: none counted */
        return LC_REAL(pthread_create)(th, attr, fn, arg);
    LC_ENTER();
    pthread_once(&exit_key_once, make_exit_key);
    /* Keyed provisionally until the handle is known; flagged so its end cannot free it meanwhile. */
    struct lc_task *t = task_new(LC_THREAD, 0, lc_self, (void *)fn, stack_capture(1));
    if (t) {
        int ds = PTHREAD_CREATE_JOINABLE;
        t->start_arg = arg;
        if (attr && pthread_attr_getdetachstate(attr, &ds) == 0 && ds == PTHREAD_CREATE_DETACHED)
            task_set_flag(t, LC_TF_DETACHED, 1);
    }
    LC_LEAVE();
    if (t)
        shim_thread_created();          /* counted before it can end; the shim's thread starts if it must */
    void *targ = t ? start_word(t, attr) : arg;
    int r = LC_REAL(pthread_create)(th, attr, t ? trampoline : fn, targ);
    if (t) {
        int e = errno;
        if (r == 0) {
            task_rekey(t, (uint64_t)*th);
        } else {
            task_remove(t);
            shim_thread_ended();
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
    if (lc_ready && gettid() == getpid())
        shim_thread_ended();            /* the main thread's end: the others' is on_thread_end */
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

/* ---- pthread_tryjoin_np: a completed join reaps ------------------------------------------------------- */

LC_REAL_DECL(int, pthread_tryjoin_np, (pthread_t, void **));
LC_EXPORT int pthread_tryjoin_np(pthread_t th, void **ret)
{
    uint64_t gen = lc_ready && !lc_is_go ? task_gen((uint64_t)th) : 0;
    int r = LC_REAL(pthread_tryjoin_np)(th, ret);
    if (r == 0 && gen)
        task_reap((uint64_t)th, gen);
    return r;
}
