/* Finding the real functions behind our wrappers, and the guard that keeps the shim out of its own way. */
#ifndef LC_RESOLVE_H
#define LC_RESOLVE_H
#include <errno.h>
#include <stdint.h>
#include <time.h>

#define LC_EXPORT __attribute__((visibility("default")))
#define LC_TLS __thread __attribute__((tls_model("initial-exec")))

/* dlsym(RTLD_NEXT, name), safe before the constructor ran; aborts with a clear message when missing and
 * required, returns NULL when optional. */
void *lc_dlsym_next(const char *name, int required);

/* The executable segment of the object holding addr: [*lo, *hi), both 0 when none. */
void lc_text_range(uintptr_t addr, uintptr_t *lo, uintptr_t *hi);
/* The same for the writable segment (data and bss) holding addr. */
void lc_data_range(uintptr_t addr, uintptr_t *lo, uintptr_t *hi);
/* Tell runtime/lockset.h where the loaded modules' variables are (their writable segments): a lock there is
 * never freed with the memory holding it. */
void lc_note_variables(void);

/* Declare the real function: LC_REAL_DECL(int, pthread_join, (pthread_t, void **)) gives a static pointer
 * real_pthread_join and LC_REAL(pthread_join) evaluates to it, resolving on first use. */
#define LC_REAL_DECL(ret, name, args) static ret(*real_##name) args
#define LC_REAL(name) LC_REAL_SYM(real_##name, #name)
/* For symbols with a dot in their name (Go): LC_REAL_SYM(var, "runtime.closechan"). */
#define LC_REAL_SYM(var, sym) ({                                                         \
        if (__builtin_expect(var == 0, 0))                                                \
            var = (__typeof__(var))lc_dlsym_next(sym, 1);                                 \
        var; })

/* ---- shared by the wrapper families ---------------------------------------------------------------------- */
/* A wrapper's own return address (the program's call site) and frame address (its stack depth). */
#define LC_RA() ((uintptr_t)__builtin_return_address(0))
#define LC_SP() ((uintptr_t)__builtin_frame_address(0))
/* A timeout argument. */
typedef const struct timespec *lc_ts_t;
/* What a try form's result is turned into when the real call would block. */
#define LC_WOULD_BLOCK (-0x1eac)
/* Call the real function sym (a try form the family tries first) with args, resolved on first use. */
#define LC_TRY(sym, ...) ({ static __typeof__(&sym) try_; LC_REAL_SYM(try_, #sym)(__VA_ARGS__); })

/* Per-thread depth of shim code on the stack: wrappers called while it is non-zero only forward. */
extern LC_TLS int lc_in_shim;
/* True once the constructor finished and options are loaded. */
extern int lc_ready;
/* True when the constructor decided this process is not checked at all (a child with children=off): lc_ready
 * never becomes 1, and wrappers that cache their readiness may cache "off" for good. */
extern int lc_never_ready;

/* Set while the thread's cancellation type is asynchronous (pthread_setcanceltype's wrapper keeps it): the
 * shim's bookkeeping then runs deferred, so that a cancellation cannot end the thread holding one of the
 * shim's locks; it takes effect as the bookkeeping ends, before the real call the program made. */
extern LC_TLS int lc_cancel_async;
int lc_cancel_defer_slow(void);
void lc_cancel_restore_slow(void);
#define LC_CANCEL_DEFER() (__builtin_expect(lc_cancel_async, 0) ? lc_cancel_defer_slow() : 0)
#define LC_CANCEL_RESTORE(d) do { if (__builtin_expect(d, 0)) lc_cancel_restore_slow(); } while (0)

/* Enter/leave the shim's own bookkeeping; saves and restores errno so the program never sees ours. */
#define LC_ENTER() int lc_saved_errno_ = errno, lc_deferred_ = LC_CANCEL_DEFER(); lc_in_shim++
#define LC_LEAVE() do { lc_in_shim--; errno = lc_saved_errno_; LC_CANCEL_RESTORE(lc_deferred_); } while (0)
/* Whether a wrapper should do bookkeeping at all. */
#define LC_ACTIVE() (__builtin_expect(lc_ready && !lc_in_shim, 1))
#endif
