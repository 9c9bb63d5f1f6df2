/* Futex mutex (0 free, 1 locked, 2 locked with waiters). Raw syscalls only: nothing here is ever wrapped. */
#include "lock.h"
#include <errno.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* The futex calls keep errno: callers run inside wrappers whose caller must see its own errno. */
static void futex_wait(volatile int32_t *addr, int32_t val, const struct timespec *ts)
{
    int e = errno;
    syscall(SYS_futex, addr, FUTEX_WAIT_PRIVATE, val, ts, NULL, 0);
    errno = e;
}

static void futex_wake(volatile int32_t *addr)
{
    int e = errno;
    syscall(SYS_futex, addr, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
    errno = e;
}

static int lc_trylock(lc_lock_t *l)
{
    int32_t z = 0;
    return __atomic_compare_exchange_n(&l->v, &z, 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

void lc_lock(lc_lock_t *l)
{
    if (lc_trylock(l))
        return;
    for (int spin = 0; spin < 100; spin++) {
        __builtin_ia32_pause();
        if (__atomic_load_n(&l->v, __ATOMIC_RELAXED) == 0 && lc_trylock(l))
            return;
    }
    while (__atomic_exchange_n(&l->v, 2, __ATOMIC_ACQUIRE) != 0)
        futex_wait(&l->v, 2, NULL);
}

/* Like lc_lock, with a deadline. Once it has waited it takes the lock as a waiter does (state 2): a wake-up
 * meant for a sleeping lc_lock caller may be the one that let it in, and the state must still say that someone
 * may be waiting, or that caller is never woken again. A spurious 2 only costs its unlock a futex wake. */
int lc_lock_timed(lc_lock_t *l, int timeout_ms)
{
    if (timeout_ms < 0) {
        lc_lock(l);
        return 1;
    }
    if (lc_trylock(l))
        return 1;
    uint64_t deadline = lc_now_ns() + (uint64_t)timeout_ms * 1000000u;
    while (__atomic_exchange_n(&l->v, 2, __ATOMIC_ACQUIRE) != 0) {
        uint64_t now = lc_now_ns();
        if (now >= deadline)
            return 0;
        uint64_t left = deadline - now;
        if (left > 1000000u)
            left = 1000000u;            /* re-check every millisecond */
        struct timespec ts = { 0, (long)left };
        futex_wait(&l->v, 2, &ts);
    }
    return 1;
}

void lc_unlock(lc_lock_t *l)
{
    if (__atomic_exchange_n(&l->v, 0, __ATOMIC_RELEASE) == 2)
        futex_wake(&l->v);
}

/* The coarse clock (a few ms of resolution) is plenty for "blocked for 2.01s" and costs a fraction of the fine
 * one on paths as hot as a channel ping-pong. */
uint64_t lc_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}
