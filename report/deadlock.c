/* The text of wait-for facts: a deadlock finding, and what a blocked task waits for. Everything comes from the
 * snapshot (runtime/deadlock.h's analysis and the wait records it took). */
#include "deadlock.h"
#include "text.h"
#include "../runtime/fdtab.h"

#include <stdio.h>
#include <string.h>

static const char *noun(const struct lc_task *t)
{
    return t->kind == LC_GOROUTINE ? "goroutine" : "thread";
}

/* "held by goroutine 3 for 1.20s, locked at f  x.go:9" (goroutine 3 may have exited meanwhile). */
static void put_go_holder(struct lc_bufw *w, const char *indent, const struct lc_snapshot *s,
                          const struct lc_holder *h, int self)
{
    struct lc_frame f;
    char label[160], since[32] = "";
    const struct lc_task *o = deadlock_goroutine(s, h->task_id);
    uint64_t age = lockset_stamp_age_ns(h->stamp);
    if (age)
        snprintf(since, sizeof since, " for %.2fs", (double)age / 1e9);
    if (self)
        snprintf(label, sizeof label, "held by this same goroutine%s (self-deadlock), locked at ", since);
    else
        snprintf(label, sizeof label, "held by goroutine %llu%s%s, locked at ", (unsigned long long)h->task_id,
                 !o || o->state == LC_FINISHED ? " (exited)" : "", since);
    symbolize(h->pc, 0, &f);
    text_frame(w, indent, label, &f);
    bw_puts(w, "\n");
}

/* "held by thread 3, locked at f  x.c:9": where holder (the task the waiter waits for) took the lock, as the
 * waiter's wait record wt has it. */
static void put_holder(struct lc_bufw *w, const char *indent, const struct lc_snapshot *s,
                       const struct lc_task *holder, const struct lc_wait *wt)
{
    struct lc_frame f;
    char label[96];
    if (holder->kind == LC_GOROUTINE && wt->held && wt->holder.goroutine && wt->holder.task_id == holder->id) {
        put_go_holder(w, indent, s, &wt->holder, 0);
    } else if (wt->holder_site) {
        symbolize(wt->holder_pc, 0, &f);
        snprintf(label, sizeof label, "held by %s %llu, locked at ", noun(holder), (unsigned long long)holder->id);
        text_frame(w, indent, label, &f);
        bw_puts(w, "\n");
    } else {
        bw_printf(w, "%sheld by %s %llu\n", indent, noun(holder), (unsigned long long)holder->id);
    }
}

void deadlock_print(struct lc_bufw *w, const struct lc_snapshot *s, const struct lc_finding *f)
{
    const struct lc_task *m[16];
    size_t len = 0;
    const struct lc_task *t = snapshot_task(s, f->task[0]);
    while (t && len < 16) {             /* walk the cycle again from its first member */
        m[len++] = t;
        t = deadlock_waits_for(s, t);
        if (t && t->id == f->task[0])
            break;
    }
    if (!t)
        len = 0;                        /* it moved since: show what the finding kept */
    bw_printf(w, "[%s of %zu %ss (%.64s)]\n", finding_kind_name(LC_F_DEADLOCK), len ? len : 2,
              len && m[0]->kind == LC_GOROUTINE ? "goroutine" : "thread", f->note);
    struct lc_frame fr[LC_FRAMES_MAX];
    for (size_t i = 0; i < len; i++) {
        const struct lc_task *a = m[i], *b = m[(i + 1) % len];
        bw_printf(w, "  %s %llu blocked in %s", noun(a), (unsigned long long)a->id, a->what ? a->what : "??");
        if (a->obj_kind == LC_OBJ_THREAD)
            bw_printf(w, " on %s %llu\n", noun(b), (unsigned long long)b->id);
        else
            bw_printf(w, " on %s 0x%lx\n",
                      task_obj_name(a->obj_kind == LC_OBJ_RWLOCK ? LC_OBJ_RWLOCK : LC_OBJ_MUTEX, 0),
                      (unsigned long)(uintptr_t)a->obj);
        int n = frames_of(a->site, fr, text_depth());
        for (int k = 0; k < n; k++) {
            text_frame(w, "    ", "", &fr[k]);
            bw_puts(w, "\n");
        }
        if (a->obj_kind != LC_OBJ_THREAD) {
            struct lc_wait wt = deadlock_wait(s, a);
            put_holder(w, "    ", s, b, &wt);
        }
    }
    for (int i = 0; i < 2 && !len; i++)
        if (frames_top(f->site[i], &fr[0])) {
            text_frame(w, "  ", "blocked at ", &fr[0]);
            text_task_ref(w, s, f->task[i], LC_THREAD);
            bw_puts(w, "\n");
        }
    bw_puts(w, "\n");
}

/* The thread that exited holding lock, from the findings: its LC_F_EXIT_HOLDING_LOCK. */
static const struct lc_finding *exited_holder(const struct lc_snapshot *s, const void *lock)
{
    for (size_t i = 0; i < s->nfindings; i++)
        if (s->findings[i].kind == LC_F_EXIT_HOLDING_LOCK && s->findings[i].obj == lock)
            return &s->findings[i];
    return NULL;
}

static void put_lock_waits(struct lc_bufw *w, const struct lc_snapshot *s, const struct lc_task *t)
{
    const struct lc_task *o = deadlock_waits_for(s, t);
    struct lc_wait wt = deadlock_wait(s, t);
    const struct lc_finding *ex;
    struct lc_frame f;
    if (t->kind == LC_GOROUTINE) {
        if (wt.held && wt.holder.goroutine)
            put_go_holder(w, "  ", s, &wt.holder, wt.holder.task_id == t->id);
        return;
    }
    if (o == t) {
        bw_puts(w, "  held by this same thread: it waits for itself (self-deadlock)\n");
    } else if (o) {
        put_holder(w, "  ", s, o, &wt);
    } else if ((ex = exited_holder(s, t->obj)) != NULL) {
        char label[96];
        frames_top(ex->site[1], &f);
        snprintf(label, sizeof label, "held by thread %llu, which exited without unlocking it; locked at ",
                 (unsigned long long)ex->task[1]);
        text_frame(w, "  ", label, &f);
        bw_puts(w, "\n");
    } else {
        if (wt.owner_tid > 0)
            bw_printf(w, "  held by tid %d, a thread leakcheck does not track\n", wt.owner_tid);
    }
}

static const char *writer_state(const struct lc_snapshot *s, uint64_t id)
{
    const struct lc_task *o = snapshot_task(s, id);
    return !o ? " (exited)" : o->state == LC_FINISHED ? " (finished)" : o->state == LC_BLOCKED ? " (blocked)" : "";
}

/* "write end fd 4 still open, last written by thread 3 (exited)", "no write end left open in this process",
 * "eventfd never written". A writer blocked on a full pipe gets the read end's state only. */
static void put_fd_waits(struct lc_bufw *w, const struct lc_snapshot *s, const struct lc_task *t)
{
    int end;
    const struct lc_chan *c = deadlock_fd_chan(s, (int)(intptr_t)t->obj, &end);
    if (!c)
        return;
    const char *what = t->what ? t->what : "";
    int writing = strstr(what, "write") || strstr(what, "send");
    int peer = fdtab_peer(c->kind, end);
    uint64_t by = c->last_writer[peer];
    if (c->kind == LC_CH_EVENTFD) {
        if (writing)
            return;
        if (by)
            bw_printf(w, "  eventfd last written by thread %llu%s\n", (unsigned long long)by, writer_state(s, by));
        else
            bw_puts(w, "  eventfd never written\n");
        return;
    }
    const char *other = c->kind == LC_CH_PIPE ? (peer == 1 ? "write end" : "read end") : "other end";
    if (!c->nopen[peer]) {
        bw_printf(w, "  no %s left open in this process%s\n", other,
                  c->fork_gen != s->forks ? " (a child process made by fork may hold one)" : "");
        return;
    }
    bw_printf(w, "  %s fd %d still open", other, c->fds[peer]);
    if (writing)
        bw_puts(w, "\n");
    else if (by)
        bw_printf(w, ", last written by thread %llu%s\n", (unsigned long long)by, writer_state(s, by));
    else
        bw_puts(w, ", never written\n");
}

void deadlock_print_waits(struct lc_bufw *w, const struct lc_snapshot *s, const struct lc_task *t)
{
    if (t->state != LC_BLOCKED)
        return;
    if (t->obj_kind == LC_OBJ_MUTEX || t->obj_kind == LC_OBJ_RWLOCK)
        put_lock_waits(w, s, t);
    else if (t->obj_kind == LC_OBJ_FD)
        put_fd_waits(w, s, t);
}
