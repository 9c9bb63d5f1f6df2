/* The gccgo family's shared header: libgo's layout, the wrapper shape, and each file's own header
 * (gccgo_libgo.h: libgo facts and stacks; gccgo.h: goroutines and parks; gccgo_chan.h: channels;
 * gccgo_sync.h: package sync; gccgo_mutex.h: sync.Mutex ownership).
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

#include "gccgo_layout.h"
#define GO_FIELD(p, off, type) (*(volatile type *)((char *)(p) + (off)))

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
    GO_WRAPPER_ALIAS_DEF(ret, name, sym, params)
/* The same after its GO_WRAPPER_DECL (for code between the two that calls the real function). */
#define GO_WRAPPER_ALIAS_DEF(ret, name, sym, params)                                                             \
    ret name params __asm__(GO_WRAPPER_NAME(name));                                                            \
    __asm__(".globl " sym "\n\t.type " sym ", @function\n\t.set " sym ", " GO_WRAPPER_NAME(name));           \
    ret name params
#define GO_NEXT(name) GO_REAL(real_##name, sym_##name)

/* The running goroutine as the actor of an event (runtime/actor.h). */
#define GO_ACTOR ((struct lc_actor){ go_cur_id(), go_stack })

#include "gccgo.h"
#include "gccgo_chan.h"
#include "gccgo_libgo.h"
#include "gccgo_mutex.h"
#include "gccgo_sync.h"
#endif
