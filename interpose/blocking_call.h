/* The C-thread families' (pthreads, fds) view of the calling thread: its task, and the bracket a wrapper puts
 * around a call that really blocks. */
#ifndef LC_BLOCKING_CALL_H
#define LC_BLOCKING_CALL_H
#include "resolve.h"
#include "../runtime/task.h"

/* The task running on this thread (a pthread), NULL for threads the shim does not track. */
extern LC_TLS struct lc_task *lc_self;

/* Mark the calling thread blocked in `what` on obj, with the blocking stack; returns the task to hand to
 * lc_block_end, or NULL when the thread is not tracked. Both preserve errno. */
struct lc_task *lc_block_begin(const char *what, enum lc_obj_kind ok, const void *obj);
void lc_block_end(struct lc_task *t);
#endif
