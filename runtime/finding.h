/* Misuse findings recorded as they happen (double close, send on closed channel, ...). Identical findings
 * (same kind and sites) are stored once with a count. */
#ifndef LC_FINDING_H
#define LC_FINDING_H
#include <stdint.h>
#include "stack.h"

enum lc_finding_kind {
    LC_F_DOUBLE_CLOSE = 0,    /* chan closed twice: site[0] second close, site[1] first close */
    LC_F_CLOSE_NIL,           /* close of nil channel */
    LC_F_SEND_CLOSED,         /* send on closed channel: site[1] = the close */
    LC_F_NIL_CHAN,            /* send/receive/select on a nil channel: blocks forever */
    LC_F_NEG_WAITGROUP,       /* sync: negative WaitGroup counter */
    LC_F_UNLOCK_UNLOCKED,     /* unlock of unlocked mutex */
    LC_F_FD_DOUBLE_CLOSE,     /* fd closed twice: site[1] first close */
    LC_F_FD_USE_AFTER_CLOSE,  /* I/O on an fd this process closed: site[1] the close */
    LC_F_FD_BAD_CLOSE,        /* close(-1) or of an fd never opened */
    LC_F_EPIPE,               /* write with no reader: site[1] closed the read end */
    LC_F_MUTEX_NOT_OWNER,     /* unlock by a thread that does not own it */
    LC_F_MUTEX_DESTROY_LOCKED,
    LC_F_EXIT_HOLDING_LOCK,   /* thread ended holding a mutex: site[1] the lock */
    LC_F_SELF_DEADLOCK,       /* relock of a non-recursive mutex by its owner */
    LC_F_LOCK_ORDER,          /* lock-order inversion: site[0]/site[1] the two acquisitions */
    LC_F_DEADLOCK,            /* wait-for cycle */
    LC_F_BUSY_SPIN,           /* non-blocking select loop that never blocks */
    LC_F__COUNT
};

struct lc_finding {
    uint8_t kind;
    const void *obj;          /* object concerned (chan, fd number, mutex) */
    stack_id site[2];
    uint64_t task[2];         /* task ids */
    uint32_t count;
    uint64_t first_ns;
    char note[64];            /* short detail ("fd 5", "counter -1") */
};

void finding_add(enum lc_finding_kind kind, const void *obj, stack_id site0, uint64_t task0, stack_id site1,
                 uint64_t task1, const char *note);
/* Copy up to max findings into out; returns the total number stored. */
size_t finding_copy(struct lc_finding *out, size_t max);
size_t finding_count(void);
void finding_reset(void);
void finding_lock_all(void);
void finding_unlock_all(void);
const char *finding_kind_name(enum lc_finding_kind kind);
#endif
