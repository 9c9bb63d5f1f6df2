/* gccgo_mutex.c: sync.Mutex and RWMutex ownership. Split-stack code only (gccgo_int.h). */
#ifndef LC_GCCGO_MUTEX_H
#define LC_GCCGO_MUTEX_H
#include <stdint.h>
#include "resolve.h"

void go_mutex_init(void);             /* where RWMutex's own calls to Mutex come from (from go_sync_init) */
void go_mutex_idle(void *g);          /* g parks or exits: give back its lockset if it holds no lock */
/* A Lock of m sleeps (asleep 1, before the semaphore wait) or woke (0, after it): its entry waits, or holds
 * again from now (from the semaphore wrappers, gccgo_sync.c). */
void go_mutex_sleeps(const void *m, int asleep);
extern int go_mutex_used;             /* some goroutine has had a lockset: go_mutex_idle has work to do */
#endif
