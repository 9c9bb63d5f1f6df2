/* The bracket every blocking wrapper of the C-thread families puts around the real call. */
#include "blocking_call.h"
#include "mutex.h"
#include "../runtime/stack.h"
#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

LC_TLS struct lc_task *lc_self;

/* The thread's stack, for stack_capture_at: only captures made on it are remembered. A thread the shim started
 * learns it at its start (lc_thread_stack); the main thread at its first blocking call, from the top of its
 * stack down by its size limit. Neither asks glibc (pthread_getattr_np), which allocates: a thread's first
 * malloc gives it its own allocator cache, a kilobyte more per blocked thread than the program pays. */
static LC_TLS int bounds_asked;
static void main_thread_bounds(const struct lc_task *t)
{
    extern void *__libc_stack_end;
    uintptr_t lo = 0, hi = 0;
    bounds_asked = 1;
    if (t->tid == getpid()) {
        struct rlimit rl;
        hi = (uintptr_t)__libc_stack_end;
        rlim_t size = getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY ? rl.rlim_cur : 1u << 30;
        lo = hi > size ? hi - size : 0;
        hi = (hi + 4095) & ~(uintptr_t)4095;   /* the page holding the top, where the start's frames are */
    }
    stack_thread_bounds(lo, hi);
}

/* glibc puts a thread's descriptor (pthread_self()) at the top of its stack block, above the stack and the
 * static TLS; the block holds at least `size` bytes of stack below the descriptor's end, the guard under them.
 * Bounds within that: below the descriptor, and by a margin (the descriptor and alignment, a few KiB) above
 * the lowest address the size allows. */
void lc_thread_stack(size_t size)
{
    bounds_asked = 1;
    if (size < 16384)
        return;                         /* not known: nothing remembered */
    uintptr_t hi = (uintptr_t)pthread_self(), margin = size / 2 < 65536 ? size / 2 : 65536;
    stack_thread_bounds(hi > size ? hi - size + margin : 0, hi);
}

__attribute__((noinline)) struct lc_task *lc_block_begin(const char *what, enum lc_obj_kind ok, const void *obj)
{
    struct lc_task *t = lc_self;
    if (!t || !LC_ACTIVE())
        return NULL;
    LC_ENTER();
    if (__builtin_expect(!bounds_asked, 0))
        main_thread_bounds(t);
    lc_locks_idle();
    /* drop this function and the wrapper; the same wrapper path at the same depth may reuse a capture */
    task_block(t, what, ok, obj, stack_capture_at(2, (uintptr_t)__builtin_return_address(0),
                                                  (uintptr_t)__builtin_frame_address(0)));
    LC_LEAVE();
    return t;
}

void lc_block_end(struct lc_task *t)
{
    if (t)
        task_unblock(t);
}

static uintptr_t shim_lo, shim_hi;

void lc_site_init(void)
{
    lc_text_range((uintptr_t)&lc_site, &shim_lo, &shim_hi);
}

stack_id lc_site(void)
{
    if (__builtin_expect(!shim_hi, 0))
        lc_site_init();
    return stack_capture_below(shim_lo, shim_hi);
}
