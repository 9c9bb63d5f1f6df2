/* The bracket every blocking wrapper of the C-thread families puts around the real call. */
#include "blocking_call.h"
#include "mutex.h"
#include "../runtime/stack.h"

LC_TLS struct lc_task *lc_self;

__attribute__((noinline)) struct lc_task *lc_block_begin(const char *what, enum lc_obj_kind ok, const void *obj)
{
    struct lc_task *t = lc_self;
    if (!t || !LC_ACTIVE())
        return NULL;
    LC_ENTER();
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
