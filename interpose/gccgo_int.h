/* What the gccgo wrappers share (gccgo_libgo.c: libgo facts and stacks; gccgo.c: goroutines and parks;
 * gccgo_chan.c: channels; gccgo_sync.c: package sync).
 *
 * Every file that includes this one must be compiled with -fsplit-stack: its functions run on goroutine stack
 * segments, and gold gives each of their calls into ordinary C a large enough segment. Such a call costs a
 * segment switch, so the hot paths (a channel operation that does not park) call nothing but split-stack
 * code and libgo. */
#ifndef LC_GCCGO_INT_H
#define LC_GCCGO_INT_H
#include <stdint.h>
#include "resolve.h"
#include "../runtime/actor.h"
#include "../runtime/task.h"
#include "../runtime/stack.h"

/* Layout of libgo.so.21 (gcc 12, Go 1.18) structures, checked against libgo/go/runtime/runtime2.go, chan.go
 * and sync/ and against the disassembly of libgo: gopark checks the status at g+0x30 and stores the wait
 * reason at g+0x50; __go_go stores
 * its caller's pc at g+0xc8 and the goid at g+0x38; setSystemGoroutine sets g+0x550; closechan tests
 * hchan.closed at +0x1c and locks hchan.lock at +0x58. The goid offset is checked at start-up
 * (runtime.main must be goroutine 1). */
#define GO_G_STATUS 0x30              /* g.atomicstatus (uint32) */
#define GO_GRUNNING 2
#define GO_GDEAD 6
#define GO_G_GOID 0x38                /* g.goid (int64) */
#define GO_G_GOPC 0xc8                /* g.gopc: pc of the go statement (__go_go's caller) */
#define GO_G_SYSTEM 0x550             /* g.isSystemGoroutine (bool), set by setSystemGoroutine() */
#define GO_HCHAN_QCOUNT 0x00          /* hchan.qcount (uint): values buffered */
#define GO_HCHAN_DATAQSIZ 0x08        /* hchan.dataqsiz (uint): capacity */
#define GO_HCHAN_ELEMSIZE 0x18        /* hchan.elemsize (uint16) */
#define GO_HCHAN_CLOSED 0x1c          /* hchan.closed (uint32) */
#define GO_HCHAN_LOCK 0x58            /* hchan.lock: what chansend/chanrecv pass to gopark */
#define GO_FIELD(p, off, type) (*(volatile type *)((char *)(p) + (off)))

/* ---- gccgo_libgo.c ---------------------------------------------------------------------------------------- */
extern int go_inited, go_off;
void go_init_slow(void);
/* Resolve libgo symbols once (cheap after the first call); 0 when Go support is off. */
static inline int go_ok(void)
{
    if (__builtin_expect(!__atomic_load_n(&go_inited, __ATOMIC_ACQUIRE), 0))
        go_init_slow();
    return !go_off;
}
/* Whether a Go wrapper should do bookkeeping at all. */
#define GO_ACTIVE() (LC_ACTIVE() && go_ok())

/* The running g, read straight from libgo's static TLS block (runtime.getg goes through __tls_get_addr),
 * checked once per thread against runtime.getg. After go_ok(). Never keep it across a park. */
extern void *(*go_real_getg)(void);
extern intptr_t go_g_tpoff;           /* offset of libgo's TLS variable runtime.g from the thread pointer */
extern LC_TLS int go_g_checked;
void go_getg_check(void);
static inline void *go_getg(void)
{
    if (__builtin_expect(!go_g_checked, 0))
        go_getg_check();
    if (__builtin_expect(go_g_tpoff == 0, 0))
        return go_real_getg();
    void *g;
    __asm__ volatile("movq %%fs:(%1), %0" : "=r"(g) : "r"(go_g_tpoff) : "memory");
    return g;
}
int64_t go_goid(const void *g);

extern uintptr_t go_libgo_lo, go_libgo_hi;   /* libgo's code */
static inline int go_in_libgo(uintptr_t pc)
{
    return pc - go_libgo_lo < go_libgo_hi - go_libgo_lo;
}
extern uintptr_t go_rt_main;                  /* runtime.main: the main goroutine's entry */

/* Classes of Go's wait reasons (runtime2.go, waitReason*), matched by text at start-up. */
enum go_wclass { W_OTHER = 0, W_RECV, W_SEND, W_RECV_NIL, W_SEND_NIL, W_SELECT, W_SELECT_NONE, W_SEMA, W_COND,
                 W_SLEEP, W_IO };
#define GO_NWAIT 64
extern const char *go_wait_what[GO_NWAIT];    /* Go's words for each wait reason (static strings) */
extern uint8_t go_wait_class[GO_NWAIT];

/* Capture the current stack, drop the shim's and the Go runtime's innermost frames so that the top frame is
 * the program's own call, and intern it. Keeps errno. */
stack_id go_stack(void);

/* The real function behind a wrapper, resolved out of line so that the wrapper itself calls no ordinary C. */
void *go_resolve(const char *sym);
#define GO_REAL(var, sym) ({ __typeof__(var) f_ = (var); \
    if (__builtin_expect(!f_, 0)) { f_ = (__typeof__(var))go_resolve(sym); (var) = f_; } \
    f_; })
/* A libgo symbol, optional: 0 when missing. size gets the symbol's size when non-NULL. */
uintptr_t go_sym(const char *name, uintptr_t *size);

/* ---- gccgo.c ---------------------------------------------------------------------------------------------- */
/* A recent lc_now_ns() time, refreshed by every tracked park and spawn (which read the clock anyway): a cheap
 * lower bound on now for stamps taken on hot paths (when a sync.Mutex was locked); 0 before the first. */
extern uint64_t go_clock_ns;
static inline uint64_t go_clock(void) { return __atomic_load_n(&go_clock_ns, __ATOMIC_RELAXED); }
struct lc_task *go_task(void *g);     /* the task of g, NULL when not tracked (per-thread cache) */
uint64_t go_cur_id(void);             /* goid of the running goroutine, 0 outside goroutines */

/* Kinds of pending operation: which wait reasons may consume it. */
enum go_pend { GOP_NONE = 0, GOP_CHAN, GOP_SELECT, GOP_SEMA, GOP_COND };

/* Left by a wrapper for the park that may follow inside the real call (same thread, same g). */
struct go_pending {
    void *g;
    const char *what;                 /* NULL: take Go's wait reason */
    const void *obj;
    uintptr_t ra, sp;                 /* the program's call site and stack depth (site cache key), or 0 */
    uint8_t kind, obj_kind, nilchan;
};

/* Set before the real call (inline: no park can have happened yet), cleared after it by go_pend_clear (out
 * of line: the goroutine may be on another thread by then). */
extern LC_TLS struct go_pending go_pend;
static inline void go_pend_set(uint8_t kind, const char *what, uint8_t obj_kind, const void *obj, uintptr_t ra,
                               uintptr_t sp, int nilchan)
{
    struct go_pending *p = &go_pend;
    p->g = go_getg();
    p->what = what;
    p->obj = obj;
    p->ra = go_in_libgo(ra) ? 0 : ra;   /* a call from libgo says nothing about the program's site */
    p->sp = sp;
    p->kind = kind;
    p->obj_kind = obj_kind;
    p->nilchan = (uint8_t)nilchan;
}
void go_pend_clear(void);

/* A wrapper of the Go function sym, its symbol spelled once:
 *     GO_WRAPPER(void, go_closechan, "runtime.closechan", (void *c)) { ...; GO_NEXT(go_closechan)(c); }
 * GO_NEXT(name) is the real function (libgo's), resolved out of line on first use so that the wrapper itself
 * calls no ordinary C. Wrappers of runtime.* functions carry the symbol's own name: Go's tracebacks hide frames
 * named runtime.<lowercase>. Others (GO_WRAPPER_ALIAS) are defined as runtime.lc_<name> and exported under sym
 * by an alias, so that a crash traceback reads as it would without the shim (a wrapper named like the sync
 * function it replaces would show up twice). */
#define GO_WRAPPER_NAME(name) "runtime.lc_" #name
#define GO_WRAPPER_DECL(ret, name, sym, params) static ret(*real_##name) params; static const char sym_##name[] = sym
#define GO_WRAPPER(ret, name, sym, params)                                                                       \
    GO_WRAPPER_DECL(ret, name, sym, params);                                                                   \
    LC_EXPORT ret name params __asm__(sym);                                                                    \
    ret name params
#define GO_WRAPPER_ALIAS(ret, name, sym, params)                                                                 \
    GO_WRAPPER_DECL(ret, name, sym, params);                                                                   \
    ret name params __asm__(GO_WRAPPER_NAME(name));                                                            \
    __asm__(".globl " sym "\n\t.type " sym ", @function\n\t.set " sym ", " GO_WRAPPER_NAME(name));           \
    ret name params
#define GO_NEXT(name) GO_REAL(real_##name, sym_##name)

/* The running goroutine as the actor of an event (runtime/actor.h). */
#define GO_ACTOR ((struct lc_actor){ go_cur_id(), go_stack })

/* One wrapper per file, for the split-stack check. */
void go_gopark(void *unlockf, void *lock, uint8_t reason, uint8_t ev, intptr_t skip) __asm__("runtime.gopark");
void go_chansend1(void *c, void *elem) __asm__("runtime.chansend1");
void go_semacquire(uint32_t *addr) __asm__(GO_WRAPPER_NAME(go_semacquire));

/* ---- gccgo_sync.c ----------------------------------------------------------------------------------------- */
void go_sync_init(void);              /* where sync's semaphore callers are */

/* ---- gccgo_chan.c: busy spin ------------------------------------------------------------------------------ */
/* Non-blocking channel operations (select with default) of the goroutine running on this thread since it last
 * parked. Per thread is enough: a goroutine changes thread only by parking, which resets the count (so does
 * another goroutine showing up on the thread, which can only undercount). */
struct go_spin { void *g; uint32_t nb, drops; };
extern LC_TLS struct go_spin go_spin;
static inline void go_spin_reset(void) { go_spin.g = NULL; }

/* ---- gccgo_mutex.c ---------------------------------------------------------------------------------------- */
void go_mutex_init(void);             /* where RWMutex's own calls to Mutex come from (from go_sync_init) */
void go_mutex_idle(void *g);          /* g parks or exits: give back its lockset if it holds no lock */
extern int go_mutex_used;             /* some goroutine has had a lockset: go_mutex_idle has work to do */
#endif
