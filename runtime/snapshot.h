/* A consistent copy of the runtime tables, taken under their locks, for report/ to read at leisure. */
#ifndef LC_SNAPSHOT_H
#define LC_SNAPSHOT_H
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "task.h"
#include "chan.h"
#include "finding.h"

struct lc_snapshot {
    uint64_t now_ns;
    pid_t pid;
    struct lc_task *tasks; size_t ntasks;       /* copies; their hh fields are meaningless */
    struct lc_chan *chans; size_t nchans;
    struct lc_finding *findings; size_t nfindings;
};

/* Returns 0, or -1 when a lock could not be had within timeout_ms (a report must never hang). */
int snapshot_take(struct lc_snapshot *s, int timeout_ms);
void snapshot_free(struct lc_snapshot *s);
/* The task with this id in the snapshot, or NULL. */
const struct lc_task *snapshot_task(const struct lc_snapshot *s, uint64_t id);
const struct lc_chan *snapshot_chan(const struct lc_snapshot *s, uint64_t key);
#endif
