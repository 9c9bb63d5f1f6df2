/* Whole-runtime operations: the fork protocol. Every runtime lock is held across fork(), always taken in this
 * order (and never in another one anywhere): snapshot stash -> task table -> channel table (which guards the
 * fd table too) -> unwinder -> stack depot -> findings -> lock-order graph -> slabs -> allocator. The task
 * table is one lock per shard (task.h): a task's spawn, end or re-key takes its key's shard (a re-key both
 * shards, lower index first), a whole-table reader and fork take every shard in index order. The slabs
 * (slab.h: task records, thread locksets) and the allocator are taken under each of the others, never the
 * reverse; the graph lock is a leaf (nothing is taken or allocated under it). */
#ifndef LC_RUNTIME_H
#define LC_RUNTIME_H
#include <stdint.h>

void runtime_fork_prepare(void);
/* After fork, in the parent: unlock, and remember that fd channels made so far may be shared with a child. */
void runtime_fork_parent(void);
/* After fork, in the child: the same; with keep_key != 0 also drop every task but the forking thread's and the
 * parent's findings. */
void runtime_fork_child(uint64_t keep_key);
#endif
