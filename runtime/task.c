/* The task table. Structure changes (insert, remove) take the table lock; a task's own state fields are written
 * only by the task itself (block/unblock/finish), with the state stored last, and read under the lock by
 * snapshots. A record is freed only once its task can no longer touch it (joined, detached and finished, or
 * for goroutines on their own exit). */
#include "uthash_alloc.h"
#include "task.h"
#include <unistd.h>
#include <sys/syscall.h>
#include <errno.h>
#include "lock.h"
#include <string.h>

static lc_lock_t table_lock = LC_LOCK_INIT;
static struct lc_task *table;
static uint64_t next_id = 1, next_gen = 1;


static const char *const obj_names[LC_OBJ__COUNT][2] = {
#define OBJECT(id, name, plural) [LC_OBJ_##id] = { name, plural },
#include "objects.inc"
#undef OBJECT
};

const char *task_obj_name(unsigned kind, int plural)
{
    return kind < LC_OBJ__COUNT ? obj_names[kind][plural != 0] : NULL;
}

/* A record goes as soon as nobody can need it: its thread ended, detached, and its creator filed it. */
static int reapable(const struct lc_task *t)
{
    return t->state == LC_FINISHED && (t->flags & (LC_TF_DETACHED | LC_TF_PENDING)) == LC_TF_DETACHED;
}
void task_table_lock(void) { lc_lock(&table_lock); }
void task_table_unlock(void) { lc_unlock(&table_lock); }
static uint64_t task_next_id(void) { return __atomic_fetch_add(&next_id, 1, __ATOMIC_RELAXED); }

struct lc_task *task_new(enum lc_task_kind kind, uint64_t key, const struct lc_task *parent, void *start_fn,
                         stack_id created)
{
    struct lc_task *t = lc_calloc(1, sizeof *t);
    if (!t)
        return NULL;
    if (key == 0) {                     /* handle not known yet: provisional key, and keep it alive */
        key = task_provisional_key(t);
        t->flags = LC_TF_PENDING;
    }
    t->key = key;
    t->kind = (uint8_t)kind;
    t->state = LC_RUNNING;
    t->start_fn = start_fn;
    t->started_ns = lc_now_ns();
    t->id = task_next_id();
    t->anc_stack[0] = created;
    if (parent) {
        t->anc_id[0] = parent->id;
        for (int i = 1; i < LC_CHAIN; i++) {
            t->anc_id[i] = parent->anc_id[i - 1];
            t->anc_stack[i] = parent->anc_stack[i - 1];
        }
    }
    struct lc_task *old = NULL;
    lc_lock(&table_lock);
    t->gen = next_gen++;
    HASH_FIND(hh, table, &key, sizeof key, old);
    if (old)
        HASH_DEL(table, old);           /* a handle reused after its task was never reaped */
    HASH_ADD(hh, table, key, sizeof t->key, t);
    lc_unlock(&table_lock);
    if (old)
        lc_free(old);
    return t;
}

struct lc_task *task_find(uint64_t key)
{
    struct lc_task *t = NULL;
    lc_lock(&table_lock);
    HASH_FIND(hh, table, &key, sizeof key, t);
    lc_unlock(&table_lock);
    return t;
}

void task_block(struct lc_task *t, const char *what, enum lc_obj_kind ok, const void *obj, stack_id site)
{
    t->what = what;
    t->obj = obj;
    t->obj_kind = (uint8_t)ok;
    t->site = site;
    t->since_ns = lc_now_ns();
    __atomic_store_n(&t->state, LC_BLOCKED, __ATOMIC_RELEASE);
}

void task_unblock(struct lc_task *t)
{
    __atomic_store_n(&t->state, LC_RUNNING, __ATOMIC_RELEASE);
    t->what = NULL;
}

static void task_finish(struct lc_task *t, stack_id where)
{
    t->what = NULL;
    t->site = where;
    t->since_ns = lc_now_ns();
    __atomic_store_n(&t->state, LC_FINISHED, __ATOMIC_RELEASE);
}

void task_remove(struct lc_task *t)
{
    lc_lock(&table_lock);
    HASH_DEL(table, t);
    lc_unlock(&table_lock);
    lc_free(t);
}

void task_exit(struct lc_task *t, stack_id where)
{
    int reap;
    lc_lock(&table_lock);
    task_finish(t, where);
    reap = reapable(t);
    if (reap)
        HASH_DEL(table, t);
    lc_unlock(&table_lock);
    if (reap)
        lc_free(t);
}

int task_detach(uint64_t key)
{
    struct lc_task *t = NULL;
    int reap = 0;
    lc_lock(&table_lock);
    HASH_FIND(hh, table, &key, sizeof key, t);
    if (t) {
        __atomic_or_fetch(&t->flags, LC_TF_DETACHED, __ATOMIC_RELAXED);
        reap = reapable(t);
        if (reap)
            HASH_DEL(table, t);
    }
    lc_unlock(&table_lock);
    if (reap)
        lc_free(t);
    return t != NULL;
}

void task_reap(uint64_t key, uint64_t gen)
{
    struct lc_task *t = NULL;
    lc_lock(&table_lock);
    HASH_FIND(hh, table, &key, sizeof key, t);
    if (t && t->gen == gen)
        HASH_DEL(table, t);
    else
        t = NULL;
    lc_unlock(&table_lock);
    lc_free(t);
}

void task_rekey(struct lc_task *t, uint64_t key)
{
    struct lc_task *old = NULL;
    int reap;
    lc_lock(&table_lock);
    HASH_DEL(table, t);
    __atomic_and_fetch(&t->flags, (uint16_t)~LC_TF_PENDING, __ATOMIC_RELAXED);
    /* Ended detached already: its handle may even belong to a newer thread by now, so leave that key alone. */
    reap = reapable(t);
    if (!reap) {
        HASH_FIND(hh, table, &key, sizeof key, old);
        if (old)
            HASH_DEL(table, old);       /* the handle's previous owner was never reaped */
        t->key = key;
        HASH_ADD(hh, table, key, sizeof t->key, t);
    }
    lc_unlock(&table_lock);
    lc_free(old);
    if (reap)
        lc_free(t);
}

uint64_t task_gen(uint64_t key)
{
    struct lc_task *t = NULL;
    uint64_t gen = 0;
    lc_lock(&table_lock);
    HASH_FIND(hh, table, &key, sizeof key, t);
    if (t)
        gen = t->gen;
    lc_unlock(&table_lock);
    return gen;
}

void task_set_flag(struct lc_task *t, uint16_t flag, int on)
{
    if (on)
        __atomic_or_fetch(&t->flags, flag, __ATOMIC_RELAXED);
    else
        __atomic_and_fetch(&t->flags, (uint16_t)~flag, __ATOMIC_RELAXED);
}

void task_foreach(void (*fn)(struct lc_task *, void *), void *arg)
{
    task_foreach_timed(fn, arg, -1);
}

int task_foreach_timed(void (*fn)(struct lc_task *, void *), void *arg, int timeout_ms)
{
    struct lc_task *t, *tmp;
    if (!lc_lock_timed(&table_lock, timeout_ms))
        return -1;
    HASH_ITER(hh, table, t, tmp)
        fn(t, arg);
    lc_unlock(&table_lock);
    return 0;
}

size_t task_count(void)
{
    return HASH_COUNT(table);
}

void task_table_reset_except(uint64_t keep_key)
{
    struct lc_task *t, *tmp;
    lc_lock(&table_lock);
    HASH_ITER(hh, table, t, tmp) {
        if (t->key != keep_key) {
            HASH_DEL(table, t);
            lc_free(t);
        }
    }
    lc_unlock(&table_lock);
}

int task_thread_alive(pid_t pid, int tid)
{
    int saved = errno;
    long r = syscall(SYS_tgkill, pid ? pid : getpid(), tid, 0);
    int gone = r != 0 && errno == ESRCH;
    errno = saved;
    return !gone;
}
