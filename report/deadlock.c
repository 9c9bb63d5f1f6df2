/* The wait-for graph at report time. Owners are read from the program's own lock words, through
 * process_vm_readv, so a lock freed meanwhile reads as an error, never as a fault. */
#include "deadlock.h"
#include "text.h"
#include "../runtime/alloc.h"
#include "../runtime/fdtab.h"
#include "../runtime/lockset.h"

#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#define MAX_CYCLES 64

/* Copy n bytes of this process's memory at addr; 0 when it is not readable. */
static int peek(const void *addr, void *buf, size_t n)
{
    struct iovec l = { buf, n }, r = { (void *)addr, n };
    int saved = errno;
    ssize_t got = process_vm_readv(getpid(), &l, 1, &r, 1, 0);
    if (got < 0 && (errno == ENOSYS || errno == EPERM)) {
        memcpy(buf, addr, n);           /* the call is forbidden here (seccomp): trust the pointer */
        got = (ssize_t)n;
    }
    errno = saved;
    return got == (ssize_t)n;
}

/* The tid owning the lock a task is blocked on (0 when none or unknown). */
static int lock_owner_tid(const struct lc_task *t)
{
    int tid = 0;
    if (t->obj_kind == LC_OBJ_MUTEX)
        peek((const char *)t->obj + offsetof(pthread_mutex_t, __data.__owner), &tid, sizeof tid);
    else if (t->obj_kind == LC_OBJ_RWLOCK)
        peek((const char *)t->obj + offsetof(pthread_rwlock_t, __data.__cur_writer), &tid, sizeof tid);
    return tid;
}

static const struct lc_task *live_thread(const struct lc_snapshot *s, int by_tid, uint64_t v)
{
    for (size_t i = 0; i < s->ntasks; i++) {
        const struct lc_task *t = &s->tasks[i];
        if (t->kind == LC_THREAD && t->state != LC_FINISHED && (by_tid ? (uint64_t)t->tid : t->key) == v)
            return t;
    }
    return NULL;
}

/* A goroutine of the snapshot by goid (thread ids and goids may coincide), NULL when it is gone. */
static const struct lc_task *goroutine(const struct lc_snapshot *s, uint64_t goid)
{
    for (size_t i = 0; i < s->ntasks; i++)
        if (s->tasks[i].kind == LC_GOROUTINE && s->tasks[i].id == goid)
            return &s->tasks[i];
    return NULL;
}

/* A goroutine blocked on a sync.Mutex/RWMutex waits for the goroutine whose lockset holds it. */
static const struct lc_task *go_lock_holder(const struct lc_snapshot *s, const struct lc_task *t)
{
    struct lc_holder h;
    if (!lockset_holder_info(t->obj, &h) || !h.goroutine)
        return NULL;
    const struct lc_task *o = goroutine(s, h.task_id);
    return o && o->state != LC_FINISHED ? o : NULL;
}

const struct lc_task *deadlock_waits_for(const struct lc_snapshot *s, const struct lc_task *t)
{
    if (t->state != LC_BLOCKED)
        return NULL;
    if (t->kind == LC_GOROUTINE && (t->obj_kind == LC_OBJ_MUTEX || t->obj_kind == LC_OBJ_RWLOCK))
        return go_lock_holder(s, t);    /* a Go mutex has no owner tid: never read it as a pthread one */
    switch (t->obj_kind) {
    case LC_OBJ_MUTEX:
    case LC_OBJ_RWLOCK: {
        int tid = lock_owner_tid(t);
        if (tid > 0)
            return live_thread(s, 1, (uint64_t)tid);
        uint64_t id;
        uintptr_t pc;
        if (t->obj_kind == LC_OBJ_RWLOCK && lockset_holder(t->obj, &id, &pc)) {
            const struct lc_task *o = snapshot_task(s, id);
            return o && o->state != LC_FINISHED ? o : NULL;
        }
        return NULL;
    }
    case LC_OBJ_THREAD:
        return live_thread(s, 0, (uint64_t)(uintptr_t)t->obj);
    default:
        return NULL;
    }
}

/* Cycles of at least min_len tasks, each starting at its lowest id: calls fn(members, len, arg). */
static size_t cycles(const struct lc_snapshot *s, size_t min_len,
                     void (*fn)(const struct lc_task **, size_t, void *), void *arg)
{
    size_t n = s->ntasks, found = 0;
    if (!n)
        return 0;
    long *next = lc_calloc(n, sizeof *next);
    uint32_t *walk = lc_calloc(n, sizeof *walk);
    const struct lc_task **mem = lc_calloc(n, sizeof *mem);
    if (!next || !walk || !mem)
        goto out;
    for (size_t i = 0; i < n; i++) {
        const struct lc_task *o = deadlock_waits_for(s, &s->tasks[i]);
        next[i] = o ? o - s->tasks : -1;
    }
    for (size_t i = 0; i < n; i++) {
        long j = (long)i;
        while (j >= 0 && !walk[j]) {    /* walk i's chain, marking it with walk number i+1 */
            walk[j] = (uint32_t)i + 1;
            j = next[j];
        }
        if (j < 0 || walk[j] != (uint32_t)i + 1)
            continue;                   /* ends, or joins a chain walked before */
        size_t len = 0, low = 0;
        long k = j;
        do {
            mem[len] = &s->tasks[k];
            if (mem[len]->id < mem[low]->id)
                low = len;
            len++;
            k = next[k];
        } while (k != j && len < n);
        if (len < min_len)
            continue;
        found++;
        if (fn) {                       /* rotate: the lowest id first */
            const struct lc_task **rot = lc_calloc(len, sizeof *rot);
            if (rot) {
                for (size_t m = 0; m < len; m++)
                    rot[m] = mem[(low + m) % len];
                fn(rot, len, arg);
                lc_free(rot);
            }
        }
    }
out:
    lc_free(next);
    lc_free(walk);
    lc_free(mem);
    return found;
}

struct find_ctx { struct lc_finding *out; size_t max, n; uint64_t now; };

static void add_cycle(const struct lc_task **m, size_t len, void *arg)
{
    struct find_ctx *c = arg;
    if (c->n >= c->max)
        return;
    struct lc_finding *f = &c->out[c->n++];
    memset(f, 0, sizeof *f);
    f->kind = LC_F_DEADLOCK;
    f->obj = m[0]->obj;
    f->site[0] = m[0]->site;
    f->site[1] = m[1]->site;
    f->task[0] = m[0]->id;
    f->task[1] = m[1]->id;
    f->count = 1;
    f->first_ns = c->now;
    int k = snprintf(f->note, sizeof f->note, "%s", m[0]->kind == LC_GOROUTINE ? "goroutines" : "threads");
    for (size_t i = 0; i <= len && k > 0 && (size_t)k < sizeof f->note; i++)
        k += snprintf(f->note + k, sizeof f->note - (size_t)k, "%s%llu", i ? " -> " : " ",
                      (unsigned long long)m[i % len]->id);
}

size_t deadlock_find(const struct lc_snapshot *s, struct lc_finding *out, size_t max)
{
    struct find_ctx c = { out, out ? max : 0, 0, s->now_ns };
    return cycles(s, 2, add_cycle, &c);
}

size_t deadlock_stuck(const struct lc_snapshot *s)
{
    return cycles(s, 1, NULL, NULL);
}

size_t deadlock_augment(struct lc_snapshot *s)
{
    struct lc_finding found[MAX_CYCLES];
    size_t n = deadlock_find(s, found, MAX_CYCLES), added = 0;
    if (n > MAX_CYCLES)
        n = MAX_CYCLES;
    if (!n)
        return 0;
    struct lc_finding *all = lc_calloc(s->nfindings + n, sizeof *all);
    if (!all)
        return 0;
    if (s->nfindings)
        memcpy(all, s->findings, s->nfindings * sizeof *all);
    size_t total = s->nfindings;
    for (size_t i = 0; i < n; i++) {
        int dup = 0;
        for (size_t k = 0; k < total && !dup; k++)
            dup = all[k].kind == LC_F_DEADLOCK && all[k].task[0] == found[i].task[0] &&
                  all[k].site[0] == found[i].site[0] && all[k].site[1] == found[i].site[1];
        if (!dup) {
            all[total++] = found[i];
            added++;
        }
    }
    lc_free(s->findings);
    s->findings = all;
    s->nfindings = total;
    return added;
}

/* ---- all asleep -------------------------------------------------------------------------------------- */

static const struct lc_chan *chan_of_fd(const struct lc_snapshot *s, int fd, int *end)
{
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < s->nchans; i++) {
            const struct lc_chan *c = &s->chans[i];
            const int32_t *fds = pass ? c->orig_fds : c->fds;
            if (c->kind == LC_CH_GO || (pass && c->nopen[0] + c->nopen[1] == 0))
                continue;
            for (int e = 0; e < 2; e++)
                if (fds[e] == fd) {
                    *end = e;
                    return c;
                }
        }
    return NULL;
}

/* Only another task of this process can end this wait. */
static int waits_forever(const struct lc_snapshot *s, const struct lc_task *t)
{
    int end;
    if (!t->what || strstr(t->what, "timed") || strstr(t->what, "clock"))
        return 0;
    switch (t->obj_kind) {
    case LC_OBJ_MUTEX: case LC_OBJ_RWLOCK: case LC_OBJ_COND: case LC_OBJ_SEM: case LC_OBJ_BARRIER:
    case LC_OBJ_THREAD:
        return 1;
    case LC_OBJ_FD: {
        const struct lc_chan *c = chan_of_fd(s, (int)(intptr_t)t->obj, &end);
        return c && c->fork_gen == fdtab_forks();   /* else a child process may hold the other end */
    }
    default:
        return 0;
    }
}

int deadlock_all_asleep(const struct lc_snapshot *s)
{
    size_t live = 0;
    for (size_t i = 0; i < s->ntasks; i++) {
        const struct lc_task *t = &s->tasks[i];
        if ((t->flags & LC_TF_INTERNAL) || t->state == LC_FINISHED)
            continue;
        if (t->kind == LC_GOROUTINE || t->state != LC_BLOCKED || !waits_forever(s, t))
            return 0;
        live++;
    }
    return live > 0;
}

uint64_t deadlock_signature(const struct lc_snapshot *s)
{
    uint64_t h = 1469598103934665603ull ^ s->ntasks;
    for (size_t i = 0; i < s->ntasks; i++) {
        const struct lc_task *t = &s->tasks[i];
        uint64_t v[3] = { t->id, t->state, t->since_ns };
        for (int k = 0; k < 3; k++)
            h = (h ^ v[k]) * 1099511628211ull;
    }
    return h;
}

/* ---- text ------------------------------------------------------------------------------------------------ */

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
    const struct lc_task *o = goroutine(s, h->task_id);
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

/* "held by thread 3, locked at f  x.c:9": where holder took lock, from its lockset. */
static void put_holder(struct lc_bufw *w, const char *indent, const struct lc_snapshot *s,
                       const struct lc_task *holder, const void *lock)
{
    uintptr_t pc;
    struct lc_frame f;
    char label[96];
    struct lc_holder h;
    if (holder->kind == LC_GOROUTINE && lockset_holder_info(lock, &h) && h.goroutine && h.task_id == holder->id) {
        put_go_holder(w, indent, s, &h, 0);
    } else if (lockset_site(holder->id, lock, &pc)) {
        symbolize(pc, 0, &f);
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
        if (a->obj_kind != LC_OBJ_THREAD)
            put_holder(w, "    ", s, b, a->obj);
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

static void put_go_lock_waits(struct lc_bufw *w, const struct lc_snapshot *s, const struct lc_task *t)
{
    struct lc_holder h;
    if (!lockset_holder_info(t->obj, &h) || !h.goroutine)
        return;
    put_go_holder(w, "  ", s, &h, h.task_id == t->id);
}

static void put_lock_waits(struct lc_bufw *w, const struct lc_snapshot *s, const struct lc_task *t)
{
    const struct lc_task *o = deadlock_waits_for(s, t);
    const struct lc_finding *ex;
    struct lc_frame f;
    if (t->kind == LC_GOROUTINE) {
        put_go_lock_waits(w, s, t);
        return;
    }
    if (o == t) {
        bw_puts(w, "  held by this same thread: it waits for itself (self-deadlock)\n");
    } else if (o) {
        put_holder(w, "  ", s, o, t->obj);
    } else if ((ex = exited_holder(s, t->obj)) != NULL) {
        char label[96];
        frames_top(ex->site[1], &f);
        snprintf(label, sizeof label, "held by thread %llu, which exited without unlocking it; locked at ",
                 (unsigned long long)ex->task[1]);
        text_frame(w, "  ", label, &f);
        bw_puts(w, "\n");
    } else {
        int tid = lock_owner_tid(t);
        if (tid > 0)
            bw_printf(w, "  held by tid %d, a thread leakcheck does not track\n", tid);
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
    const struct lc_chan *c = chan_of_fd(s, (int)(intptr_t)t->obj, &end);
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
                  c->fork_gen != fdtab_forks() ? " (a child process made by fork may hold one)" : "");
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
