/* Events on locks and other sync objects, told by every family (pthread mutexes and rwlocks, Go's sync.Mutex,
 * RWMutex and WaitGroup): the runtime keeps the locks each task holds and decides what is misuse. A family
 * supplies the facts only it can read (glibc's owner field, libgo's fatal error text). The hot paths (a lock
 * taken, released in order) are the inline helpers of lockset.h; these are the rest. */
#ifndef LC_SYNC_EVENTS_H
#define LC_SYNC_EVENTS_H
#include "actor.h"
#include "lockset.h"
#include "task.h"

/* Whether a task asking for a lock it holds already waits forever: the lock does not grant its holder again
 * (reentrant: a recursive mutex, or one that refuses with an error) and it is not a read lock asked for while
 * read-locked. */
static inline int lc_lock_self_wait(int reentrant, enum lc_lock_mode held_mode, enum lc_lock_mode mode)
{
    return !reentrant && !(mode == LC_LK_READ && held_mode == LC_LK_READ);
}

/* Before waiting for lock in mode: the lock-order edge from the innermost lock ls holds, when the graph does
 * not have it yet. */
void lc_mutex_pre_lock(const struct lc_actor *a, struct lc_lockset *ls, const void *lock, enum lc_lock_mode mode);
/* The actor asks again for a lock it holds and will wait forever (lc_lock_self_wait): LC_F_SELF_DEADLOCK, with
 * where it took the lock when ls lists it (held_pc 0: look it up) and the family's note (may be NULL). */
void lc_mutex_self_deadlock(const struct lc_actor *a, struct lc_lockset *ls, const void *lock, uintptr_t held_pc,
                            const char *note);
/* The actor read-locks again an RWMutex it holds for reading (Go forbids it: a writer arriving in between waits
 * for the first read lock, and the second waits for the writer): LC_F_RECURSIVE_RLOCK with both sites. */
void lc_rwlock_recursive_read(const struct lc_actor *a, struct lc_lockset *ls, const void *lock, uintptr_t held_pc);
/* Released by the actor although its lockset does not list it. owner_tid, self_tid, locked: what the lock word
 * says (its owner's kernel thread id, 0 none; whether it is locked at all). Owned by the actor (taken before
 * tracking started) is fine; an unlocked lock is LC_F_UNLOCK_UNLOCKED; another owner LC_F_MUTEX_NOT_OWNER
 * with where that owner took it. */
void lc_mutex_unlock_unheld(const struct lc_actor *a, const void *lock, int owner_tid, int self_tid, int locked);
/* The family saw an unlock of an unlocked lock itself (a runtime's fatal error); lock may be NULL. */
void lc_mutex_unlock_unlocked(const struct lc_actor *a, const void *lock, const char *note);
/* A goroutine released a Go mutex that is not its innermost held lock (ls: its lockset, or NULL): its own
 * entry, or the entries of the goroutines holding it (Go lets any goroutine unlock a sync.Mutex), are marked
 * released (lockset_release). */
void lc_go_mutex_release(struct lc_lockset *ls, const void *lock);
/* About to destroy lock, locked: LC_F_MUTEX_DESTROY_LOCKED when it is, with its holder's site. */
void lc_mutex_pre_destroy(const struct lc_actor *a, const void *lock, int locked);
/* lock was (re)initialised or destroyed: a new lock as far as lock order goes. */
void lc_mutex_forget(const void *lock);
/* Task t ends at where (0: returned from its start routine) with lockset ls: each lock it still owns
 * (owned(h, t->tid), the family's reading of the lock word) is LC_F_EXIT_HOLDING_LOCK; then ls is freed. */
void lc_mutex_task_end(struct lc_lockset *ls, const struct lc_task *t, stack_id where,
                       int (*owned)(const struct lc_held *h, int tid));
/* The same findings, ls kept: the thread ends the whole process and may lock again in its exit handlers. */
void lc_mutex_exit_holding(const struct lc_lockset *ls, const struct lc_task *t, stack_id where,
                           int (*owned)(const struct lc_held *h, int tid));
/* A WaitGroup's counter went below zero (the runtime panics right after). */
void lc_waitgroup_negative(const struct lc_actor *a, const void *wg);
#endif
