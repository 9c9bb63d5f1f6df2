/* gccgo.c: goroutines (spawn, exit, park) and the pending operation a wrapper leaves for the park that may
 * follow. Split-stack code only (gccgo_int.h). */
#ifndef LC_GCCGO_H
#define LC_GCCGO_H
#include <stdint.h>
#include "resolve.h"
#include "gccgo_libgo.h"
#include "../runtime/task.h"

/* A recent lc_now_ns() time, refreshed by every tracked park and spawn (which read the clock anyway): a cheap
 * lower bound on now for stamps taken on hot paths (when a sync.Mutex was locked); 0 before the first. */
extern uint64_t go_clock_ns __attribute__((visibility("hidden")));
static inline uint64_t go_clock(void) { return __atomic_load_n(&go_clock_ns, __ATOMIC_RELAXED); }
uint64_t go_cur_id(void);             /* goid of the running goroutine, 0 outside goroutines */

/* Kinds of pending operation: which wait reasons may consume it. */
enum go_pend { GOP_NONE = 0, GOP_CHAN, GOP_SELECT, GOP_SEMA, GOP_COND };

/* Left by a wrapper for the park that may follow inside the real call (same thread, same g). A channel
 * operation's is its key only (g, call site, depth, kind): its details are always "Go's wait reason, the
 * channel the park's lock belongs to", and a park reads the details of the other kinds only (go_pend_details). */
struct go_pending {
    void *g;
    const char *what;                 /* NULL: take Go's wait reason */
    const void *obj;
    uintptr_t ra, sp;                 /* the program's call site (0, or in libgo: none) and stack depth */
    uint8_t kind, obj_kind, nilchan;
};

/* Set before the real call (inline: no park can have happened yet). A park consumes it; else the next
 * operation's wrapper on this thread overwrites it, or a call's wrapper clears it after the call with
 * go_pend_clear (out of line: the goroutine may be on another thread by then). The channel operations and
 * the blocking select leave theirs (their wrappers tail-call the real one), which is safe because of what a
 * stale one can reach: a select's fits only a park in "select", which happens inside runtime.selectgo alone,
 * and every call of that passes our wrapper first (libgo's own calls too, through its PLT), which sets a new
 * one; a channel operation's has no details, only the key by which a park reuses its slot's cached site, and
 * that only while the site's stack proof holds, that is while that call is still on the stack. */
extern LC_TLS struct go_pending go_pend;
static inline void go_pend_key(uint8_t kind, uintptr_t ra, uintptr_t sp)
{
    struct go_pending *p = &go_pend;
    p->g = go_getg();
    p->ra = ra;
    p->sp = sp;
    p->kind = kind;
}
static inline void go_pend_set(uint8_t kind, const char *what, uint8_t obj_kind, const void *obj, uintptr_t ra,
                               uintptr_t sp, int nilchan)
{
    struct go_pending *p = &go_pend;
    go_pend_key(kind, ra, sp);
    p->what = what;
    p->obj = obj;
    p->obj_kind = obj_kind;
    p->nilchan = (uint8_t)nilchan;
}
/* The pending operation p's details, or NULL when it has none of its own (a channel operation's). */
static inline const struct go_pending *go_pend_details(const struct go_pending *p)
{
    return p && p->kind != GOP_CHAN ? p : NULL;
}
void go_pend_clear(void);

/* The park wrapper, for gccgo_libgo.c's check that the wrappers were built for split stacks. */
void go_gopark(void *unlockf, void *lock, uint8_t reason, uint8_t ev, intptr_t skip) __asm__("runtime.gopark");
#endif
