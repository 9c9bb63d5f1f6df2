/* The wait-for analysis of a snapshot: who each blocked task waits for, deadlock cycles, and whether any task
 * can still make progress. Edges: a task blocked on a mutex waits for its owner (glibc keeps the owner's tid in
 * the mutex), on a rwlock for the writer holding it (or a registered holder), in pthread_join for the joined
 * thread; a goroutine blocked on a sync.Mutex/RWMutex for the goroutine whose lockset holds it. Those are
 * certain, and only they form reported cycles. A task blocked on an fd channel waits for whoever may write the
 * other end: any task may, so that edge is only named (last writer), never in a cycle; such tasks count in
 * "all asleep". Everything here reads the snapshot only: what each lock said is recorded when it is taken. */
#ifndef LC_RT_DEADLOCK_H
#define LC_RT_DEADLOCK_H
#include <stddef.h>
#include "snapshot.h"

/* snapshot_take: record what the lock of each task blocked on one says (s->waits). */
void deadlock_note_waits(struct lc_snapshot *s);
/* t's wait record (a task of s). A snapshot made by hand, without records, gets its locks read now. */
struct lc_wait deadlock_wait(const struct lc_snapshot *s, const struct lc_task *t);

/* Wait-for cycles of two or more tasks (a thread waiting for itself is reported as LC_F_SELF_DEADLOCK when it
 * happens, a goroutine by deadlock_augment at a verdict). One LC_F_DEADLOCK finding per cycle, starting at its member with the lowest id: task[0], task[1]
 * and site[0], site[1] are the first two members and their blocking stacks, obj what task[0] waits on, note
 * "threads 2 -> 3 -> 2". Fills up to max; returns how many cycles there are. */
size_t deadlock_find(const struct lc_snapshot *s, struct lc_finding *out, size_t max);
/* Appends deadlock_find's findings to s->findings (reallocated with lc_calloc, as snapshot_free expects),
 * skipping cycles already there, and for a verdict (the program ends: verdict != 0) an LC_F_SELF_DEADLOCK for each
 * goroutine blocked on a Go mutex it holds itself (note: what it blocks in; while the program runs another
 * goroutine may still hand it the mutex). Returns how many were added. Call right after snapshot_take. */
size_t deadlock_augment(struct lc_snapshot *s, int verdict);
/* Tasks in certain wait-for cycles, a thread waiting for itself included (a goroutine is not: another goroutine
 * may unlock its mutex). */
size_t deadlock_stuck(const struct lc_snapshot *s);
/* No task can make progress: every live task (threads only; never for goroutines) is blocked without a
 * timeout on something only another task of this process could release. */
int deadlock_all_asleep(const struct lc_snapshot *s);
/* Whether t's wait ends by itself: a sleep or a wait with a timeout (what names it: "sleep", "*timed*",
 * "*clock*"). Such a task is neither stuck nor part of a deadlock. */
int deadlock_wait_times_out(const struct lc_task *t);
/* Changes whenever a task that may be stuck changes state (tasks running or in a wait that times out are left
 * out: a goroutine looping on time.Sleep moves all the time): two equal signatures some time apart mean nothing
 * stuck moved. */
uint64_t deadlock_signature(const struct lc_snapshot *s);

/* The task t is certainly waiting for, or NULL. */
const struct lc_task *deadlock_waits_for(const struct lc_snapshot *s, const struct lc_task *t);
/* A goroutine of the snapshot by goid (thread ids and goids may coincide), NULL when it is gone. */
const struct lc_task *deadlock_goroutine(const struct lc_snapshot *s, uint64_t goid);
/* The fd channel fd is an end of, and which end: the fds open now first, then the fds as made. */
const struct lc_chan *deadlock_fd_chan(const struct lc_snapshot *s, int fd, int *end);
#endif
