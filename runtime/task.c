/* The task table, sharded by key (task.h). Structure changes (insert, remove, a re-key) take the shard lock of
 * the key involved (both shards' for a re-key, in index order); a task's own state fields are written only by
 * the task itself (block/unblock/finish), with the state stored last, and read with every shard locked by
 * snapshots. A record is recycled only once its task can no longer touch it (joined, detached and finished,
 * or for goroutines on their own exit): into its shard's pool, from which the shard's next insert takes it. */
#include "task.h"
#include "alloc.h"
#include "slab.h"
#include <unistd.h>
#include <sys/syscall.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include "lock.h"
#include <string.h>

#define SHARD_BITS 6
#define NSHARD (1u << SHARD_BITS)
#define BUCKETS0 16u
#define TOMBS 8                         /* tombs kept per shard */

struct shard {
    lc_lock_t lock;
    uint32_t npool;                     /* records in the pool */
    struct lc_task **bucket;
    size_t count;
    uint32_t mask;                      /* buckets - 1 */
    uint32_t ntomb;                     /* live tombs: a creator checks none when there are none */
    struct lc_task *pool;
    /* second line: rarely touched */
    struct { uint64_t key, id; } tomb[TOMBS];
    uint32_t tomb_next;
} __attribute__((aligned(64)));

static struct shard shards[NSHARD];
_Static_assert(sizeof(struct lc_task) == 128, "a task record is two cache lines");

/* Fresh records, 64-byte aligned (only when a shard's pool is empty: a table growing). Records are never given
 * back; a removed one waits in its shard's pool. */
static struct lc_slab records = LC_SLAB_INIT(sizeof(struct lc_task));
static struct lc_task *carve(void) { return lc_slab_alloc(&records); }

/* Thread numbers: taken only by tasks that have no id of their own (threads), on a line of its own. */
static struct { uint64_t v; } __attribute__((aligned(64))) next_id = { 1 };

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

static uint64_t mix(uint64_t k)
{
    k ^= k >> 30;
    k *= 0xbf58476d1ce4e5b9ull;
    k ^= k >> 27;
    k *= 0x94d049bb133111ebull;
    return k ^ (k >> 31);
}

static unsigned shard_index(uint64_t key) { return (unsigned)(mix(key) >> (64 - SHARD_BITS)); }
static struct shard *shard_of(uint64_t key) { return &shards[shard_index(key)]; }
static struct lc_task **chain(struct shard *sh, uint64_t key) { return &sh->bucket[mix(key) & sh->mask]; }

static struct lc_task *find_in(struct shard *sh, uint64_t key)
{
    if (!sh->bucket)
        return NULL;
    struct lc_task *t = *chain(sh, key);
    while (t && t->key != key)
        t = t->next;
    return t;
}

static void unlink_from(struct shard *sh, struct lc_task *t)
{
    for (struct lc_task **p = chain(sh, t->key); *p; p = &(*p)->next)
        if (*p == t) {
            *p = t->next;
            sh->count--;
            return;
        }
}

/* Double the buckets once there are more records than buckets (allocator under the shard lock: runtime.h). */
static int grow(struct shard *sh)
{
    uint32_t n = sh->bucket ? (sh->mask + 1) * 2 : BUCKETS0;
    struct lc_task **b = lc_calloc(n, sizeof *b);
    if (!b)
        return sh->bucket != NULL;      /* keep the longer chains */
    for (uint32_t i = 0; sh->bucket && i <= sh->mask; i++)
        for (struct lc_task *t = sh->bucket[i], *nx; t; t = nx) {
            nx = t->next;
            struct lc_task **slot = &b[mix(t->key) & (n - 1)];
            t->next = *slot;
            *slot = t;
        }
    lc_free(sh->bucket);
    sh->bucket = b;
    sh->mask = n - 1;
    return 1;
}

/* Insert t under t->key, dropping a stale record already there (a handle reused before it was reaped). */
static int insert_in(struct shard *sh, struct lc_task *t, struct lc_task **stale)
{
    *stale = find_in(sh, t->key);
    if (*stale)
        unlink_from(sh, *stale);
    if ((!sh->bucket || sh->count > sh->mask) && !grow(sh))
        return 0;
    struct lc_task **slot = chain(sh, t->key);
    t->next = *slot;
    *slot = t;
    sh->count++;
    return 1;
}

static struct lc_task *pool_take(struct shard *sh)
{
    struct lc_task *t = sh->pool;
    if (t) {
        sh->pool = t->next;
        sh->npool--;
        memset(t, 0, sizeof *t);
    }
    return t;
}

/* Into sh's pool (sh locked): the shard's next insert takes it. */
static void recycle(struct shard *sh, struct lc_task *t)
{
    if (!t)
        return;
    t->next = sh->pool;
    sh->pool = t;
    sh->npool++;
}

static void unlock_shards(void)
{
    for (unsigned i = NSHARD; i-- > 0;)
        lc_unlock(&shards[i].lock);
}

/* Lock the shard t is in: t->key changes only under both shards' locks (task_rekey), so re-check it. */
static struct shard *lock_task(const struct lc_task *t)
{
    for (;;) {
        uint64_t k = __atomic_load_n(&t->key, __ATOMIC_RELAXED);
        struct shard *sh = shard_of(k);
        lc_lock(&sh->lock);
        if (__atomic_load_n(&t->key, __ATOMIC_RELAXED) == k)
            return sh;
        lc_unlock(&sh->lock);
    }
}

void task_table_lock(void)
{
    for (unsigned i = 0; i < NSHARD; i++)
        lc_lock(&shards[i].lock);
}

void task_table_unlock(void)
{
    unlock_shards();
}

void task_key_lock(uint64_t key) { lc_lock(&shard_of(key)->lock); }
void task_key_unlock(uint64_t key) { lc_unlock(&shard_of(key)->lock); }
struct lc_task *task_find_locked(uint64_t key) { return find_in(shard_of(key), key); }

void task_tomb_locked(uint64_t key, uint64_t id)
{
    struct shard *sh = shard_of(key);
    unsigned i = sh->tomb_next++ % TOMBS;
    sh->ntomb += sh->tomb[i].key == 0;
    sh->tomb[i].key = key;
    sh->tomb[i].id = id;
}

int task_tomb_take_locked(uint64_t key, uint64_t id)
{
    struct shard *sh = shard_of(key);
    for (unsigned i = 0; i < TOMBS && sh->ntomb; i++)
        if (sh->tomb[i].key == key && sh->tomb[i].id == id) {
            sh->tomb[i].key = 0;
            sh->ntomb--;
            return 1;
        }
    return 0;
}

static void fill(struct lc_task *t, enum lc_task_kind kind, uint64_t id, const struct lc_task *parent,
                 void *start_fn, stack_id created)
{
    t->kind = (uint8_t)kind;
    t->state = LC_RUNNING;
    t->start_fn = start_fn;
    t->started_ns = lc_now_ns();
    t->id = id ? id : __atomic_fetch_add(&next_id.v, 1, __ATOMIC_RELAXED);
    t->anc_stack[0] = created;
    if (parent) {
        t->anc_id[0] = parent->id;
        for (int i = 1; i < LC_CHAIN; i++) {
            t->anc_id[i] = parent->anc_id[i - 1];
            t->anc_stack[i] = parent->anc_stack[i - 1];
        }
    }
}

struct lc_task *task_new_locked(enum lc_task_kind kind, uint64_t key, uint64_t id, const struct lc_task *parent,
                                void *start_fn, stack_id created)
{
    struct shard *sh = shard_of(key);
    struct lc_task *t = pool_take(sh), *stale;
    if (!t && !(t = carve()))
        return NULL;
    t->key = key;
    fill(t, kind, id, parent, start_fn, created);
    if (!insert_in(sh, t, &stale)) {
        recycle(sh, t);
        t = NULL;
    }
    recycle(sh, stale);
    return t;
}

/* A record for a key not known yet: from some shard's pool (in turn, so that pools drained here and refilled
 * wherever records are reaped even out), else a fresh one. */
static struct lc_task *take_any(void)
{
    static __thread __attribute__((tls_model("initial-exec"))) unsigned turn;
    struct shard *sh = &shards[turn++ % NSHARD];
    struct lc_task *t = NULL;
    if (__atomic_load_n(&sh->npool, __ATOMIC_RELAXED)) {
        lc_lock(&sh->lock);
        t = pool_take(sh);
        lc_unlock(&sh->lock);
    }
    return t ? t : carve();
}

struct lc_task *task_new_id(enum lc_task_kind kind, uint64_t key, uint64_t id, const struct lc_task *parent,
                            void *start_fn, stack_id created)
{
    if (key != 0) {
        task_key_lock(key);
        struct lc_task *t = task_new_locked(kind, key, id, parent, start_fn, created);
        task_key_unlock(key);
        return t;
    }
    /* handle not known yet: provisional key, and keep it alive */
    struct lc_task *t = take_any(), *stale;
    if (!t)
        return NULL;
    t->key = key = task_provisional_key(t);
    t->flags = LC_TF_PENDING;
    fill(t, kind, id, parent, start_fn, created);
    struct shard *sh = shard_of(key);
    lc_lock(&sh->lock);
    int ok = insert_in(sh, t, &stale);
    if (!ok)
        recycle(sh, t);
    lc_unlock(&sh->lock);
    return ok ? t : NULL;               /* no stale record: the key is a live record's address */
}

struct lc_task *task_new(enum lc_task_kind kind, uint64_t key, const struct lc_task *parent, void *start_fn,
                         stack_id created)
{
    return task_new_id(kind, key, 0, parent, start_fn, created);
}

struct lc_task *task_find(uint64_t key)
{
    struct shard *sh = shard_of(key);
    lc_lock(&sh->lock);
    struct lc_task *t = find_in(sh, key);
    lc_unlock(&sh->lock);
    return t;
}

int task_wait_now(uint64_t key, uint64_t id, struct lc_task *out)
{
    struct shard *sh = shard_of(key);
    lc_lock(&sh->lock);
    const struct lc_task *t = find_in(sh, key);
    int blocked = t && t->id == id && __atomic_load_n(&t->state, __ATOMIC_ACQUIRE) == LC_BLOCKED;
    if (blocked) {
        out->what = t->what;
        out->obj = t->obj;
        out->obj_kind = t->obj_kind;
        out->site = t->site;
        out->since_ns = t->since_ns;
    }
    lc_unlock(&sh->lock);
    return blocked && out->what;
}

void task_block_at(struct lc_task *t, const char *what, enum lc_obj_kind ok, const void *obj, stack_id site,
                   uint64_t since_ns)
{
    t->what = what;
    t->obj = obj;
    t->obj_kind = (uint8_t)ok;
    t->site = site;
    t->since_ns = since_ns;
    __atomic_store_n(&t->state, LC_BLOCKED, __ATOMIC_RELEASE);
}

void task_block(struct lc_task *t, const char *what, enum lc_obj_kind ok, const void *obj, stack_id site)
{
    task_block_at(t, what, ok, obj, site, lc_now_ns());
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

void task_remove_locked(struct lc_task *t)
{
    struct shard *sh = shard_of(t->key);
    unlink_from(sh, t);
    recycle(sh, t);
}

void task_remove(struct lc_task *t)
{
    struct shard *sh = lock_task(t);
    unlink_from(sh, t);
    recycle(sh, t);
    lc_unlock(&sh->lock);
}

void task_exit(struct lc_task *t, stack_id where)
{
    struct shard *sh = lock_task(t);
    task_finish(t, where);
    if (reapable(t)) {
        unlink_from(sh, t);
        recycle(sh, t);
    }
    lc_unlock(&sh->lock);
}

int task_detach(uint64_t key)
{
    struct shard *sh = shard_of(key);
    lc_lock(&sh->lock);
    struct lc_task *t = find_in(sh, key);
    if (t) {
        __atomic_or_fetch(&t->flags, LC_TF_DETACHED, __ATOMIC_RELAXED);
        if (reapable(t)) {
            unlink_from(sh, t);
            recycle(sh, t);
        }
    }
    lc_unlock(&sh->lock);
    return t != NULL;
}

void task_reap(uint64_t key, uint64_t gen)
{
    struct shard *sh = shard_of(key);
    lc_lock(&sh->lock);
    struct lc_task *t = find_in(sh, key);
    if (t && t->id == gen) {
        unlink_from(sh, t);
        recycle(sh, t);
    }
    lc_unlock(&sh->lock);
}

void task_rekey(struct lc_task *t, uint64_t key)
{
    /* only the creator re-keys, once: t->key is stable until this stores the new one */
    struct shard *from = shard_of(t->key), *to = shard_of(key);
    struct lc_task *old = NULL;
    struct shard *first = from < to ? from : to, *second = from < to ? to : from;
    lc_lock(&first->lock);
    if (second != first)
        lc_lock(&second->lock);
    unlink_from(from, t);
    __atomic_and_fetch(&t->flags, (uint16_t)~LC_TF_PENDING, __ATOMIC_RELAXED);
    /* Ended detached already: its handle may even belong to a newer thread by now, so leave that key alone. */
    if (reapable(t)) {
        recycle(from, t);
    } else {
        __atomic_store_n(&t->key, key, __ATOMIC_RELAXED);
        if (!insert_in(to, t, &old))
            recycle(to, t);             /* out of memory: the thread goes untracked */
        recycle(to, old);
    }
    if (second != first)
        lc_unlock(&second->lock);
    lc_unlock(&first->lock);
}

uint64_t task_gen(uint64_t key)
{
    struct shard *sh = shard_of(key);
    lc_lock(&sh->lock);
    struct lc_task *t = find_in(sh, key);
    uint64_t gen = t ? t->id : 0;
    lc_unlock(&sh->lock);
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

/* Every shard locked, in index order, within one deadline; 0 when one could not be had (none is then held). */
static int lock_all_timed(int timeout_ms)
{
    uint64_t end = timeout_ms < 0 ? 0 : lc_now_ns() + (uint64_t)timeout_ms * 1000000u;
    for (unsigned i = 0; i < NSHARD; i++) {
        int left = -1;
        if (timeout_ms >= 0) {
            uint64_t now = lc_now_ns();
            left = now >= end ? 0 : (int)((end - now + 999999u) / 1000000u);
        }
        if (!lc_lock_timed(&shards[i].lock, left)) {
            while (i-- > 0)
                lc_unlock(&shards[i].lock);
            return 0;
        }
    }
    return 1;
}

int task_foreach_timed(void (*fn)(struct lc_task *, void *), void *arg, int timeout_ms)
{
    if (!lock_all_timed(timeout_ms))
        return -1;
    for (unsigned i = 0; i < NSHARD; i++)
        for (uint32_t b = 0; shards[i].bucket && b <= shards[i].mask; b++)
            for (struct lc_task *t = shards[i].bucket[b]; t; t = t->next)
                fn(t, arg);
    unlock_shards();
    return 0;
}

size_t task_count(void)
{
    size_t n = 0;
    for (unsigned i = 0; i < NSHARD; i++)
        n += __atomic_load_n(&shards[i].count, __ATOMIC_RELAXED);
    return n;
}

void task_table_reset_except(uint64_t keep_key)
{
    lock_all_timed(-1);
    for (unsigned i = 0; i < NSHARD; i++) {
        struct shard *sh = &shards[i];
        for (uint32_t b = 0; sh->bucket && b <= sh->mask; b++) {
            struct lc_task **p = &sh->bucket[b];
            while (*p) {
                struct lc_task *t = *p;
                if (t->key == keep_key) {
                    p = &t->next;
                    continue;
                }
                *p = t->next;
                sh->count--;
                recycle(sh, t);
            }
        }
    }
    unlock_shards();
}

/* What a system call's first argument names (syscalls.inc). */
enum lc_sysarg { LC_SYSARG_NONE, LC_SYSARG_FD, LC_SYSARG_FUTEX, LC_SYSARG_SIGNALS };
static const struct { long nr; const char *name; enum lc_sysarg arg; } syscalls[] = {
#define SYSCALL(nr, name, arg) { nr, name, LC_SYSARG_##arg },
#include "syscalls.inc"
#undef SYSCALL
};

const char *task_syscall_wait(long nr, long arg0, enum lc_obj_kind *ok, const void **obj)
{
    for (size_t i = 0; i < sizeof syscalls / sizeof syscalls[0]; i++) {
        if (syscalls[i].nr != nr)
            continue;
        switch (syscalls[i].arg) {
        case LC_SYSARG_FD:      *ok = LC_OBJ_FD, *obj = (const void *)(intptr_t)(int)arg0; break;
        case LC_SYSARG_FUTEX:   *ok = LC_OBJ_OTHER, *obj = (const void *)(uintptr_t)arg0; break;
        case LC_SYSARG_SIGNALS: *ok = LC_OBJ_SIGNALS, *obj = NULL; break;
        case LC_SYSARG_NONE:    *ok = LC_OBJ_NONE, *obj = NULL; break;
        }
        return syscalls[i].name;
    }
    return NULL;
}

int task_thread_syscall(int tid, long *nr, long *arg0)
{
    char path[64], buf[256];
    int saved = errno;
    snprintf(path, sizeof path, "/proc/self/task/%d/syscall", tid);
    long fd = syscall(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC), n = -1;
    if (fd >= 0) {
        n = syscall(SYS_read, fd, buf, sizeof buf - 1);
        syscall(SYS_close, fd);
    }
    errno = saved;
    if (n <= 0)
        return 0;
    buf[n] = 0;
    /* "NR ARG1 ... ARG6 SP PC" while asleep in a call; "running", or "-1 SP PC" outside one */
    char *end;
    *nr = strtol(buf, &end, 10);
    if (end == buf || *nr < 0)
        return 0;
    *arg0 = (long)strtoul(end, NULL, 16);
    return 1;
}

int task_thread_alive(pid_t pid, int tid)
{
    int saved = errno;
    long r = syscall(SYS_tgkill, pid ? pid : getpid(), tid, 0);
    int gone = r != 0 && errno == ESRCH;
    errno = saved;
    return !gone;
}
