/* The JSON report (schema "leakcheck/1", documented in README.md): the process, why the report was made, the
 * counts, the groups as the text report shows them, every task with its stacks, the channels, the findings and
 * the suppressions used. */
#include "attribution.h"
#include "json_report.h"
#include "json.h"
#include "suppress.h"
#include "text.h"
#include "text_findings.h"
#include "../runtime/options.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define MAX_SITES 20

static const char *const reason_names[] = {
    [LC_REASON_EXIT] = "exit", [LC_REASON_SIGNAL] = "signal", [LC_REASON_DUMP] = "dump",
    [LC_REASON_PERIODIC] = "periodic", [LC_REASON_DEADLOCK] = "deadlock", [LC_REASON_ALERT] = "alert",
    [LC_REASON_CRASH] = "crash",
};
static const char *const state_names[] = { [LC_RUNNING] = "running", [LC_BLOCKED] = "blocked",
                                           [LC_FINISHED] = "finished" };
#define NAME(table, i) ((unsigned)(i) < sizeof table / sizeof table[0] && table[i] ? table[i] : "unknown")

static void put_frame(struct jw *j, const char *key, const struct lc_frame *f)
{
    jw_open(j, key, '{');
    jw_str(j, "function", f->func ? f->func : "??");
    jw_str(j, "file", f->file);
    if (f->line)
        jw_i64(j, "line", f->line);
    else
        jw_null(j, "line");
    jw_str(j, "module", f->module);
    jw_hex(j, "pc", f->pc);
    jw_close(j);
}

static void put_stack(struct jw *j, const char *key, stack_id id)
{
    struct lc_frame f[LC_FRAMES_MAX];
    int n = id ? frames_of(id, f, LC_FRAMES_MAX) : 0;
    jw_open(j, key, '[');
    for (int i = 0; i < n; i++)
        put_frame(j, NULL, &f[i]);
    jw_close(j);
}

static void put_id(struct jw *j, const char *key, uint64_t id)
{
    if (id)
        jw_u64(j, key, id);
    else
        jw_null(j, key);
}

/* What a blocked task waits on, with what the snapshot knows of it. */
static void put_object(struct jw *j, const struct lc_snapshot *s, const struct lc_task *t)
{
    if (t->state != LC_BLOCKED || t->obj_kind == LC_OBJ_NONE) {
        jw_null(j, "object");
        return;
    }
    jw_open(j, "object", '{');
    const char *kind = task_obj_name(t->obj_kind, 0);
    jw_str(j, "kind", kind ? kind : "unknown");
    if (t->obj_kind == LC_OBJ_FD) {
        int fd = (int)(intptr_t)t->obj;
        const struct lc_chan *c = text_chan_by_fd(s, fd);
        jw_i64(j, "fd", fd);
        jw_str(j, "channel", c ? text_fdchan_kind(c) : NULL);
        if (c)
            put_stack(j, "made_at", c->made);
    } else if (t->obj_kind == LC_OBJ_CHAN) {
        const struct lc_chan *c = t->obj ? snapshot_chan(s, (uint64_t)(uintptr_t)t->obj) : NULL;
        if (t->obj)
            jw_hex(j, "address", (uint64_t)(uintptr_t)t->obj);
        else
            jw_null(j, "address");
        jw_bool(j, "nil", !t->obj);
        jw_bool(j, "signal_notify", t->flags & LC_TF_SIGWAIT);
        if (c) {
            jw_u64(j, "capacity", c->cap);
            jw_bool(j, "closed", c->is_closed);
            put_stack(j, "made_at", c->made);
        }
    } else if (t->obj_kind == LC_OBJ_SIGNALS) {
        char name[16];
        jw_open(j, "signals", '[');
        for (int sig = 0; (sig = text_signal_next((uint64_t)(uintptr_t)t->obj, sig));)
            jw_str(j, NULL, text_signame(sig, name, sizeof name));
        jw_close(j);
    } else {
        jw_hex(j, "address", (uint64_t)(uintptr_t)t->obj);
        if (t->obj_kind == LC_OBJ_THREAD)
            for (size_t i = 0; i < s->ntasks; i++)
                if (s->tasks[i].key == (uint64_t)(uintptr_t)t->obj && s->tasks[i].kind == LC_THREAD)
                    jw_u64(j, "task", s->tasks[i].id);
    }
    jw_close(j);
}

/* Snapshot task i, or (t) one of its twins. */
static void put_task(struct jw *j, const struct lc_snapshot *s, const struct lc_judgement *jd, size_t i,
                     const struct lc_task *t)
{
    struct lc_frame f;
    char test[128];
    int mark = jd->task_mark ? jd->task_mark[i] : LC_TM_NONE;
    int32_t group = jd->task_group ? jd->task_group[i] : -1;
    jw_open(j, NULL, '{');
    jw_u64(j, "id", t->id);
    put_id(j, "parent", t->anc_id[0]);
    jw_str(j, "kind", t->kind == LC_GOROUTINE ? "goroutine" : "thread");
    jw_str(j, "state", NAME(state_names, t->state));
    if (t->kind == LC_THREAD && t->tid)
        jw_i64(j, "tid", t->tid);
    jw_bool(j, "main", t->flags & LC_TF_MAIN);
    jw_bool(j, "runtime", mark == LC_TM_RUNTIME || verdict_runtime_internal(t));
    jw_bool(j, "leaked", !jd->live && group >= 0);
    jw_bool(j, "ignored", mark == LC_TM_IGNORED);
    if (group >= 0)
        jw_i64(j, "group", group);
    else
        jw_null(j, "group");
    jw_str(j, "what", t->state == LC_BLOCKED ? t->what : NULL);
    put_object(j, s, t);
    jw_u64(j, "created_ns", t->started_ns);
    if (t->flags & LC_TF_AGE_UNKNOWN) {         /* seen once from outside (attach): since when is not known */
        jw_null(j, "since_ns");
        jw_null(j, "duration_ns");
    } else {
        jw_u64(j, "since_ns", t->state == LC_RUNNING ? t->started_ns : t->since_ns);
        jw_u64(j, "duration_ns", verdict_age_ns(t, s->now_ns));
    }
    if (t->kind == LC_THREAD)
        jw_bool(j, "detached", t->flags & LC_TF_DETACHED);
    if (t->start_fn) {
        symbolize((uintptr_t)t->start_fn, 1, &f);
        put_frame(j, "start_routine", &f);
    } else {
        jw_null(j, "start_routine");
    }
    put_stack(j, "blocking_stack", t->state == LC_BLOCKED ? t->site : 0);
    put_stack(j, "creation_stack", t->anc_stack[0]);
    jw_open(j, "created_by", '[');          /* the creator chain, as the text report's "created by" lines */
    for (int k = 0; k < LC_CHAIN && (t->anc_id[k] || t->anc_stack[k]); k++) {
        frames_origin(t->anc_stack[k], &f);
        jw_open(j, NULL, '{');
        put_id(j, "task", t->anc_id[k]);
        put_frame(j, "at", &f);
        jw_close(j);
    }
    jw_close(j);
    jw_str(j, "test", attrib_test(t, test, sizeof test) ? test : NULL);
    jw_close(j);
}

/* Group g with its members: first[g] is its first task's index in the snapshot, next[i] the one after i. */
static void put_group(struct jw *j, const struct lc_snapshot *s, const struct lc_judgement *jd, size_t g,
                      const long *first, const long *next)
{
    const struct lc_group *gr = &jd->groups[g];
    char test[128];
    jw_open(j, NULL, '{');
    jw_u64(j, "count", gr->n);
    jw_str(j, "kind", gr->rep->kind == LC_GOROUTINE ? "goroutine" : "thread");
    jw_str(j, "state", NAME(state_names, gr->rep->state));
    jw_str(j, "what", gr->rep->state == LC_BLOCKED ? gr->rep->what : NULL);
    jw_u64(j, "oldest_ns", gr->oldest_ns);
    jw_u64(j, "newest_ns", gr->newest_ns);
    jw_u64(j, "other_objects", gr->other_obj);
    jw_u64(j, "representative", gr->rep->id);
    jw_str(j, "test", attrib_test(gr->rep, test, sizeof test) ? test : NULL);
    jw_open(j, "tasks", '[');
    for (long i = first ? first[g] : -1; i >= 0; i = next[i]) {
        jw_u64(j, NULL, s->tasks[i].id);
        struct lc_twin_it it = snapshot_twins(s, (size_t)i);
        for (const struct lc_twin *tw; (tw = snapshot_twin_next(&it));)
            jw_u64(j, NULL, tw->id);
    }
    jw_close(j);
    jw_close(j);
}

static void put_chan(struct jw *j, const struct lc_chan *c)
{
    jw_open(j, NULL, '{');
    const char *kind = chan_kind_name(c->kind);
    jw_str(j, "kind", kind ? kind : "unknown");
    if (c->kind == LC_CH_GO) {
        jw_hex(j, "address", c->key);
        jw_u64(j, "capacity", c->cap);
        jw_u64(j, "elem_size", c->elemsize);
    } else {
        jw_open(j, "fds", '[');
        jw_i64(j, NULL, c->orig_fds[0]);
        if (c->kind != LC_CH_EVENTFD)
            jw_i64(j, NULL, c->orig_fds[1]);
        jw_close(j);
        jw_open(j, "open_fds", '[');
        jw_i64(j, NULL, c->fds[0]);
        if (c->kind != LC_CH_EVENTFD)
            jw_i64(j, NULL, c->fds[1]);
        jw_close(j);
    }
    jw_bool(j, "closed", c->is_closed);
    put_stack(j, "made_at", c->made);
    put_id(j, "made_by", c->made_by);
    if (c->is_closed) {
        put_stack(j, "closed_at", c->closed);
        put_id(j, "closed_by", c->closed_by);
    }
    jw_close(j);
}

/* The kind of object a finding is about. */
static const char *finding_obj(unsigned kind)
{
    static const char *const objects[LC_F__COUNT] = {
#define FINDING(id, name, title, object, style, prefix, label0, label1, task) [LC_F_##id] = object,
#include "../runtime/findings.inc"
#undef FINDING
    };
    return kind < LC_F__COUNT ? objects[kind] : NULL;
}

static void put_finding(struct jw *j, const struct lc_judgement *jd, const struct lc_finding *f, size_t i)
{
    char label[64];
    const char *ok = finding_obj(f->kind);
    jw_open(j, NULL, '{');
    jw_str(j, "kind", suppress_kind_id(f->kind));
    jw_str(j, "title", finding_kind_name(f->kind));
    jw_bool(j, "suppressed", !verdict_finding_shown(jd, i));
    jw_open(j, "object", '{');
    jw_str(j, "kind", ok);
    if (ok && strcmp(ok, "fd") == 0)
        jw_i64(j, "fd", (int)(intptr_t)f->obj);
    else if (f->obj)
        jw_hex(j, "address", (uint64_t)(uintptr_t)f->obj);
    else
        jw_null(j, "address");
    jw_close(j);
    jw_u64(j, "count", f->count);
    jw_str(j, "note", f->note[0] ? f->note : NULL);
    jw_u64(j, "first_ns", f->first_ns);
    jw_open(j, "sites", '[');
    for (int k = 0; k < 2; k++) {
        if (!f->site[k] && (k || !f->task[k]))
            continue;
        snprintf(label, sizeof label, "%s", text_site_label(f->kind, k));
        size_t n = strlen(label);
        if (n && label[n - 1] == ':')
            label[n - 1] = 0;
        jw_open(j, NULL, '{');
        jw_str(j, "label", label);
        put_id(j, "task", f->task[k]);
        put_stack(j, "stack", f->site[k]);
        jw_close(j);
    }
    jw_close(j);
    jw_close(j);
}

static void put_process(struct jw *j, const struct lc_snapshot *s)
{
    char exe[4096];
    long n = report_exe(s, exe, sizeof exe);
    jw_open(j, "process", '{');
    jw_i64(j, "pid", s->pid);
    jw_str(j, "exe", n > 0 ? exe : NULL);
    jw_str(j, "runtime", s->runtime);
    if (s->runtime_version)
        jw_str(j, "go_version", s->runtime_version);
    jw_close(j);
}

static void put_summary(struct jw *j, const struct lc_judgement *jd)
{
    jw_open(j, "summary", '{');
    jw_u64(j, "leaked", jd->v.leaked);
    jw_u64(j, "groups", jd->v.groups);
    jw_u64(j, "misuse", jd->v.misuse);
    jw_u64(j, "deadlocks", jd->v.deadlocks);
    jw_u64(j, "suppressed", jd->v.suppressed);
    jw_u64(j, "tasks", jd->ntasks);
    jw_u64(j, "threads", jd->threads);
    jw_u64(j, "goroutines", jd->goroutines);
    jw_close(j);
}

void report_json(struct lc_bufw *w, const struct lc_snapshot *s, const struct lc_report_ctx *ctx,
                 const struct lc_judgement *jd)
{
    struct jw j;
    struct timespec ts;
    struct lc_site sites[MAX_SITES];
    clock_gettime(CLOCK_REALTIME, &ts);
    jw_init(&j, w);
    jw_open(&j, NULL, '{');
    jw_str(&j, "schema", "leakcheck/1");
    put_process(&j, s);
    jw_str(&j, "reason", NAME(reason_names, ctx->reason));
    if (ctx->reason == LC_REASON_SIGNAL)
        jw_i64(&j, "signal", ctx->signo);
    else
        jw_null(&j, "signal");
    jw_bool(&j, "live", jd->live);
    jw_u64(&j, "time_unix_ns", (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec);
    jw_u64(&j, "monotonic_ns", s->now_ns);
    put_summary(&j, jd);
    if (jd->live || !verdict_ends_program(ctx))
        jw_null(&j, "exit_status");
    else
        jw_i64(&j, "exit_status", verdict_exit_status(&jd->v, ctx));
    if (ctx->reason == LC_REASON_ALERT)
        jw_i64(&j, "max_tasks", lc_opt.max_tasks);
    long *first = jd->ngroups ? malloc(jd->ngroups * sizeof *first) : NULL;
    long *next = s->ntasks ? malloc(s->ntasks * sizeof *next) : NULL;
    if (first && next && jd->task_group) {
        for (size_t g = 0; g < jd->ngroups; g++)
            first[g] = -1;
        for (size_t i = s->ntasks; i-- > 0;)          /* backwards: each list in snapshot order */
            if (jd->task_group[i] >= 0) {
                next[i] = first[jd->task_group[i]];
                first[jd->task_group[i]] = (long)i;
            }
    } else {
        free(first);
        first = NULL;
    }
    jw_open(&j, "groups", '[');
    for (size_t g = 0; g < jd->ngroups; g++)
        put_group(&j, s, jd, g, first, next);
    jw_close(&j);
    free(first);
    free(next);
    jw_open(&j, "creation_sites", '[');
    size_t ns = attrib_creation_sites(jd, sites, MAX_SITES);
    for (size_t i = 0; i < ns; i++) {
        jw_open(&j, NULL, '{');
        jw_u64(&j, "count", sites[i].count);
        put_frame(&j, "at", &sites[i].where);
        jw_close(&j);
    }
    jw_close(&j);
    jw_open(&j, "tasks", '[');
    for (size_t i = 0; i < s->ntasks; i++) {
        if (s->tasks[i].flags & LC_TF_INTERNAL)
            continue;
        put_task(&j, s, jd, i, &s->tasks[i]);
        struct lc_twin_it it = snapshot_twins(s, i);
        struct lc_task twin;
        for (const struct lc_twin *tw; (tw = snapshot_twin_next(&it));) {
            snapshot_as_twin(&s->tasks[i], tw, &twin);
            put_task(&j, s, jd, i, &twin);
        }
    }
    jw_close(&j);
    jw_open(&j, "channels", '[');
    for (size_t i = 0; i < s->nchans; i++)
        put_chan(&j, &s->chans[i]);
    jw_close(&j);
    jw_open(&j, "findings", '[');
    for (size_t i = 0; i < s->nfindings; i++)
        if (s->findings[i].kind < LC_F__COUNT)
            put_finding(&j, jd, &s->findings[i], i);
    jw_close(&j);
    jw_open(&j, "suppressions", '[');
    for (size_t i = 0; i < suppress_nrules(); i++) {
        const struct lc_supp_rule *r = suppress_rule(i);
        jw_open(&j, NULL, '{');
        jw_str(&j, "kind", r->kind);
        jw_str(&j, "pattern", r->pattern);
        jw_i64(&j, "line", r->line);
        jw_u64(&j, "hits", r->hits);
        jw_close(&j);
    }
    jw_close(&j);
    jw_close(&j);
}
