/* Deadlock detection while the program runs (option deadlock_check_ms). */
#ifndef LC_DEADLOCK_WATCH_H
#define LC_DEADLOCK_WATCH_H

/* The dump thread calls this every deadlock_check_ms: when no task can make progress, or tasks wait for each
 * other in a cycle, and that is still so a moment later, report; with deadlock_exit, end the program. */
void lc_deadlock_tick(void);
/* The calling thread is about to relock a non-recursive mutex it holds (the finding is recorded and the thread
 * marked blocked): report at once, unless the periodic check is on (it will report, and end the program). */
void lc_deadlock_now(const void *lock);
#endif
