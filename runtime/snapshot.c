/* Copy the tables under their locks (bounded waits), so report/ can take its time without blocking tasks. */
#include "snapshot.h"
#include "alloc.h"
#include "deadlock.h"
#include "fdtab.h"
#include "lock.h"
#include "lockset.h"
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

struct copy_ctx { void *dst; size_t n, max; size_t size; };

static void copy_one(void *src, struct copy_ctx *c)
{
    if (c->n < c->max)
        memcpy((char *)c->dst + c->n++ * c->size, src, c->size);
}
static int cmp_key(const void *a, const void *b);

/* ---- tasks, twins folded ------------------------------------------------------------------------------- */
#define HOLDERS_MAX 4096                /* more tasks holding locks than this: nothing is folded */

struct task_copy {
    struct lc_snapshot *s;
    size_t max;                         /* room in tasks, and in twin */
    uint32_t *fold;                     /* open addressing, task index + 1 (NULL: no folding) */
    size_t fold_mask;
    const uint64_t *holders;            /* sorted */
    size_t nholders;
};

static int holds_lock(const struct task_copy *c, uint64_t id)
{
    return c->nholders && bsearch(&id, c->holders, c->nholders, sizeof id, cmp_key);
}

static uint64_t fold_hash(const struct lc_task *t)
{
    uint64_t v[] = { (uintptr_t)t->what, (uintptr_t)t->obj, (uintptr_t)t->start_fn, t->anc_id[0],
                     (uint64_t)t->site << 32 | t->anc_stack[0], (uint64_t)t->state << 16 | t->flags };
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        h = (h ^ v[i]) * 1099511628211ull;
    return h ^ h >> 29;
}

/* Twins: the same record in everything a report reads but id and times. */
static int same_but_id(const struct lc_task *a, const struct lc_task *b)
{
    return a->kind == b->kind && a->state == b->state && a->flags == b->flags && a->obj_kind == b->obj_kind &&
           a->what == b->what && a->obj == b->obj && a->start_fn == b->start_fn && a->site == b->site &&
           a->tid == b->tid && memcmp(a->anc_id, b->anc_id, sizeof a->anc_id) == 0 &&
           memcmp(a->anc_stack, b->anc_stack, sizeof a->anc_stack) == 0;
}

static void add_twin(struct lc_snapshot *s, uint32_t i, const struct lc_task *t)
{
    struct lc_task *e = &s->tasks[i];
    struct lc_twin tw = { t->id, t->started_ns, t->since_ns };
    if (task_state_since(t) < task_state_since(e)) {   /* the task copied is the oldest */
        tw = (struct lc_twin){ e->id, e->started_ns, e->since_ns };
        e->id = t->id, e->started_ns = t->started_ns, e->since_ns = t->since_ns, e->key = t->key;
    }
    uint32_t k = (uint32_t)s->ntwins++;
    s->twin[k] = tw;
    struct lc_twins *l = &s->twins[i];
    if (l->tail)
        s->twin_next[l->tail - 1] = k + 1;
    else
        l->head = k + 1;
    l->tail = k + 1;
    l->n++;
}

static void copy_task(struct lc_task *t, void *arg)
{
    struct task_copy *c = arg;
    struct lc_snapshot *s = c->s;
    uint32_t *slot = NULL;
    if (c->fold && t->kind == LC_GOROUTINE && !(t->flags & (LC_TF_MAIN | LC_TF_EXITING | LC_TF_PENDING)) &&
        !holds_lock(c, t->id)) {
        for (size_t j = fold_hash(t) & c->fold_mask;; j = (j + 1) & c->fold_mask) {
            slot = &c->fold[j];
            if (!*slot)
                break;                  /* the first of its kind */
            if (same_but_id(&s->tasks[*slot - 1], t)) {
                if (s->ntwins < c->max) {
                    add_twin(s, *slot - 1, t);
                    return;
                }
                slot = NULL;            /* no room for twins: copied whole */
                break;
            }
        }
    }
    if (s->ntasks >= c->max)
        return;
    memcpy(&s->tasks[s->ntasks], t, sizeof *t);
    if (slot)
        *slot = (uint32_t)++s->ntasks;
    else
        s->ntasks++;
}

/* Room for max tasks in s, twins folded when fold (else copied whole). These mappings are fresh: only what is
 * written of them takes memory. Returns 0, or -1 when out of memory. */
static int copy_begin(struct lc_snapshot *s, struct task_copy *c, size_t max, int fold)
{
    *c = (struct task_copy){ .s = s, .max = max };
    if (!(s->tasks = lc_calloc(max, sizeof *s->tasks)))
        return -1;
    if (!fold)
        return 0;
    size_t slots = 64;
    while (slots < 2 * max)
        slots *= 2;
    s->twins = lc_calloc(max, sizeof *s->twins);
    s->twin = lc_calloc(max, sizeof *s->twin);
    s->twin_next = lc_calloc(max, sizeof *s->twin_next);
    c->fold = s->twins && s->twin && s->twin_next ? lc_calloc(slots, sizeof *c->fold) : NULL;
    c->fold_mask = slots - 1;
    return 0;
}

static void copy_end(struct lc_snapshot *s, struct task_copy *c)
{
    lc_free(c->fold);
    c->fold = NULL;
    if (!s->ntwins) {                   /* nothing folded: the readers' simple case */
        lc_free(s->twins);
        lc_free(s->twin);
        lc_free(s->twin_next);
        s->twins = NULL;
        s->twin = NULL;
        s->twin_next = NULL;
    }
}

/* Task i of from and its twins, into c. */
static void copy_with_twins(const struct lc_snapshot *from, size_t i, struct task_copy *c)
{
    struct lc_task t = from->tasks[i];
    copy_task(&t, c);
    struct lc_twin_it it = snapshot_twins(from, i);
    for (const struct lc_twin *tw; (tw = snapshot_twin_next(&it));) {
        snapshot_as_twin(&from->tasks[i], tw, &t);
        copy_task(&t, c);
    }
}

/* ---- the stash --------------------------------------------------------------------------------------------- */
static struct lc_snapshot stash;
static struct task_copy stash_copy;
static lc_lock_t stash_lock = LC_LOCK_INIT;

static void stash_drop_locked(void)
{
    lc_free(stash_copy.fold);
    snapshot_free(&stash);
    memset(&stash_copy, 0, sizeof stash_copy);
}

int snapshot_stash_begin(size_t max)
{
    lc_lock(&stash_lock);
    stash_drop_locked();
    int r = copy_begin(&stash, &stash_copy, max + task_count() + 64, 1);   /* the snapshot's room (adopt) */
    lc_unlock(&stash_lock);
    return r;
}

void snapshot_stash(const struct lc_task *t)
{
    lc_lock(&stash_lock);
    if (stash.tasks)
        copy_task((struct lc_task *)t, &stash_copy);
    lc_unlock(&stash_lock);
}

void snapshot_stash_lock(void) { lc_lock(&stash_lock); }
void snapshot_stash_unlock(void) { lc_unlock(&stash_lock); }

void snapshot_stash_drop(void)
{
    lc_lock(&stash_lock);
    stash_drop_locked();
    lc_unlock(&stash_lock);
}

/* Copies the task table and the stash (which it empties) into s->tasks, twins folded. Returns 0, or -1 when
 * the table's locks could not be had. */
static int copy_tasks(struct lc_snapshot *s, int timeout_ms)
{
    lc_lock(&stash_lock);
    struct task_copy c;
    uint64_t *holders = lc_calloc(HOLDERS_MAX, sizeof *holders);
    size_t nholders = holders ? lockset_holder_ids(holders, HOLDERS_MAX) : HOLDERS_MAX + 1;
    int fold = nholders <= HOLDERS_MAX, r = 0, ready;
    size_t need = task_count() + 64;
    if (fold && stash.tasks && stash_copy.fold && stash_copy.max - stash.ntasks >= need &&
        stash_copy.max - stash.ntwins >= need) {
        /* the stash has room for the table: it becomes the snapshot (no second copy of its twins) */
        s->tasks = stash.tasks, s->ntasks = stash.ntasks;
        s->twins = stash.twins, s->twin = stash.twin, s->twin_next = stash.twin_next, s->ntwins = stash.ntwins;
        c = stash_copy;
        c.s = s;
        memset(&stash, 0, sizeof stash);
        memset(&stash_copy, 0, sizeof stash_copy);
        ready = 1;
    } else {
        /* sized for the worst case (no twin at all, or all twins of one), the table may grow meanwhile:
         * copy what fits */
        copy_end(&stash, &stash_copy);
        ready = copy_begin(s, &c, need + stash.ntasks + stash.ntwins, fold) == 0;
        for (size_t i = 0; ready && i < stash.ntasks; i++)
            copy_with_twins(&stash, i, &c);
    }
    if (ready) {
        qsort(holders, fold ? nholders : 0, sizeof *holders, cmp_key);
        c.holders = holders;
        c.nholders = fold ? nholders : 0;
        r = task_foreach_timed(copy_task, &c, timeout_ms);
        copy_end(s, &c);
    }
    stash_drop_locked();
    lc_unlock(&stash_lock);
    lc_free(holders);
    return r;
}

struct lc_twin_it snapshot_twins(const struct lc_snapshot *s, size_t i)
{
    return (struct lc_twin_it){ s, s->twins ? s->twins[i].head : 0 };
}

const struct lc_twin *snapshot_twin_next(struct lc_twin_it *it)
{
    if (!it->k)
        return NULL;
    const struct lc_twin *tw = &it->s->twin[it->k - 1];
    it->k = it->s->twin_next[it->k - 1];
    return tw;
}

void snapshot_as_twin(const struct lc_task *t, const struct lc_twin *tw, struct lc_task *out)
{
    *out = *t;
    out->id = tw->id;
    out->started_ns = tw->started_ns;
    out->since_ns = tw->since_ns;
}
/* Go channels: only those a task of the copy waits on or a finding names (the table holds the history of every
 * channel made lately; a report is about these). fd channels: all of them. */
struct chan_ctx { struct copy_ctx c; const uint64_t *want; size_t nwant; };

static int cmp_key(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void copy_chan(struct lc_chan *ch, void *arg)
{
    struct chan_ctx *cc = arg;
    if (ch->kind == LC_CH_GO && !(cc->want && bsearch(&ch->key, cc->want, cc->nwant, sizeof *cc->want, cmp_key)))
        return;
    copy_one(ch, &cc->c);
}

static int cmp_chan(const void *a, const void *b)
{
    return cmp_key(&((const struct lc_chan *)a)->key, &((const struct lc_chan *)b)->key);
}

static void index_by_id(struct lc_snapshot *s);

static const char *runtime_name = "c", *runtime_version;

void snapshot_set_runtime(const char *name, const char *version)
{
    runtime_name = name;
    runtime_version = version;
}

static pid_t subject;
static lc_peek_fn subject_peek;
static uintptr_t shim_data_lo, shim_data_hi;

void snapshot_set_process(pid_t pid, lc_peek_fn peek)
{
    subject = pid;
    subject_peek = peek;
}

void snapshot_set_shim_data(uintptr_t lo, uintptr_t hi)
{
    shim_data_lo = lo;
    shim_data_hi = hi;
}

/* A thread of this process that runs as far as the wrappers know, but sleeps in a system call they do not
 * follow (accept, recvfrom, a read on a socket, nanosleep, a futex of its own, pause...): blocked in it, since
 * when unknown (one waiting for a signal, in pause or sigsuspend, for signals not known: obj 0). A futex wait
 * on the shim's own data is the shim's lock, held a moment: the thread stays running. One whose record says
 * blocked by now went into a wrapper's wait after the copy was made: that wait is the one shown. */
static void syscall_view(struct lc_task *t)
{
    long nr, arg0;
    enum lc_obj_kind ok;
    const void *obj;
    const char *name;
    if (!task_thread_syscall(t->tid, &nr, &arg0) || !(name = task_syscall_wait(nr, arg0, &ok, &obj)))
        return;
    if (nr == SYS_futex && (uintptr_t)arg0 - shim_data_lo < shim_data_hi - shim_data_lo)
        return;
    struct lc_task now;
    if (task_wait_now(t->key, t->id, &now)) {
        /* it entered a wrapper's wait after it was copied: that wait, as the record has it now */
        task_block_at(t, now.what, (enum lc_obj_kind)now.obj_kind, now.obj, now.site, now.since_ns);
        return;
    }
    t->state = LC_BLOCKED;
    t->what = name;
    t->obj_kind = (uint8_t)ok;
    t->obj = obj;
    t->site = 0;
    t->since_ns = 0;
    t->flags |= LC_TF_AGE_UNKNOWN;
}

int snapshot_take(struct lc_snapshot *s, int timeout_ms)
{
    memset(s, 0, sizeof *s);
    s->runtime = runtime_name;
    s->runtime_version = runtime_version;
    s->pid = subject ? subject : getpid();
    s->peek = subject_peek;
    if (copy_tasks(s, timeout_ms) != 0) {
        snapshot_free(s);
        return -1;                      /* a task table lock held that long: something is badly wrong */
    }

    lockset_order_confirm(0);           /* goroutines' lock-order cycles whose holds are over */
    size_t fn = finding_count() + 8;
    s->findings = lc_calloc(fn, sizeof *s->findings);
    if (s->findings) {
        size_t got = finding_copy(s->findings, fn);
        s->nfindings = got < fn ? got : fn;
    }

    /* the Go channels wanted: by the tasks' waits and the findings' objects, sorted for the copy's lookups (the
     * array is sized for the worst case; many tasks on one channel write, and make resident, one entry) */
    uint64_t *want = lc_calloc(s->ntasks + s->nfindings + 1, sizeof(uint64_t));
    size_t nwant = 0;
    for (size_t i = 0; want && i < s->ntasks; i++)
        if (s->tasks[i].obj_kind == LC_OBJ_CHAN && s->tasks[i].obj &&
            !(nwant && want[nwant - 1] == (uint64_t)(uintptr_t)s->tasks[i].obj))
            want[nwant++] = (uint64_t)(uintptr_t)s->tasks[i].obj;
    for (size_t i = 0; want && i < s->nfindings; i++)
        if (s->findings[i].obj)
            want[nwant++] = (uint64_t)(uintptr_t)s->findings[i].obj;
    if (want)
        qsort(want, nwant, sizeof *want, cmp_key);
    size_t cwant = chan_count() + 64;
    if (want && cwant > nwant + chan_fd_count() + 64)
        cwant = nwant + chan_fd_count() + 64;
    s->chans = lc_calloc(cwant, sizeof *s->chans);
    struct chan_ctx cc = { { s->chans, 0, s->chans ? cwant : 0, sizeof *s->chans }, want, nwant };
    if (chan_foreach_timed(copy_chan, &cc, timeout_ms) != 0)
        cc.c.n = 0;                     /* report the tasks without channel details */
    s->nchans = cc.c.n;
    lc_free(want);
    if (s->chans)
        qsort(s->chans, s->nchans, sizeof *s->chans, cmp_chan);   /* snapshot_chan's binary search */
    s->now_ns = lc_now_ns();
    s->forks = fdtab_forks();
    /* A thread that left through a raw exit system call never ran its end (TLS destructors): the kernel no
     * longer has it, so it is finished, not still running. */
    int self = (int)syscall(SYS_gettid);   /* its own view would be the read of that view */
    for (size_t i = 0; i < s->ntasks; i++) {
        struct lc_task *t = &s->tasks[i];
        if (t->kind == LC_THREAD && t->state != LC_FINISHED && t->tid > 0 && !task_thread_alive(s->pid, t->tid)) {
            t->state = LC_FINISHED;
            t->since_ns = s->now_ns;
        } else if (t->kind == LC_THREAD && t->state == LC_RUNNING && t->tid > 0 && t->tid != self && !subject &&
                   !(t->flags & LC_TF_INTERNAL)) {
            syscall_view(t);
        }
    }
    /* signal watchers: a goroutine on a channel os/signal delivers to, a thread in sigwait and kin */
    int notify = chan_notify_count() != 0;
    for (size_t i = 0; i < s->ntasks; i++) {
        struct lc_task *t = &s->tasks[i];
        if (t->state == LC_BLOCKED && (t->obj_kind == LC_OBJ_SIGNALS ||
                                       (notify && t->obj_kind == LC_OBJ_CHAN &&
                                        chan_notified((uint64_t)(uintptr_t)t->obj))))
            t->flags |= LC_TF_SIGWAIT;
    }
    index_by_id(s);
    deadlock_note_waits(s);
    return 0;
}

void snapshot_free(struct lc_snapshot *s)
{
    lc_free(s->tasks);
    lc_free(s->chans);
    lc_free(s->findings);
    lc_free(s->waits);
    lc_free(s->by_id);
    lc_free(s->twins);
    lc_free(s->twin);
    lc_free(s->twin_next);
    lc_free(s->twin_ids);
    memset(s, 0, sizeof *s);
}

/* by_id: the reports look tasks up by id for every lock waiter (its holder), so with many waiters a scan each
 * time would make a report quadratic. */
static int cmp_by_id(const void *a, const void *b, void *arg)
{
    const struct lc_task *t = arg;
    uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)b;
    if (t[i].id != t[j].id)
        return t[i].id < t[j].id ? -1 : 1;
    return i < j ? -1 : i > j;
}

static void index_by_id(struct lc_snapshot *s)
{
    if (!s->ntasks || s->ntasks > UINT32_MAX || !(s->by_id = lc_calloc(s->ntasks, sizeof *s->by_id)))
        return;                         /* found by a scan instead */
    for (size_t i = 0; i < s->ntasks; i++)
        s->by_id[i] = (uint32_t)i;
    qsort_r(s->by_id, s->ntasks, sizeof *s->by_id, cmp_by_id, s->tasks);
}

/* Twins by id (sorted), for the lookups that miss the tasks copied whole. */
struct __attribute__((packed)) lc_twin_ref { uint64_t id; uint32_t task; };

static int cmp_ref(const void *a, const void *b)
{
    uint64_t x = ((const struct lc_twin_ref *)a)->id, y = ((const struct lc_twin_ref *)b)->id;  /* packed */
    return x < y ? -1 : x > y;
}

static const struct lc_task *find_twin(const struct lc_snapshot *s, int kind, uint64_t id)
{
    if (!s->ntwins)
        return NULL;
    struct lc_twin_ref *refs = s->twin_ids;
    if (!refs) {                        /* the snapshot is the report's own: made once, on first need */
        if (!(refs = lc_calloc(s->ntwins, sizeof *refs)))
            return NULL;
        size_t n = 0;
        for (size_t i = 0; i < s->ntasks; i++) {
            struct lc_twin_it it = snapshot_twins(s, i);
            for (const struct lc_twin *tw; (tw = snapshot_twin_next(&it)) && n < s->ntwins;)
                refs[n++] = (struct lc_twin_ref){ tw->id, (uint32_t)i };
        }
        qsort(refs, n, sizeof *refs, cmp_ref);
        ((struct lc_snapshot *)s)->twin_ids = refs;
    }
    struct lc_twin_ref k = { .id = id };
    const struct lc_twin_ref *r = bsearch(&k, refs, s->ntwins, sizeof *refs, cmp_ref);
    if (!r)
        return NULL;
    while (r > refs && r[-1].id == id)
        r--;
    for (; r < refs + s->ntwins && r->id == id; r++)
        if (kind < 0 || s->tasks[r->task].kind == kind)
            return &s->tasks[r->task];
    return NULL;
}

/* kind < 0: any */
static const struct lc_task *find_id(const struct lc_snapshot *s, int kind, uint64_t id)
{
    if (!s->by_id) {
        for (size_t i = 0; i < s->ntasks; i++)
            if (s->tasks[i].id == id && (kind < 0 || s->tasks[i].kind == kind))
                return &s->tasks[i];
        return find_twin(s, kind, id);
    }
    size_t lo = 0, hi = s->ntasks;      /* the first entry with this id */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->tasks[s->by_id[mid]].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < s->ntasks && s->tasks[s->by_id[lo]].id == id; lo++)
        if (kind < 0 || s->tasks[s->by_id[lo]].kind == kind)
            return &s->tasks[s->by_id[lo]];
    return find_twin(s, kind, id);
}

const struct lc_task *snapshot_task(const struct lc_snapshot *s, uint64_t id)
{
    return find_id(s, -1, id);
}

const struct lc_task *snapshot_task_of(const struct lc_snapshot *s, enum lc_task_kind kind, uint64_t id)
{
    return find_id(s, (int)kind, id);
}

const struct lc_chan *snapshot_chan(const struct lc_snapshot *s, uint64_t key)
{
    struct lc_chan k = { .key = key };
    return s->chans ? bsearch(&k, s->chans, s->nchans, sizeof *s->chans, cmp_chan) : NULL;
}
