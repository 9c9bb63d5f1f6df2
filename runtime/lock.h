/* Internal locks: futex-based, never call a wrapped function, usable before init. */
#ifndef LC_LOCK_H
#define LC_LOCK_H
#include <stdint.h>

typedef struct { volatile int32_t v; } lc_lock_t;
#define LC_LOCK_INIT { 0 }

void lc_lock(lc_lock_t *l);
void lc_unlock(lc_lock_t *l);
/* Try for up to timeout_ms (< 0: wait as lc_lock does); returns 1 when taken. Used on exit/report paths that
 * must not hang. */
int lc_lock_timed(lc_lock_t *l, int timeout_ms);

/* Monotonic nanoseconds (vDSO clock_gettime; not wrapped). */
uint64_t lc_now_ns(void);
#endif
