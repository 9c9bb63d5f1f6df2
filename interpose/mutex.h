/* mutex.c's hooks for pthread.c and lifecycle.c. */
#ifndef LC_MUTEX_H
#define LC_MUTEX_H
#include <pthread.h>
#include "../runtime/task.h"

/* The calling thread (task t) is ending at where (0: returned from its start routine): report the locks it
 * still holds and drop its lockset. Called before the task record goes. */
void lc_locks_thread_end(struct lc_task *t, stack_id where);
/* The calling thread ends the process (exit, or main returning) at where: report the locks it still holds, as a
 * thread ending would (its lockset stays: exit handlers may still lock and unlock). */
void lc_locks_process_exit(stack_id where);
/* Whether the calling thread holds a lock its lockset lists. */
int lc_locks_held(void);
/* The calling thread is about to block holding no lock: its lockset goes back to the pool (lockset.h), so that
 * a blocked thread costs its task record only; its next lock takes one again. */
void lc_locks_idle(void);
/* A condition wait on m: m is not held while it waits (popped, what its entry was in *was; 0 when this thread's
 * lockset does not list it), and held again when the wait returns with it (pushed back as it was). */
struct lc_held;
int lc_locks_release(const pthread_mutex_t *m, struct lc_held *was);
void lc_locks_retake(const struct lc_held *was);
#endif
