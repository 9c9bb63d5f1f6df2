/* Misuse findings recorded as they happen (double close, send on closed channel, ...). Identical findings
 * (same kind and sites) are stored once with a count. */
#ifndef LC_FINDING_H
#define LC_FINDING_H
#include <stdint.h>
#include "stack.h"

/* The kinds are listed in findings.inc. */
enum lc_finding_kind {
#define FINDING(id, name, title, object, style, prefix, label0, label1, task) LC_F_##id,
#include "findings.inc"
#undef FINDING
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
/* The title of a kind ("double close"); "misuse" for an unknown one. */
const char *finding_kind_name(enum lc_finding_kind kind);
#endif
