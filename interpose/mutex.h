/* mutex.c's hook for pthread.c. */
#ifndef LC_MUTEX_H
#define LC_MUTEX_H
#include "../runtime/task.h"

/* The calling thread (task t) is ending at where (0: returned from its start routine): report the locks it
 * still holds and drop its lockset. Called before the task record goes. */
void lc_locks_thread_end(struct lc_task *t, stack_id where);
#endif
