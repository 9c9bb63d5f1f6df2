/* What the interpose/ files share: the calling thread's task and the block/unblock bracket. */
#ifndef LC_SHIM_H
#define LC_SHIM_H
#include "resolve.h"
#include "../runtime/task.h"

/* The task running on this thread (a pthread), NULL for threads the shim does not track. */
extern LC_TLS struct lc_task *lc_self;
/* Set when libgo is in the process: its threads are the runtime's own, goroutines are the tasks. */
extern int lc_is_go;

/* Mark the calling thread blocked in `what` on obj, with the blocking stack; returns the task to hand to
 * lc_block_end, or NULL when the thread is not tracked. Both preserve errno. */
struct lc_task *lc_block_begin(const char *what, enum lc_obj_kind ok, const void *obj);
void lc_block_end(struct lc_task *t);

/* process.c: start-up and the exit path. */
void lc_init(void);
/* fork handlers (process.c) */
void lc_fork_prepare(void);
void lc_fork_parent(void);
void lc_fork_child(void);
#endif
