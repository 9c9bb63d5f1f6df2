/* The C-thread families' (pthreads, fds) view of the calling thread: its task, and the bracket a wrapper puts
 * around a call that really blocks. */
#ifndef LC_BLOCKING_CALL_H
#define LC_BLOCKING_CALL_H
#include "resolve.h"
#include "../runtime/actor.h"
#include "../runtime/task.h"

/* The task running on this thread (a pthread), NULL for threads the shim does not track. */
extern LC_TLS struct lc_task *lc_self;

/* Mark the calling thread blocked in `what` on obj, with the blocking stack; returns the task to hand to
 * lc_block_end, or NULL when the thread is not tracked. Both preserve errno. */
struct lc_task *lc_block_begin(const char *what, enum lc_obj_kind ok, const void *obj);
void lc_block_end(struct lc_task *t);
/* At a thread's start: its stack holds at least size bytes (0: not known). */
void lc_thread_stack(size_t size);

/* The program's stack here, the shim's own frames at the top dropped however many there are (for the runtime's
 * event functions). lc_site_init() finds the shim's code once, at start-up. */
stack_id lc_site(void);
void lc_site_init(void);
/* The calling thread as the actor of an event. */
#define LC_THREAD_ACTOR ((struct lc_actor){ lc_self ? lc_self->id : 0, lc_site })
#endif
