/* The lock-order graph's lock and reset, for lockset.c (fork and the unit tests): the graph lock comes before
 * the lockset pool's. */
#ifndef LC_LOCKORDER_H
#define LC_LOCKORDER_H
void lockorder_lock(void);
void lockorder_unlock(void);
void lockorder_reset(void);
/* Another goroutine ended task's hold of lock, taken at since (a hold stamp): the edges task made from lock
 * since then are no lock order (the lock was handed on); a later nesting of the program's own makes one anew. */
void lockorder_handed(const void *lock, uint64_t task, uint64_t since);
/* Drop every edge from and to lock (its memory is gone); returns whether the graph knew it. */
int lockorder_forget(const void *lock);
#endif
