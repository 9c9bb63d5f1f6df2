/* The lock-order graph's lock and reset, for lockset.c (fork and the unit tests): the graph lock comes before
 * the lockset pool's. */
#ifndef LC_LOCKORDER_H
#define LC_LOCKORDER_H
void lockorder_lock(void);
void lockorder_unlock(void);
void lockorder_reset(void);
/* Drop every edge from and to lock (its memory is gone); returns whether the graph knew it. */
int lockorder_forget(const void *lock);
#endif
