/* The gc family (Go built by the standard toolchain): start-up and the refresh before a report. */
#ifndef LC_GC_FAMILY_H
#define LC_GC_FAMILY_H
#include "gc_binary.h"
#include "gc_goroutines.h"

enum { LC_GC_NOT_GO = 0, LC_GC_ON, LC_GC_REFUSED };

/* In the constructor, first: whether the program is gc-built Go, and if so set the family up. LC_GC_REFUSED:
 * it is, but cannot be read (one line said why at verbosity >= 1); the shim then stays out of its way. */
int lc_gc_start(void);
int lc_gc_active(void);
/* The executable, when the family is on. */
const struct gc_bin *lc_gc_binary(void);

/* ---- gc_sync.c: the family's task source -------------------------------------------------------------- */
void gc_sync_setup(const struct gc_bin *bin, struct gc_mem *mem, struct gc_reader *reader);
/* Read every goroutine for the task table. sample: a report follows (the threads running goroutines are stopped
 * for their stacks, and goroutines not filed yet go to the snapshot's stash instead of the table); else the
 * exit's grace period (gc_tasks.h: GC_SYNC_COUNT). Returns how many user goroutines still run, -1 when the
 * runtime's table cannot be read. */
int gc_sync(uint64_t exiting_g, int sample);
/* The same for the shim thread's slow tick (not exiting, no sampling), given up for a request made meanwhile
 * (-1 then). */
int gc_sync_tick(void);
#endif
