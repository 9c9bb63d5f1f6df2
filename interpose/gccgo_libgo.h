/* gccgo_libgo.c: what the Go wrappers know about libgo and need once. Split-stack code only (gccgo_int.h). */
#ifndef LC_GCCGO_LIBGO_H
#define LC_GCCGO_LIBGO_H
#include <stdint.h>
#include "resolve.h"
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
#endif
