/* gccgo_libgo.c: what the Go wrappers know about libgo and need once. Split-stack code only (gccgo_int.h). */
#ifndef LC_GCCGO_LIBGO_H
#define LC_GCCGO_LIBGO_H
#include <stdint.h>
#include "resolve.h"
#include "../runtime/on_stack.h"
#include "../runtime/stack.h"

extern int go_inited, go_off;
void go_init_slow(void);
/* Resolve libgo symbols once (cheap after the first call); 0 when Go support is off. */
static inline int go_ok(void)
{
    if (__builtin_expect(!__atomic_load_n(&go_inited, __ATOMIC_ACQUIRE), 0))
        go_init_slow();
    return !go_off;
}
/* Whether a Go wrapper should do bookkeeping at all. go_live: 1 once the shim was ready and Go support on when a
 * wrapper asked (one load on the hot paths; a process past its verdict may keep a little bookkeeping going); -1
 * once it is known never to be (a process not checked, Go support off), so the wrappers only forward; 0 until
 * either is known. */
extern int go_live __attribute__((visibility("hidden")));   /* hidden: one load, no GOT */
int go_active_slow(void);
#define GO_ACTIVE() (__builtin_expect(go_live > 0, 1) ? !lc_in_shim : (go_live == 0 && go_active_slow()))

/* The running g, read straight from libgo's static TLS block (runtime.getg goes through __tls_get_addr),
 * checked once per thread against runtime.getg. After go_ok(). Never keep it across a park. */
extern void *(*go_real_getg)(void);
extern intptr_t go_g_tpoff __attribute__((visibility("hidden")));   /* libgo's TLS runtime.g from the thread pointer */
/* This thread's: 0 until checked, GO_G_OFF_NONE where the static TLS block cannot be read (go_getg then calls
 * runtime.getg), else go_g_tpoff. One thread-local load tells both whether to read and where. */
extern LC_TLS intptr_t go_g_off;
#define GO_G_OFF_NONE ((intptr_t)1)
void go_getg_check(void);
/* The read itself, with no call on the way: NULL until this thread was checked, or where the static TLS
 * block cannot be read. */
static inline void *go_getg_tls(void)
{
    intptr_t off = go_g_off;
    if (__builtin_expect((uintptr_t)off <= (uintptr_t)GO_G_OFF_NONE, 0))
        return NULL;
    void *g;
    __asm__ volatile("movq %%fs:(%1), %0" : "=r"(g) : "r"(off) : "memory");
    return g;
}
static inline void *go_getg(void)
{
    if (__builtin_expect(go_g_off == 0, 0))
        go_getg_check();
    if (__builtin_expect(go_g_off == GO_G_OFF_NONE, 0))
        return go_real_getg();
    return go_getg_tls();
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

/* ---- the shim's stack ---------------------------------------------------------------------------------------
 * Split-stack code that calls ordinary C asks __morestack for a 1 MiB segment first (gold's rewrite of its
 * prologue), and the goroutine keeps that segment. The bookkeeping of a spawn, an exit and a park instead runs
 * on a stack of this thread's (go_offstack: allocated at the thread's first use, freed when it ends), so the
 * goroutine's own stack grows by a wrapper's frame only and no segment is made for it. */
#define GO_SHIM_STACK (128u << 10)
extern LC_TLS char *go_shim_stack;    /* this thread's, its lowest address; NULL before its first use */
char *go_shim_stack_new(void);
/* fn(arg) on this thread's shim stack (directly when already on it); what fn returns. fn may call ordinary C
 * and must not park; it is noinline, or its calls would be inlined here, into the split-stack caller. */
static inline long go_offstack(long (*fn)(void *), void *arg)
{
    char *lo = go_shim_stack;
    if (__builtin_expect(!lo, 0) && !(lo = go_shim_stack_new()))
        return fn(arg);                 /* no memory: as before, on a segment of the goroutine's */
    if ((uintptr_t)__builtin_frame_address(0) - (uintptr_t)lo < GO_SHIM_STACK)
        return fn(arg);
    return lc_on_stack(fn, arg, lo + GO_SHIM_STACK);
}

/* Capture the current stack, drop the shim's and the Go runtime's innermost frames so that the top frame is
 * the program's own call, and intern it. Keeps errno. */
stack_id go_stack(void);
/* go_stack, filling *pf with the capture's proof (stack.h; made on first use, stays NULL without memory): the
 * frames of the stack segment the capture starts in. */
stack_id go_stack_proved(struct stack_proof **pf);
/* go_stack for a call of a wrapper from go_site_ra (its return address, set by the wrapper just before): the
 * first stack seen from a site in the program stands for every later call from there (channel make and close:
 * a report shows where, the origin frame, which is the site's). */
extern LC_TLS uintptr_t go_site_ra;
stack_id go_stack_at_site(void);

/* The real function behind a wrapper, resolved out of line so that the wrapper itself calls no ordinary C. */
void *go_resolve(const char *sym);
#define GO_REAL(var, sym) ({ __typeof__(var) f_ = (var); \
    if (__builtin_expect(!f_, 0)) { f_ = (__typeof__(var))go_resolve(sym); (var) = f_; } \
    f_; })
/* A libgo symbol, optional: 0 when missing. size gets the symbol's size when non-NULL. */
uintptr_t go_sym(const char *name, uintptr_t *size);
#endif
