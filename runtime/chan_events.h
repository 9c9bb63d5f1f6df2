/* Events on language channels (Go's, under gccgo and gc-built Go): the runtime keeps the channel table and
 * decides what is misuse. A family passes what it read from the runtime's own channel record. */
#ifndef LC_CHAN_EVENTS_H
#define LC_CHAN_EVENTS_H
#include "actor.h"
#include "task.h"

/* A channel was made (key: its address). */
void lc_chan_make(const struct lc_actor *a, uint64_t key, uint32_t elemsize, uint32_t cap);
/* About to close channel key (0: a nil channel), which the runtime's record says is closed already or not:
 * LC_F_CLOSE_NIL, or LC_F_DOUBLE_CLOSE with the first close when there was one; else the close is recorded. */
void lc_chan_close(const struct lc_actor *a, uint64_t key, uint32_t elemsize, uint32_t cap, int was_closed);
/* A send is about to find channel key closed (cap: its capacity, queued: values still buffered):
 * LC_F_SEND_CLOSED, with the close site when it is known. */
void lc_chan_send_closed(const struct lc_actor *a, uint64_t key, uint32_t cap, uint64_t queued);
/* Task t blocked at site on a nil channel (op: "send", "receive", "select"): blocked forever. */
void lc_chan_nil_blocked(struct lc_task *t, stack_id site, const char *op);

/* Busy spin: non-blocking channel operations of one task since it last blocked. The counter is the family's
 * (per thread or per goroutine, inline on its hot path); LC_SPIN_N of them without blocking is a busy spin,
 * reported once at the operation's site with how many sends found no room (dropped). */
#define LC_SPIN_N 100000u
void lc_chan_busy_spin(const struct lc_actor *a, const void *chan, uint32_t dropped);
#endif
