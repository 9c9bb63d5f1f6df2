/* Lock and sync-object events: the decisions behind LC_F_SELF_DEADLOCK, LC_F_UNLOCK_UNLOCKED,
 * LC_F_MUTEX_NOT_OWNER, LC_F_MUTEX_DESTROY_LOCKED, LC_F_EXIT_HOLDING_LOCK, LC_F_RECURSIVE_RLOCK and
 * LC_F_NEG_WAITGROUP. */
#include "sync_events.h"
#include "finding.h"
#include <stdio.h>

void lc_mutex_pre_lock(const struct lc_actor *a, struct lc_lockset *ls, const void *lock, enum lc_lock_mode mode)
{
    if (ls && lockset_order_new(ls, lock, mode))
        lockset_new_edge_site(ls, lock, mode, a->site);
}

void lc_mutex_self_deadlock(const struct lc_actor *a, struct lc_lockset *ls, const void *lock, uintptr_t held_pc,
                            const char *note)
{
    if (!held_pc && ls)
        lockset_site(ls->task_id, lock, &held_pc);
    finding_add(LC_F_SELF_DEADLOCK, lock, a->site(), a->task, lockset_site_stack(held_pc), a->task, note);
}

void lc_rwlock_recursive_read(const struct lc_actor *a, struct lc_lockset *ls, const void *lock, uintptr_t held_pc)
{
    if (!held_pc && ls)
        lockset_site(ls->task_id, lock, &held_pc);
    finding_add(LC_F_RECURSIVE_RLOCK, lock, a->site(), a->task, lockset_site_stack(held_pc), a->task, NULL);
}

/* Where the registered holder of lock took it, and who that is. */
static stack_id holder_site(const void *lock, uint64_t *holder)
{
    uintptr_t pc = 0;
    *holder = 0;
    return lockset_holder(lock, holder, &pc) ? lockset_site_stack(pc) : 0;
}

void lc_mutex_unlock_unheld(const struct lc_actor *a, const void *lock, int owner_tid, int self_tid, int locked)
{
    uint64_t holder;
    if (owner_tid == self_tid)
        return;                         /* taken before its task was tracked */
    if (owner_tid == 0 && !locked) {
        lc_mutex_unlock_unlocked(a, lock, NULL);
    } else if (owner_tid != 0) {
        stack_id site = holder_site(lock, &holder);
        char note[64];
        if (owner_tid < 0)              /* no thread id: the lock word is not that of a mutex in use */
            snprintf(note, sizeof note, "owner field %d: not initialised, or corrupt", owner_tid);
        else if (!task_thread_alive(0, owner_tid))
            snprintf(note, sizeof note, "owner tid %d: no thread of this process", owner_tid);
        else
            snprintf(note, sizeof note, "owner tid %d", owner_tid);
        finding_add(LC_F_MUTEX_NOT_OWNER, lock, a->site(), a->task, site, holder, note);
    }
}

void lc_mutex_unlock_unlocked(const struct lc_actor *a, const void *lock, const char *note)
{
    finding_add(LC_F_UNLOCK_UNLOCKED, lock, a->site(), a->task, 0, 0, note);
}

void lc_go_mutex_release(struct lc_lockset *ls, const void *lock)
{
    lockset_release(ls, lock);
}

void lc_mutex_pre_destroy(const struct lc_actor *a, const void *lock, int locked)
{
    uint64_t holder;
    if (!locked)
        return;
    stack_id site = holder_site(lock, &holder);
    finding_add(LC_F_MUTEX_DESTROY_LOCKED, lock, a->site(), a->task, site, holder, NULL);
}

void lc_mutex_forget(const void *lock)
{
    if (lockset_edge_count())
        lockset_forget(lock);
}

void lc_mutex_exit_holding(const struct lc_lockset *ls, const struct lc_task *t, stack_id where,
                           int (*owned)(const struct lc_held *h, int tid))
{
    if (!where && t->start_fn)
        where = lockset_site_stack((uintptr_t)t->start_fn + 1);   /* returned from its start routine */
    for (uint32_t i = 0; i < ls->n && i < lockset_cap(ls); i++) {
        const struct lc_held *h = &ls->held[i];
        if (owned(h, t->tid))
            finding_add(LC_F_EXIT_HOLDING_LOCK, h->lock, where, t->id, lockset_site_stack(LC_HELD_PC(h)), t->id,
                        LC_HELD_MODE(h) == LC_LK_READ ? "read lock" : NULL);
    }
}

void lc_mutex_task_end(struct lc_lockset *ls, const struct lc_task *t, stack_id where,
                       int (*owned)(const struct lc_held *h, int tid))
{
    lc_mutex_exit_holding(ls, t, where, owned);
    if (ls->n == 0)
        lockset_put(ls);
    else
        lockset_free(ls);
}

void lc_waitgroup_negative(const struct lc_actor *a, const void *wg)
{
    finding_add(LC_F_NEG_WAITGROUP, wg, a->site(), a->task, 0, 0, "counter < 0");
}
