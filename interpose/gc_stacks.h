/* The reader's stack helpers (gc_stacks.c), for the walk in gc_goroutines.c. */
#ifndef LC_GC_STACKS_H
#define LC_GC_STACKS_H
#include "gc_goroutines.h"

/* How many frames at the top of pcs are the runtime's and the standard library's (the program's call is below
 * them); *sync gets the GC_PCF_MUTEX/RWR/RWW/WG flags of the sync calls met on the way. */
int gc_runtime_top(struct gc_reader *r, const uintptr_t *pcs, int n, unsigned *sync);
/* Whether a goroutine started at startpc is one of the runtime's own (Go's isSystemGoroutine rule). */
int gc_is_system_start(struct gc_reader *r, uint64_t startpc);
#endif
