/* mutex.c's hooks for pthread.c and lifecycle.c. */
#ifndef LC_MUTEX_H
#define LC_MUTEX_H
#include "../runtime/task.h"

/* The calling thread (task t) is ending at where (0: returned from its start routine): report the locks it
 * still holds and drop its lockset. Called before the task record goes. */
void lc_locks_thread_end(struct lc_task *t, stack_id where);
/* The calling thread ends the process (exit, or main returning) at where: report the locks it still holds, as a
 * thread ending would (its lockset stays: exit handlers may still lock and unlock). */
void lc_locks_process_exit(stack_id where);
/* Whether the calling thread holds a lock its lockset lists. */
int lc_locks_held(void);
#endif
