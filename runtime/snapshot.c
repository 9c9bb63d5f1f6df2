/* Copy the tables under their locks (bounded waits), so report/ can take its time without blocking tasks. */
#include "snapshot.h"
#include "alloc.h"
#include "deadlock.h"
#include "fdtab.h"
#include "lock.h"
#include <string.h>
#include <unistd.h>

struct copy_ctx { void *dst; size_t n, max; size_t size; };

static void copy_one(void *src, struct copy_ctx *c)
{
    if (c->n < c->max)
        memcpy((char *)c->dst + c->n++ * c->size, src, c->size);
}
static void copy_task(struct lc_task *t, void *arg) { copy_one(t, arg); }
static void copy_chan(struct lc_chan *ch, void *arg) { copy_one(ch, arg); }

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

int snapshot_take(struct lc_snapshot *s, int timeout_ms)
{
    memset(s, 0, sizeof *s);
    s->runtime = runtime_name;
    s->runtime_version = runtime_version;
    s->pid = subject ? subject : getpid();
    s->peek = subject_peek;
    /* Tasks: size the copy, then copy under the lock (the table may grow in between: copy what fits). */
    size_t want = task_count() + 64;
    s->tasks = lc_calloc(want, sizeof *s->tasks);
    struct copy_ctx tc = { s->tasks, 0, s->tasks ? want : 0, sizeof *s->tasks };
    if (task_foreach_timed(copy_task, &tc, timeout_ms) != 0) {
        snapshot_free(s);
        return -1;                      /* a task table lock held that long: something is badly wrong */
    }
    s->ntasks = tc.n;

    size_t cwant = chan_count() + 64;
    s->chans = lc_calloc(cwant, sizeof *s->chans);
    struct copy_ctx cc = { s->chans, 0, s->chans ? cwant : 0, sizeof *s->chans };
    if (chan_foreach_timed(copy_chan, &cc, timeout_ms) != 0)
        cc.n = 0;                       /* report the tasks without channel details */
    s->nchans = cc.n;

    size_t fn = finding_count() + 8;
    s->findings = lc_calloc(fn, sizeof *s->findings);
    if (s->findings) {
        size_t got = finding_copy(s->findings, fn);
        s->nfindings = got < fn ? got : fn;
    }
    s->now_ns = lc_now_ns();
    s->forks = fdtab_forks();
    /* A thread that left through a raw exit system call never ran its end (TLS destructors): the kernel no
     * longer has it, so it is finished, not still running. */
    for (size_t i = 0; i < s->ntasks; i++) {
        struct lc_task *t = &s->tasks[i];
        if (t->kind == LC_THREAD && t->state != LC_FINISHED && t->tid > 0 && !task_thread_alive(s->pid, t->tid)) {
            t->state = LC_FINISHED;
            t->since_ns = s->now_ns;
        }
    }
    deadlock_note_waits(s);
    return 0;
}

void snapshot_free(struct lc_snapshot *s)
{
    lc_free(s->tasks);
    lc_free(s->chans);
    lc_free(s->findings);
    lc_free(s->waits);
    memset(s, 0, sizeof *s);
}

const struct lc_task *snapshot_task(const struct lc_snapshot *s, uint64_t id)
{
    for (size_t i = 0; i < s->ntasks; i++)
        if (s->tasks[i].id == id)
            return &s->tasks[i];
    return NULL;
}

const struct lc_chan *snapshot_chan(const struct lc_snapshot *s, uint64_t key)
{
    for (size_t i = 0; i < s->nchans; i++)
        if (s->chans[i].key == key)
            return &s->chans[i];
    return NULL;
}
