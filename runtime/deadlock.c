/* The wait-for analysis of a snapshot. What a blocked task's lock says (glibc's owner field, the registered
 * locksets) is read when the snapshot is taken (deadlock_note_waits); the analysis itself reads only the
 * snapshot. Owners are read from the program's own lock words through process_vm_readv, so a lock freed
 * meanwhile reads as an error, never as a fault. */
#include "deadlock.h"
#include "alloc.h"
#include "fdtab.h"

#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#define MAX_CYCLES 64

/* Copy n bytes at addr of the memory of process pid (the snapshot's: this one, or the one the attach tool
 * reads; 0 in a snapshot made by hand: this one); 0 when it is not readable. */
static int peek(pid_t pid, const void *addr, void *buf, size_t n)
{
    struct iovec l = { buf, n }, r = { (void *)addr, n };
    int saved = errno;
    if (!pid)
        pid = getpid();
    ssize_t got = process_vm_readv(pid, &l, 1, &r, 1, 0);
    if (got < 0 && (errno == ENOSYS || errno == EPERM) && pid == getpid()) {
        memcpy(buf, addr, n);           /* the call is forbidden here (seccomp): trust the pointer */
        got = (ssize_t)n;
    }
    errno = saved;
    return got == (ssize_t)n;
}

/* The tid owning the lock a task is blocked on (0 when none or unknown). */
static int lock_owner_tid(const struct lc_snapshot *s, const struct lc_task *t)
{
    int tid = 0;
    const char *at = NULL;
    if (t->obj_kind == LC_OBJ_MUTEX)
        at = (const char *)t->obj + offsetof(pthread_mutex_t, __data.__owner);
    else if (t->obj_kind == LC_OBJ_RWLOCK)
        at = (const char *)t->obj + offsetof(pthread_rwlock_t, __data.__cur_writer);
    if (at && !(s->peek && s->peek(at, &tid, sizeof tid) == 0))
        peek(s->pid, at, &tid, sizeof tid);
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

const struct lc_task *deadlock_goroutine(const struct lc_snapshot *s, uint64_t goid)
{
    return snapshot_task_of(s, LC_GOROUTINE, goid);
}

static int waits_on_lock(const struct lc_task *t)
{
    return t->state == LC_BLOCKED && (t->obj_kind == LC_OBJ_MUTEX || t->obj_kind == LC_OBJ_RWLOCK);
}

/* The task a lock waiter waits for, by the lock's record w. */
static const struct lc_task *lock_holder(const struct lc_snapshot *s, const struct lc_task *t,
                                         const struct lc_wait *w)
{
    const struct lc_task *o;
    if (t->kind == LC_GOROUTINE) {      /* a Go mutex has no owner tid: never read it as a pthread one */
        if (!w->held || !w->holder.goroutine)
            return NULL;
        o = deadlock_goroutine(s, w->holder.task_id);
        return o && o->state != LC_FINISHED ? o : NULL;
    }
    if (w->owner_tid > 0)
        return live_thread(s, 1, (uint64_t)w->owner_tid);
    if (t->obj_kind == LC_OBJ_RWLOCK && w->held) {
        o = snapshot_task(s, w->holder.task_id);
        return o && o->state != LC_FINISHED ? o : NULL;
    }
    return NULL;
}

/* What t's lock says now. */
static void read_wait(const struct lc_snapshot *s, const struct lc_task *t, struct lc_wait *w)
{
    memset(w, 0, sizeof *w);
    if (!waits_on_lock(t))
        return;
    if (t->kind == LC_THREAD)
        w->owner_tid = lock_owner_tid(s, t);
    w->held = lockset_holder_info(t->obj, &w->holder) != 0;
    const struct lc_task *o = lock_holder(s, t, w);
    if (o)
        w->holder_site = lockset_site(o->id, t->obj, &w->holder_pc) != 0;
}

/* What a wait reads depends only on the lock and the waiter's kind: many tasks waiting on one lock read it once
 * (memo by lock address). Tasks that wait on no lock keep their zeroed record, never written (a report over many
 * goroutines blocked elsewhere does not make those pages resident). */
#define WAIT_MEMO 64
void deadlock_note_waits(struct lc_snapshot *s)
{
    struct { const void *obj; uint8_t kind, obj_kind; struct lc_wait w; } memo[WAIT_MEMO];
    memset(memo, 0, sizeof memo);
    s->waits = s->ntasks ? lc_calloc(s->ntasks, sizeof *s->waits) : NULL;
    for (size_t i = 0; s->waits && i < s->ntasks; i++) {
        const struct lc_task *t = &s->tasks[i];
        if (!waits_on_lock(t))
            continue;
        size_t h = ((uintptr_t)t->obj >> 3) % WAIT_MEMO;
        if (memo[h].obj != t->obj || memo[h].kind != t->kind || memo[h].obj_kind != t->obj_kind) {
            read_wait(s, t, &memo[h].w);
            memo[h].obj = t->obj;
            memo[h].kind = t->kind;
            memo[h].obj_kind = t->obj_kind;
        }
        s->waits[i] = memo[h].w;
    }
}

struct lc_wait deadlock_wait(const struct lc_snapshot *s, const struct lc_task *t)
{
    struct lc_wait w;
    if (s->waits && t >= s->tasks && t < s->tasks + s->ntasks)
        return s->waits[t - s->tasks];
    read_wait(s, t, &w);                /* a snapshot made by hand (unit tests): its locks, now */
    return w;
}

const struct lc_task *deadlock_waits_for(const struct lc_snapshot *s, const struct lc_task *t)
{
    if (t->state != LC_BLOCKED)
        return NULL;
    if (waits_on_lock(t)) {
        struct lc_wait w = deadlock_wait(s, t);
        return lock_holder(s, t, &w);
    }
    if (t->obj_kind == LC_OBJ_THREAD)
        return live_thread(s, 0, (uint64_t)(uintptr_t)t->obj);
    return NULL;
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
        if (len < min_len || (len == 1 && mem[0]->kind == LC_GOROUTINE))
            continue;                   /* a goroutine waiting for itself may still be handed the mutex */
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

/* Goroutines blocked on a Go mutex they hold themselves. Go mutexes have no owner, so while the program runs
 * another goroutine may still unlock it (hand-off); at a verdict none will: LC_F_SELF_DEADLOCK, at the blocking
 * stack and where it took the lock. */
static size_t self_waits(const struct lc_snapshot *s, struct lc_finding *out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < s->ntasks && n < max; i++) {
        const struct lc_task *t = &s->tasks[i];
        if (t->kind != LC_GOROUTINE || deadlock_waits_for(s, t) != t)
            continue;
        struct lc_wait w = deadlock_wait(s, t);
        struct lc_finding *f = &out[n++];
        memset(f, 0, sizeof *f);
        f->kind = LC_F_SELF_DEADLOCK;
        f->obj = t->obj;
        f->site[0] = t->site;
        f->site[1] = w.holder_site ? lockset_site_stack(w.holder_pc) : 0;
        f->task[0] = f->task[1] = t->id;
        f->count = 1;
        f->first_ns = s->now_ns;
        snprintf(f->note, sizeof f->note, "%s", t->what ? t->what : "sync.Mutex.Lock");
    }
    return n;
}

static int same_finding(const struct lc_finding *a, const struct lc_finding *b)
{
    if (a->kind != b->kind)
        return 0;
    if (a->kind == LC_F_SELF_DEADLOCK)
        return a->obj == b->obj && a->task[0] == b->task[0];
    return a->task[0] == b->task[0] && a->site[0] == b->site[0] && a->site[1] == b->site[1];
}

size_t deadlock_augment(struct lc_snapshot *s, int verdict)
{
    struct lc_finding found[MAX_CYCLES];
    size_t n = deadlock_find(s, found, MAX_CYCLES), added = 0;
    if (n > MAX_CYCLES)
        n = MAX_CYCLES;
    if (verdict)
        n += self_waits(s, found + n, MAX_CYCLES - n);
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
            dup = same_finding(&all[k], &found[i]);
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

const struct lc_chan *deadlock_fd_chan(const struct lc_snapshot *s, int fd, int *end)
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

int deadlock_wait_times_out(const struct lc_task *t)
{
    return t->state == LC_BLOCKED && t->what &&
           (strcmp(t->what, "sleep") == 0 || strstr(t->what, "timed") || strstr(t->what, "clock"));
}

/* Only another task of this process can end this wait. */
static int waits_forever(const struct lc_snapshot *s, const struct lc_task *t)
{
    int end;
    if (!t->what || deadlock_wait_times_out(t))
        return 0;
    switch (t->obj_kind) {
    case LC_OBJ_MUTEX: case LC_OBJ_RWLOCK: case LC_OBJ_COND: case LC_OBJ_SEM: case LC_OBJ_BARRIER:
    case LC_OBJ_THREAD:
        return 1;
    case LC_OBJ_FD: {
        const struct lc_chan *c = deadlock_fd_chan(s, (int)(intptr_t)t->obj, &end);
        return c && c->fork_gen == s->forks;   /* else a child process may hold the other end */
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
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < s->ntasks; i++) {
        const struct lc_task *t = &s->tasks[i];
        if (t->state == LC_RUNNING || deadlock_wait_times_out(t))
            continue;
        uint64_t v[3] = { t->id, t->state, t->since_ns };
        for (int k = 0; k < 3; k++)
            h = (h ^ v[k]) * 1099511628211ull;
        struct lc_twin_it it = snapshot_twins(s, i);
        for (const struct lc_twin *tw; (tw = snapshot_twin_next(&it));)
            h = ((h ^ tw->id) * 1099511628211ull ^ tw->since_ns) * 1099511628211ull;
    }
    return h;
}

