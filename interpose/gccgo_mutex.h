/* gccgo_mutex.c: sync.Mutex and RWMutex ownership. Split-stack code only (gccgo_int.h). */
#ifndef LC_GCCGO_MUTEX_H
#define LC_GCCGO_MUTEX_H
#include <stdint.h>
#include "resolve.h"

void go_mutex_init(void);             /* where RWMutex's own calls to Mutex come from (from go_sync_init) */
void go_mutex_idle(void *g);          /* g parks or exits: give back its lockset if it holds no lock */
extern int go_mutex_used;             /* some goroutine has had a lockset: go_mutex_idle has work to do */
#endif
