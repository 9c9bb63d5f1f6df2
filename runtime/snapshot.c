/* Copy the tables under their locks (bounded waits), so report/ can take its time without blocking tasks. */
#include "snapshot.h"
#include "alloc.h"
#include "deadlock.h"
#include "fdtab.h"
#include "lock.h"
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
static void copy_task(struct lc_task *t, void *arg) { copy_one(t, arg); }
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

void snapshot_set_process(pid_t pid, lc_peek_fn peek)
{
    subject = pid;
    subject_peek = peek;
}

/* A thread of this process that runs as far as the wrappers know, but sleeps in a system call they do not
 * follow (accept, recvfrom, a read on a socket, nanosleep, a futex of its own, pause...): blocked in it, since
 * when unknown (one waiting for a signal, in pause or sigsuspend, for signals not known: obj 0). */
static void syscall_view(struct lc_task *t)
{
    long nr, arg0;
    enum lc_sysarg arg;
    const char *name;
    if (!task_thread_syscall(t->tid, &nr, &arg0) || !(name = task_syscall_name(nr, &arg)))
        return;
    t->state = LC_BLOCKED;
    t->what = name;
    t->obj_kind = arg == LC_SYSARG_FD ? LC_OBJ_FD : arg == LC_SYSARG_FUTEX ? LC_OBJ_OTHER :
                  arg == LC_SYSARG_SIGNALS ? LC_OBJ_SIGNALS : LC_OBJ_NONE;
    t->obj = arg == LC_SYSARG_FD ? (const void *)(intptr_t)(int)arg0 : arg == LC_SYSARG_FUTEX ?
             (const void *)(uintptr_t)arg0 : NULL;
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
    /* Tasks: size the copy, then copy under the lock (the table may grow in between: copy what fits). */
    size_t twant = task_count() + 64;
    s->tasks = lc_calloc(twant, sizeof *s->tasks);
    struct copy_ctx tc = { s->tasks, 0, s->tasks ? twant : 0, sizeof *s->tasks };
    if (task_foreach_timed(copy_task, &tc, timeout_ms) != 0) {
        snapshot_free(s);
        return -1;                      /* a task table lock held that long: something is badly wrong */
    }
    s->ntasks = tc.n;

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

/* kind < 0: any */
static const struct lc_task *find_id(const struct lc_snapshot *s, int kind, uint64_t id)
{
    if (!s->by_id) {
        for (size_t i = 0; i < s->ntasks; i++)
            if (s->tasks[i].id == id && (kind < 0 || s->tasks[i].kind == kind))
                return &s->tasks[i];
        return NULL;
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
    return NULL;
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
