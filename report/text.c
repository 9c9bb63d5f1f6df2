/* The text report: a verdict at exit or on a fatal signal (summary, leaked groups, misuse, closing line), or a
 * live report of every task on the dump signal, periodically, or when max_tasks is crossed. */
#include "attribution.h"
#include "deadlock.h"
#include "text_findings.h"
#include "suppress.h"
#include "text.h"
#include "../runtime/options.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define MAX_GROUPS_SHOWN 1000
#define MAX_FINDINGS_SHOWN 1000
#define MAX_SITES_SHOWN 10

/* ---- shared pieces ------------------------------------------------------------------------------------ */

int text_depth(void)
{
    int d = lc_opt.stack_depth;
    return d < 1 ? 32 : d > LC_FRAMES_MAX ? LC_FRAMES_MAX : d;
}

/* "file:line", or "module+0xoff" when the line is unknown. */
static void text_where(struct lc_bufw *w, const struct lc_frame *f)
{
    if (f->file)
        bw_printf(w, "%s:%d", f->file, f->line);
    else if (f->module)
        bw_printf(w, "%s+0x%lx", f->module, (unsigned long)f->offset);
    else if (f->pc)
        bw_printf(w, "0x%lx", (unsigned long)f->pc);   /* in no loaded module (unloaded since) */
}

void text_frame(struct lc_bufw *w, const char *indent, const char *label, const struct lc_frame *f)
{
    bw_puts(w, indent);
    bw_puts(w, label);
    bw_puts(w, f->func ? f->func : "??");
    bw_pad(w, LC_TEXT_COL, 2);
    text_where(w, f);
}

static const char *task_noun(int kind, unsigned n)
{
    if (kind == LC_GOROUTINE)
        return n == 1 ? "goroutine" : "goroutines";
    return n == 1 ? "thread" : "threads";
}

void text_task_ref(struct lc_bufw *w, const struct lc_snapshot *s, uint64_t id, int def_kind)
{
    const struct lc_task *t = snapshot_task(s, id);
    bw_printf(w, "  (%s %llu)", task_noun(t ? t->kind : def_kind, 1), (unsigned long long)id);
}

void text_rest_of_stack(struct lc_bufw *w, stack_id id)
{
    struct lc_frame f[LC_FRAMES_MAX];
    int n = frames_of(id, f, text_depth());
    for (int i = 1; i < n; i++) {
        text_frame(w, "      ", "", &f[i]);
        bw_puts(w, "\n");
    }
}

const struct lc_chan *text_chan_by_fd(const struct lc_snapshot *s, int fd)
{
    if (fd < 0)                         /* closed ends are stored as -1: never a match */
        return NULL;
    /* the fds open now first, then the fds as made (an end closed since) */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < s->nchans; i++) {
            const struct lc_chan *c = &s->chans[i];
            const int32_t *fds = pass ? c->orig_fds : c->fds;
            if (c->kind != LC_CH_GO && (fds[0] == fd || fds[1] == fd))
                return c;
        }
    return NULL;
}

const char *text_fdchan_kind(const struct lc_chan *c)
{
    return c->kind == LC_CH_SOCKETPAIR || c->kind == LC_CH_EVENTFD ? chan_kind_name(c->kind) : "pipe";
}

int text_signal_next(uint64_t bits, int after)
{
    for (int sig = after + 1; sig <= 64; sig++)
        if (bits & (1ull << (sig - 1)))
            return sig;
    return 0;
}

const char *text_signame(int sig, char *buf, size_t n)
{
    const char *abbrev = sigabbrev_np(sig);
    if (abbrev)
        snprintf(buf, n, "SIG%s", abbrev);
    else
        snprintf(buf, n, "SIG%d", sig);
    return buf;
}

/* ---- one group ---------------------------------------------------------------------------------------- */

/* " on chan 0x... (unbuffered, never closed)", " on pipe fd 3 (made at main x.c:9)", " on thread 2" ... */
static void put_object(struct lc_bufw *w, const struct lc_snapshot *s, const struct lc_task *t)
{
    unsigned ok = t->obj_kind < LC_OBJ__COUNT ? t->obj_kind : LC_OBJ_OTHER;
    if (ok == LC_OBJ_CHAN) {
        if (!t->obj) {
            bw_puts(w, " on nil chan");
            return;
        }
        bw_printf(w, " on chan 0x%lx", (unsigned long)(uintptr_t)t->obj);
        const struct lc_chan *c = snapshot_chan(s, (uint64_t)(uintptr_t)t->obj);
        if (c) {
            if (c->cap)
                bw_printf(w, " (buffered cap %u, ", c->cap);
            else
                bw_puts(w, " (unbuffered, ");
            bw_puts(w, c->is_closed ? "closed" : "never closed");
            bw_puts(w, t->flags & LC_TF_SIGWAIT ? ", signal.Notify)" : ")");
        } else if (t->flags & LC_TF_SIGWAIT) {
            bw_puts(w, " (signal.Notify)");
        }
    } else if (ok == LC_OBJ_FD) {
        int fd = (int)(intptr_t)t->obj;
        const struct lc_chan *c = text_chan_by_fd(s, fd);
        struct lc_frame f;
        if (c && frames_origin(c->made, &f)) {
            bw_printf(w, " on %s fd %d (made at %s ", text_fdchan_kind(c), fd, f.func);
            text_where(w, &f);
            bw_puts(w, ")");
        } else {
            bw_printf(w, " on %s%sfd %d", c ? text_fdchan_kind(c) : "", c ? " " : "", fd);
        }
    } else if (ok == LC_OBJ_SIGNALS) {
        const char *sep = " for ";
        char name[16];
        for (int sig = 0; (sig = text_signal_next((uint64_t)(uintptr_t)t->obj, sig)); sep = ", ")
            bw_printf(w, "%s%s", sep, text_signame(sig, name, sizeof name));
    } else if (ok == LC_OBJ_THREAD) {
        const struct lc_task *o = NULL;
        for (size_t i = 0; i < s->ntasks && !o; i++)
            if (s->tasks[i].key == (uint64_t)(uintptr_t)t->obj && s->tasks[i].kind == LC_THREAD)
                o = &s->tasks[i];
        if (o)
            bw_printf(w, " on thread %llu", (unsigned long long)o->id);
        else
            bw_printf(w, " on thread 0x%lx", (unsigned long)(uintptr_t)t->obj);
    } else if (ok != LC_OBJ_NONE) {
        bw_printf(w, " on %s 0x%lx", task_obj_name(ok, 0), (unsigned long)(uintptr_t)t->obj);
    }
}

static void put_header(struct lc_bufw *w, const struct lc_snapshot *s, const struct lc_group *g)
{
    const struct lc_task *t = g->rep;
    char old[32], young[32];
    snprintf(old, sizeof old, "%.2fs", (double)g->oldest_ns / 1e9);
    snprintf(young, sizeof young, "%.2fs", (double)g->newest_ns / 1e9);
    /* how long is unknown for a task seen once from outside (attach): the group's oldest member says */
    int known = !(t->flags & LC_TF_AGE_UNKNOWN);
    int show_newest = known && g->n > 1 && strcmp(old, young) != 0;
    bw_printf(w, "[%u %s ", g->n, task_noun(t->kind, g->n));
    switch (t->state) {
    case LC_BLOCKED:
        bw_puts(w, "blocked");
        if (known)
            bw_printf(w, " for %s", old);
        if (show_newest)
            bw_printf(w, " (newest %s)", young);
        bw_printf(w, " in %s", t->what ? t->what : "??");
        put_object(w, s, t);
        if (g->other_obj && t->obj_kind != LC_OBJ_NONE && t->obj_kind < LC_OBJ__COUNT)
            bw_printf(w, " and %u other %s", g->other_obj, task_obj_name(t->obj_kind, 1));
        break;
    case LC_RUNNING:
        bw_puts(w, "still running");
        if (known)
            bw_printf(w, " for %s", old);
        if (show_newest)
            bw_printf(w, " (newest %s)", young);
        break;
    default:
        bw_printf(w, "finished %s ago, never joined nor detached", old);
        break;
    }
    bw_puts(w, "]\n");
}

static void put_start_routine(struct lc_bufw *w, const struct lc_task *t)
{
    struct lc_frame f;
    if (t->start_fn) {
        symbolize((uintptr_t)t->start_fn, 1, &f);
        text_frame(w, "    ", "start routine ", &f);
    } else if (t->flags & LC_TF_MAIN) {
        bw_printf(w, "    (main %s)", task_noun(t->kind, 1));
    } else {
        bw_puts(w, "    (no stack)");
    }
    bw_puts(w, "\n");
}

/* Whether the thread's start routine is one of the frames shown. */
static int shows_start_routine(const struct lc_task *t, const struct lc_frame *f, int n)
{
    struct lc_frame sr;
    symbolize((uintptr_t)t->start_fn, 1, &sr);
    for (int i = 0; i < n; i++)
        if (f[i].func && sr.func && strcmp(f[i].func, sr.func) == 0)
            return 1;
    return 0;
}

static void put_group(struct lc_bufw *w, const struct lc_snapshot *s, const struct lc_group *g)
{
    const struct lc_task *t = g->rep;
    struct lc_frame f[LC_FRAMES_MAX];
    put_header(w, s, g);
    int n = t->state == LC_FINISHED ? 0 : frames_of(t->site, f, text_depth());
    for (int i = 0; i < n; i++) {
        text_frame(w, "    ", "", &f[i]);
        bw_puts(w, "\n");
    }
    if (n == 0 || (t->kind == LC_THREAD && t->start_fn && !shows_start_routine(t, f, n)))
        put_start_routine(w, t);          /* inlined into its callee, or below the frames shown */
    for (int i = 0; i < LC_CHAIN && (t->anc_id[i] || t->anc_stack[i]); i++) {
        frames_origin(t->anc_stack[i], &f[0]);
        text_frame(w, "  ", "created by ", &f[0]);
        if (t->anc_id[i])
            text_task_ref(w, s, t->anc_id[i], t->kind);
        bw_puts(w, "\n");
        if (i == 0 && lc_opt.verbosity >= 2)
            text_rest_of_stack(w, t->anc_stack[0]);
    }
    char test[128];
    if (attrib_test(t, test, sizeof test))      /* the Go test whose goroutine made it */
        bw_printf(w, "  test: %s\n", test);
    deadlock_print_waits(w, s, t);         /* who holds the lock, who could write the other end */
    const struct lc_chan *c;
    if (t->state == LC_BLOCKED && t->obj_kind == LC_OBJ_CHAN && t->obj &&
        (c = snapshot_chan(s, (uint64_t)(uintptr_t)t->obj)) != NULL) {
        if (frames_origin(c->made, &f[0])) {
            text_frame(w, "  ", "channel made at ", &f[0]);
            bw_puts(w, "\n");
        }
        if (c->is_closed && frames_origin(c->closed, &f[0])) {
            text_frame(w, "  ", "channel closed at ", &f[0]);
            if (c->closed_by)
                text_task_ref(w, s, c->closed_by, LC_GOROUTINE);
            bw_puts(w, "\n");
        }
    }
    bw_puts(w, "\n");
}

static void put_groups(struct lc_bufw *w, const struct lc_snapshot *s, const struct lc_judgement *j)
{
    size_t shown = j->ngroups < MAX_GROUPS_SHOWN ? j->ngroups : MAX_GROUPS_SHOWN;
    for (size_t i = 0; i < shown; i++)
        put_group(w, s, &j->groups[i]);
    if (shown < j->ngroups)
        bw_printf(w, "leakcheck: %zu more groups not shown\n\n", j->ngroups - shown);
}

/* ---- whole reports ------------------------------------------------------------------------------------ */

static void put_live(struct lc_bufw *w, const struct lc_snapshot *s, const struct lc_report_ctx *ctx,
                     const struct lc_judgement *j)
{
    if (ctx->reason == LC_REASON_ALERT) {
        struct lc_site sites[MAX_SITES_SHOWN];
        size_t n = attrib_creation_sites(j, sites, MAX_SITES_SHOWN);
        bw_printf(w, "leakcheck: task count alert: %u live tasks, max_tasks=%d (pid %d)\n\n", j->ntasks,
                  lc_opt.max_tasks, (int)s->pid);
        if (n)
            bw_puts(w, "top creation sites (tasks created there):\n");
        for (size_t i = 0; i < n; i++) {
            char count[32];
            snprintf(count, sizeof count, "%7u  ", sites[i].count);
            text_frame(w, "  ", count, &sites[i].where);
            bw_puts(w, "\n");
        }
        if (n)
            bw_puts(w, "\n");
    } else
        bw_printf(w, "leakcheck: %s report (pid %d, %u tasks)\n\n",
                  ctx->reason == LC_REASON_PERIODIC ? "periodic" : "live", (int)s->pid, j->ntasks);
    put_groups(w, s, j);
    text_findings(w, s, j, MAX_FINDINGS_SHOWN);
}

static void put_verdict(struct lc_bufw *w, const struct lc_snapshot *s, const struct lc_report_ctx *ctx,
                        const struct lc_judgement *j)
{
    const struct lc_verdict *v = &j->v;
    if (!v->leaked && !v->misuse && !v->deadlocks) {
        if (lc_opt.verbosity >= 2) {
            bw_printf(w, "leakcheck: no leaks (pid %d, %u suppressed)\n", (int)s->pid, v->suppressed);
            suppress_print_defaults(w);
            suppress_print_used(w);
        }
        return;
    }
    if (lc_opt.verbosity <= 0)
        return;
    const char *noun = !j->threads ? "goroutines" : !j->goroutines ? "threads" : "tasks";
    int crash = ctx->reason == LC_REASON_CRASH;
    if (crash)
        bw_printf(w, "leakcheck: the program died, with these %s (", noun);
    else if (v->leaked)
        bw_printf(w, "leakcheck: found unexpected %s (", noun);
    else
        bw_printf(w, "leakcheck: found %s (", v->misuse ? "misuse" : "deadlock");
    bw_printf(w, crash ? "%u in %u groups" : "%u leaked in %u groups", v->leaked, v->groups);
    if (v->misuse)
        bw_printf(w, ", %u misuse", v->misuse);
    if (v->deadlocks)
        bw_printf(w, ", %u deadlocks", v->deadlocks);
    bw_puts(w, ")\n\n");
    put_groups(w, s, j);
    text_findings(w, s, j, MAX_FINDINGS_SHOWN);
    suppress_print_defaults(w);
    suppress_print_used(w);                /* so that stale rules can be removed */
    report_put_written(w);
    if (crash)
        bw_printf(w, "leakcheck: %u %.*s when it died, %u misuse", v->leaked,
                  (int)strlen(noun) - (v->leaked == 1), noun, v->misuse);   /* "1 goroutine" */
    else
        bw_printf(w, "leakcheck: %u leaked, %u misuse", v->leaked, v->misuse);
    if (v->deadlocks)
        bw_printf(w, ", %u deadlocks", v->deadlocks);
    if (verdict_ends_program(ctx))
        bw_printf(w, "; exit status %d\n", verdict_exit_status(v, ctx));
    else
        bw_puts(w, "; the program goes on (its exit gives the verdict)\n");
}

void report_text(struct lc_bufw *w, const struct lc_snapshot *s, const struct lc_report_ctx *ctx,
                 const struct lc_judgement *j)
{
    if (j->live)
        put_live(w, s, ctx, j);
    else
        put_verdict(w, s, ctx, j);
}
