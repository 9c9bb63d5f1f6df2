/* The text of runtime/deadlock.h's analysis: deadlock findings, and what a blocked task waits for. */
#ifndef LC_DEADLOCK_H
#define LC_DEADLOCK_H
#include "buffered_writer.h"
#include "../runtime/deadlock.h"

/* A whole LC_F_DEADLOCK finding (header, each member's blocking stack, the lock each holds and where it took
 * it), ending with a blank line. */
void deadlock_print(struct lc_bufw *w, const struct lc_snapshot *s, const struct lc_finding *f);
/* Lines under a blocked task's group saying what it waits for: the mutex's owner and where it took the lock (or
 * that the owner exited holding it), a channel's other end ("write end fd 4 still open, last written by thread
 * 3", "no write end left open in this process"). Prints nothing for other waits. */
void deadlock_print_waits(struct lc_bufw *w, const struct lc_snapshot *s, const struct lc_task *t);
#endif
