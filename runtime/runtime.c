/* Lock order: task table -> channel table -> stack depot -> findings -> allocator (the allocator is taken
 * under each of the others, never the reverse). */
#include "runtime.h"
#include "alloc.h"
#include "chan.h"
#include "finding.h"
#include "stack.h"
#include "task.h"

void runtime_lock_all(void)
{
    task_table_lock();
    chan_table_lock();
    stack_depot_lock();
    finding_lock_all();
    lc_alloc_lock();
}

void runtime_unlock_all(void)
{
    lc_alloc_unlock();
    finding_unlock_all();
    stack_depot_unlock();
    chan_table_unlock();
    task_table_unlock();
}

void runtime_child_reset(uint64_t keep_key)
{
    task_table_reset_except(keep_key);
    finding_reset();               /* the parent reports its own misuse */
}
