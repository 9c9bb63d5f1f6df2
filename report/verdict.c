/* The verdict: which tasks count as leaked, which are dropped by ignore rules, how they group and in what
 * order they are printed. Runs on the report path only (malloc is fine here). */
#include "verdict.h"
#include "frames.h"
#include "rules.h"
#include "suppress.h"
#include "../runtime/deadlock.h"
#include "../runtime/lock.h"
#include "../runtime/options.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <uthash.h>

/* The language runtime's own background tasks: a goroutine with one of these in its blocking stack or as its
 * start routine, or a thread with one as its start routine, is never reported. */
static const char *const runtime_internal[] = {
    "runtime.bgsweep",
    "runtime.bgscavenge",
    "runtime.forcegchelper",
    "runtime.runfinq",
    "runtime.timerproc",
    "runtime.gcBgMarkWorker",
    "runtime.templateThread",
    "runtime.sysmon",
    "runtime.ensureSigM*",
    "os/signal.signal_recv",
    "os/signal.loop",
    "os/signal.watchSignalLoop*",
    "os/signal.go..thunk*",            /* go watchSignalLoop(), as gccgo names its start routine */
    "runtime.go..thunk*",              /* the runtime's own go statements */
    "testing.(*T).Run",                /* a test waiting for its subtests */
    "testing.T.Run",
    "mstart",                          /* libgo's M (OS thread) start routine */
    "runtime_mstart",
    "runtime.mstart*",
};

static int internal_name(const char *name)
{
    for (size_t i = 0; i < sizeof runtime_internal / sizeof runtime_internal[0]; i++)
        if (fnmatch(runtime_internal[i], name, 0) == 0)
            return 1;
    return 0;
}

static int runtime_internal_uncached(const struct lc_task *t);

/* The answer by what it depends on (start routine, stack, kind): the same for every task of a group. */
#define RT_MEMO 1024
static struct { const void *start_fn; stack_id site; uint8_t kind, used, answer; unsigned gen; } rt_memo[RT_MEMO];
static lc_lock_t rt_memo_lock = LC_LOCK_INIT;

int verdict_runtime_internal(const struct lc_task *t)
{
    unsigned gen = symbolize_generation();
    size_t i = (((uintptr_t)t->start_fn >> 4) ^ t->site * 2654435761u ^ t->kind) % RT_MEMO;
    lc_lock(&rt_memo_lock);
    if (rt_memo[i].used && rt_memo[i].start_fn == t->start_fn && rt_memo[i].site == t->site &&
        rt_memo[i].kind == (uint8_t)t->kind && rt_memo[i].gen == gen) {
        int a = rt_memo[i].answer;
        lc_unlock(&rt_memo_lock);
        return a;
    }
    lc_unlock(&rt_memo_lock);
    int a = runtime_internal_uncached(t);
    lc_lock(&rt_memo_lock);
    rt_memo[i].start_fn = t->start_fn, rt_memo[i].site = t->site, rt_memo[i].kind = (uint8_t)t->kind;
    rt_memo[i].used = 1, rt_memo[i].answer = (uint8_t)a, rt_memo[i].gen = gen;
    lc_unlock(&rt_memo_lock);
    return a;
}

static int runtime_internal_uncached(const struct lc_task *t)
{
    struct lc_frame f[LC_FRAMES_MAX];
    if (t->start_fn) {
        symbolize((uintptr_t)t->start_fn, 1, f);
        if (internal_name(f[0].func))
            return 1;
        if (t->kind == LC_THREAD && frames_in_libgo(f[0].module))
            return 1;                  /* threads libgo starts for itself */
    }
    if (t->kind != LC_GOROUTINE)
        return 0;
    int n = frames_of(t->site, f, LC_FRAMES_MAX);
    for (int i = 0; i < n; i++)
        if (internal_name(f[i].func))
            return 1;
    return 0;
}

void verdict_ignore_begin(void)
{
    suppress_load();
    suppress_begin();                     /* a verdict begins the same way: its hit counts start afresh */
}

int verdict_never_reported(const struct lc_task *t)
{
    return (t->flags & LC_TF_INTERNAL) || verdict_runtime_internal(t) || suppress_task(t);
}

int verdict_match_list(const char *list, const char *name)
{
    return rules_list_matches(list, name);
}

int verdict_finding_shown(const struct lc_judgement *j, size_t i)
{
    return !j->finding_dropped || !j->finding_dropped[i];
}

/* Whether t counts as leaked at exit (state and flags only; no ignore rules). */
static int verdict_is_leak(const struct lc_task *t, const struct lc_report_ctx *ctx)
{
    if (ctx->reason == LC_REASON_CRASH)
        return !(t->flags & LC_TF_INTERNAL) && t->state != LC_FINISHED;   /* the whole program as it died */
    if (t->flags & (LC_TF_MAIN | LC_TF_INTERNAL | LC_TF_EXITING))
        return 0;
    if (ctx->exiting_task && t->id == ctx->exiting_task)
        return 0;
    switch (t->state) {
    case LC_BLOCKED:   /* a deadlock report names the stuck: a sleeping task wakes up by itself */
        if (t->flags & LC_TF_SIGWAIT)
            return 0;  /* waits for a signal (os/signal), which may still come */
        return !(ctx->reason == LC_REASON_DEADLOCK && deadlock_wait_times_out(t));
    case LC_RUNNING:
        return lc_opt.report_running != 0;
    case LC_FINISHED:
        return !(t->flags & (LC_TF_DETACHED | LC_TF_JOINED)) && lc_opt.report_finished;
    default:
        return 0;
    }
}

static int verdict_is_live(const struct lc_report_ctx *ctx)
{
    return ctx->reason == LC_REASON_DUMP || ctx->reason == LC_REASON_PERIODIC || ctx->reason == LC_REASON_ALERT;
}

uint64_t verdict_age_ns(const struct lc_task *t, uint64_t now_ns)
{
    if (t->flags & LC_TF_AGE_UNKNOWN)
        return 0;
    uint64_t since = task_state_since(t);
    return now_ns > since ? now_ns - since : 0;
}

/* ---- grouping ----------------------------------------------------------------------------------------- */

struct gkey {
    uint64_t what_hash;
    stack_id site;
    uint64_t created;             /* what the report prints of the creator (origin_key) */
    uint8_t kind, state;
    uint8_t pad[6];
};

struct gent {
    struct gkey key;
    size_t idx;                   /* into the groups array */
    UT_hash_handle hh;
};

static uint64_t str_hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; s && *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return s ? h : 0;
}

static int state_rank(uint8_t state)
{
    return state == LC_BLOCKED ? 0 : state == LC_RUNNING ? 1 : 2;
}

static int group_cmp(const void *a, const void *b)
{
    const struct lc_group *x = a, *y = b;
    int rx = state_rank(x->rep->state), ry = state_rank(y->rep->state);
    if (rx != ry)
        return rx - ry;
    if (x->n != y->n)
        return x->n > y->n ? -1 : 1;
    if (x->oldest_ns != y->oldest_ns)
        return x->oldest_ns > y->oldest_ns ? -1 : 1;
    return x->rep->id < y->rep->id ? -1 : x->rep->id > y->rep->id;
}

/* Stacks that read the same in a report (same function, file and line in every shown frame) group together,
 * even when their raw pcs differ: gccgo unrolls a loop of go statements into several call sites on one line. */
struct canon {
    stack_id id;                  /* key: a raw stack id */
    stack_id canon;               /* the first stack seen that reads the same */
    uint64_t hash;
    UT_hash_handle hh, hh_hash;
};

/* h with a frame as the report reads it folded in: function, file and line (no line: the report shows the pc). */
static uint64_t frame_hash(uint64_t h, const struct lc_frame *f)
{
    return (h ^ str_hash(f->func) ^ (str_hash(f->file) << 1) ^ (uint64_t)f->line ^ (f->line ? 0 : f->pc))
           * 1099511628211ull;
}

static uint64_t shown_hash(stack_id id)
{
    struct lc_frame f[LC_FRAMES_MAX];
    int n = frames_of(id, f, LC_FRAMES_MAX);
    uint64_t h = 1469598103934665603ull ^ (uint64_t)n;
    for (int i = 0; i < n; i++)
        h = frame_hash(h, &f[i]);
    return h;
}

static stack_id canon_of(struct canon **by_id, struct canon **by_hash, stack_id id)
{
    struct canon *c, *same;
    if (!id)
        return 0;
    HASH_FIND(hh, *by_id, &id, sizeof id, c);
    if (c)
        return c->canon;
    if (!(c = calloc(1, sizeof *c)))
        return id;
    c->id = id;
    c->hash = shown_hash(id);
    HASH_FIND(hh_hash, *by_hash, &c->hash, sizeof c->hash, same);
    c->canon = same ? same->canon : id;
    if (!same)
        HASH_ADD(hh_hash, *by_hash, hash, sizeof c->hash, c);
    HASH_ADD(hh, *by_id, id, sizeof c->id, c);
    return c->canon;
}

static void canon_free(struct canon **by_id, struct canon **by_hash)
{
    struct canon *c, *tmp;
    HASH_CLEAR(hh_hash, *by_hash);
    HASH_ITER(hh, *by_id, c, tmp) {
        HASH_DELETE(hh, *by_id, c);
        free(c);
    }
}

static struct canon *canon_ids, *canon_hashes;

/* The creator as the report reads: its "created by" line, and below verbosity 2 nothing more (the go
 * statement's callers are known for some goroutines only, when the runtime's record of them was kept). */
static uint64_t origin_key(stack_id id)
{
    struct lc_frame f;
    if (!id)
        return 0;
    if (lc_opt.verbosity >= 2 || !frames_origin(id, &f))
        return canon_of(&canon_ids, &canon_hashes, id);
    return frame_hash(0, &f) | 1ull << 63;
}

/* The youngest age among task i and its twins (t is task i, the oldest of them). */
static uint64_t newest_age(const struct lc_snapshot *s, size_t i, const struct lc_task *t)
{
    uint64_t age = verdict_age_ns(t, s->now_ns);
    struct lc_twin_it it = snapshot_twins(s, i);
    struct lc_task twin;
    for (const struct lc_twin *tw; (tw = snapshot_twin_next(&it));) {
        snapshot_as_twin(t, tw, &twin);
        uint64_t a = verdict_age_ns(&twin, s->now_ns);
        if (a < age)
            age = a;
    }
    return age;
}

/* Put task i (t) and its twins in their group; returns the group's index, or -1. */
static int32_t add_to_group(struct lc_judgement *j, struct gent **index, const struct lc_snapshot *s, size_t i,
                            const struct lc_task *t)
{
    struct gkey k;
    struct gent *e;
    memset(&k, 0, sizeof k);
    k.what_hash = str_hash(t->what);
    k.site = canon_of(&canon_ids, &canon_hashes, t->site);
    k.created = origin_key(t->anc_stack[0]);
    k.kind = t->kind;
    k.state = t->state;
    uint64_t age = verdict_age_ns(t, s->now_ns), newest = newest_age(s, i, t);
    unsigned w = (unsigned)snapshot_weight(s, i);
    HASH_FIND(hh, *index, &k, sizeof k, e);
    if (!e) {
        if (j->ngroups == j->groups_cap) {      /* grown as groups appear: most reports have few */
            size_t cap = j->groups_cap ? 2 * j->groups_cap : 16;
            struct lc_group *more = realloc(j->groups, cap * sizeof *more);
            if (!more)
                return -1;
            j->groups = more;
            j->groups_cap = cap;
        }
        e = calloc(1, sizeof *e);
        if (!e)
            return -1;
        e->key = k;
        e->idx = j->ngroups++;
        HASH_ADD(hh, *index, key, sizeof k, e);
        j->groups[e->idx] = (struct lc_group){ .rep = t, .n = 0, .oldest_ns = age, .newest_ns = newest };
    }
    struct lc_group *g = &j->groups[e->idx];
    if (age > g->oldest_ns) {
        g->rep = t;
        g->oldest_ns = age;
    }
    if (newest < g->newest_ns)
        g->newest_ns = newest;
    g->n += w;
    j->ntasks += w;
    if (t->kind == LC_GOROUTINE)
        j->goroutines += w;
    else
        j->threads += w;
    return (int32_t)e->idx;
}

void verdict_judge(const struct lc_snapshot *s, const struct lc_report_ctx *ctx, struct lc_judgement *j)
{
    struct gent *index = NULL, *e, *et;
    memset(j, 0, sizeof *j);
    j->live = verdict_is_live(ctx);
    suppress_load();
    suppress_begin();
    j->finding_dropped = s->nfindings ? calloc(s->nfindings, 1) : NULL;
    for (size_t i = 0; i < s->nfindings; i++) {
        if (suppress_finding(&s->findings[i])) {
            if (j->finding_dropped)
                j->finding_dropped[i] = 1;
            j->v.suppressed++;
        } else if (s->findings[i].kind == LC_F_DEADLOCK) {
            j->v.deadlocks++;
        } else {
            j->v.misuse++;
        }
    }
    j->task_group = s->ntasks ? malloc(s->ntasks * sizeof *j->task_group) : NULL;
    j->task_mark = s->ntasks ? calloc(s->ntasks, 1) : NULL;
    if (!j->task_group || !j->task_mark) {    /* no tasks, or out of memory */
        free(j->task_group);
        free(j->task_mark);
        j->task_group = NULL;
        j->task_mark = NULL;
        return;
    }
    int32_t *gi = j->task_group;
    for (size_t i = 0; i < s->ntasks; i++) {
        const struct lc_task *t = &s->tasks[i];
        gi[i] = -1;
        if (t->flags & LC_TF_INTERNAL)
            continue;
        if (!j->live && !verdict_is_leak(t, ctx))
            continue;
        if (verdict_runtime_internal(t)) {
            j->task_mark[i] = LC_TM_RUNTIME;
            continue;
        }
        if (!j->live && suppress_tasks(t, (unsigned)snapshot_weight(s, i))) {
            j->task_mark[i] = LC_TM_IGNORED;
            j->v.suppressed += (unsigned)snapshot_weight(s, i);
            continue;
        }
        gi[i] = add_to_group(j, &index, s, i, t);
        if (gi[i] >= 0)
            j->task_mark[i] = LC_TM_REPORTED;
    }
    /* members waiting on another object than the one the header names */
    for (size_t i = 0; i < s->ntasks; i++)
        if (gi[i] >= 0 && s->tasks[i].obj != j->groups[gi[i]].rep->obj)
            j->groups[gi[i]].other_obj += (unsigned)snapshot_weight(s, i);
    HASH_ITER(hh, index, e, et) {
        HASH_DEL(index, e);
        free(e);
    }
    canon_free(&canon_ids, &canon_hashes);
    /* printed order, and task_group from creation order to it (out of memory: left in creation order) */
    int32_t *order = j->ngroups ? malloc(j->ngroups * sizeof *order) : NULL;
    if (order) {
        for (size_t g = 0; g < j->ngroups; g++)
            j->groups[g].first = g;
        qsort(j->groups, j->ngroups, sizeof *j->groups, group_cmp);
        for (size_t g = 0; g < j->ngroups; g++)
            order[j->groups[g].first] = (int32_t)g;
        for (size_t i = 0; i < s->ntasks; i++)
            if (gi[i] >= 0)
                gi[i] = order[gi[i]];
        free(order);
    }
    if (!j->live) {
        j->v.leaked = j->ntasks;
        j->v.groups = (unsigned)j->ngroups;
    }
}

void verdict_free(struct lc_judgement *j)
{
    free(j->groups);
    free(j->task_group);
    free(j->task_mark);
    free(j->finding_dropped);
    j->groups = NULL;
    j->task_group = NULL;
    j->task_mark = NULL;
    j->finding_dropped = NULL;
    j->ngroups = 0;
    j->groups_cap = 0;
}

int verdict_ends_program(const struct lc_report_ctx *ctx)
{
    return !(ctx->reason == LC_REASON_DEADLOCK && ctx->exit_status == 0);
}

int verdict_exit_status(const struct lc_verdict *v, const struct lc_report_ctx *ctx)
{
    if (ctx->reason == LC_REASON_SIGNAL)
        return 128 + ctx->signo;
    if (ctx->exit_status != 0)
        return ctx->exit_status;
    return (v->leaked || v->misuse || v->deadlocks) ? lc_opt.exitcode : 0;
}
