/* Who an event is about: the task that did it and, captured only when a finding needs it, where. Every family
 * (pthreads, gccgo, gc-built Go) hands the runtime's event functions one of these. */
#ifndef LC_ACTOR_H
#define LC_ACTOR_H
#include <stdint.h>
#include "stack.h"

struct lc_actor {
    uint64_t task;                    /* task id (thread number, goid); 0 unknown */
    stack_id (*site)(void);           /* the program's stack at this event, the family's own frames dropped */
};
#endif
