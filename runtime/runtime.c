/* The fork protocol: every lock in the order runtime.h gives. */
#include "runtime.h"
#include "alloc.h"
#include "chan.h"
#include "fdtab.h"
#include "finding.h"
#include "lockset.h"
#include "slab.h"
#include "snapshot.h"
#include "stack.h"
#include "task.h"

void runtime_fork_prepare(void)
{
    snapshot_stash_lock();
    task_table_lock();
    chan_table_lock();
    stack_depot_lock();
    finding_lock_all();
    lockset_lock_all();
    lc_slab_lock_all();
    lc_alloc_lock();
}

static void unlock_all(void)
{
    lc_alloc_unlock();
    lc_slab_unlock_all();
    lockset_unlock_all();
    finding_unlock_all();
    stack_depot_unlock();
    chan_table_unlock();
    task_table_unlock();
    snapshot_stash_unlock();
    fdtab_note_fork();
}

void runtime_fork_parent(void)
{
    unlock_all();
}

void runtime_fork_child(uint64_t keep_key)
{
    unlock_all();
    snapshot_stash_drop();             /* what the parent read for its coming report */
    if (keep_key) {
        task_table_reset_except(keep_key);
        finding_reset();               /* the parent reports its own misuse */
    }
}
