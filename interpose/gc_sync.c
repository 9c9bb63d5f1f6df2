/* Copying the goroutines of a gc-built program into runtime/'s task table (the gc family's task source), with
 * what the hooks recorded: creators, channel history, misuse (gc_records.h); the threads that run goroutines
 * are stopped for a moment for their stacks before a report. */
#include "gc_family.h"
#include "gc_hooks.h"
#include "gc_tasks.h"
#include "../runtime/chan.h"
#include "../runtime/task.h"
#include "../runtime/finding.h"
#include "../runtime/lock.h"
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static const struct gc_bin *bin;
static struct gc_mem *mem;
static struct gc_reader *reader;
static struct gc_tasks tasks;                  /* the goroutines into the task table (gc_tasks.c) */
static lc_lock_t walk_lock = LC_LOCK_INIT;     /* one walk at a time (tick, report) */

void gc_sync_setup(const struct gc_bin *b, struct gc_mem *m, struct gc_reader *r)
{
    bin = b, mem = m, reader = r;
    uint64_t now = lc_now_ns();
    tasks = (struct gc_tasks){ .bin = b, .mem = m, .reader = r, .last_walk_ns = now, .last_file_ns = now };
}

/* ---- misuse the hooks recorded ------------------------------------------------------------------------------ */

/* The first word of an event's frames that is a closed channel, a WaitGroup gone negative, an unlocked
 * mutex: the object a panic's or fatal error's message is about (read here, where a bad word cannot fault). */
static uint64_t object_of(const struct gc_event *e, int msg)
{
    const struct gc_bin *b = bin;
    int wg = b->off[GF_wg_sema] >= 0 ? GF_wg_sema : GF_wg_state2;
    for (int i = 0; i < GC_WORDS; i++) {
        uint64_t w = e->words[i];
        if (w < 4096 || (w & 7))
            continue;
        if (msg == GM_SEND_CLOSED) {
            struct gc_chanrec r;
            if (gc_chanrec_get(w, &r) && gc_read_uint(mem, w + (uint64_t)b->off[GF_hchan_closed], 4, 0))
                return w;
        } else if (msg == GM_NEG_WAITGROUP) {
            /* the counter is the high half of the 64-bit state word before the semaphore */
            int64_t st = (int64_t)gc_read_uint(mem, w + (uint64_t)b->off[wg] - 8, 8, 0);
            if (b->off[wg] >= 8 && (int32_t)(st >> 32) < 0)
                return w;
        } else if (msg == GM_UNLOCK_UNLOCKED) {
            if ((int32_t)gc_read_uint(mem, w, 4, 0) == -1)
                return w;                 /* the state word after the unlock that went below zero */
        }
    }
    return 0;
}

static void message_finding(const struct gc_event *e, stack_id at)
{
    uint64_t obj = object_of(e, (int)e->msg);
    const void *o = (const void *)(uintptr_t)obj;
    if (e->msg == GM_SEND_CLOSED) {
        struct gc_chanrec r;
        int known = obj && gc_chanrec_get(obj, &r);
        char note[40] = "";
        uint64_t q = obj ? gc_read_uint(mem, obj + (uint64_t)bin->off[GF_hchan_qcount], 8, 0) : 0;
        if (obj && gc_read_uint(mem, obj + (uint64_t)bin->off[GF_hchan_dataqsiz], 8, 0))
            snprintf(note, sizeof note, "%llu buffered", (unsigned long long)q);
        if (obj)
            gc_tasks_chan(&tasks, obj, known ? &r : NULL);
        finding_add(LC_F_SEND_CLOSED, o, at, e->goid, known ? gc_tasks_stack(r.closed_at) : 0,
                    known ? r.closed_by : 0, note);
    } else if (e->msg == GM_NEG_WAITGROUP) {
        finding_add(LC_F_NEG_WAITGROUP, o, at, e->goid, 0, 0, "counter < 0");
    } else if (e->msg == GM_UNLOCK_UNLOCKED) {
        finding_add(LC_F_UNLOCK_UNLOCKED, o, at, e->goid, 0, 0, NULL);
    }
}

/* Misuse counted by site: each new occurrence since the last drain becomes one more of its finding. */
static uint64_t site_seen[GC_SITES];
static void drain_sites(void)
{
    for (unsigned i = 0; i < GC_SITES; i++) {
        const struct gc_site *s = &gc_rec->site[i];
        uint64_t n = __atomic_load_n(&s->count, __ATOMIC_ACQUIRE);
        if (n == site_seen[i] || !__atomic_load_n(&s->ready, __ATOMIC_ACQUIRE))
            continue;
        stack_id at = gc_tasks_stack(s->at);
        if (s->kind == GE_DOUBLE_CLOSE && site_seen[i] == 0) {
            struct gc_chanrec r;
            gc_tasks_chan(&tasks, s->chan, gc_chanrec_get(s->chan, &r) ? &r : NULL);
        }
        stack_id first = s->kind == GE_DOUBLE_CLOSE ? gc_tasks_stack(s->first) : 0;
        for (; site_seen[i] < n; site_seen[i]++)
            finding_add(s->kind == GE_DOUBLE_CLOSE ? LC_F_DOUBLE_CLOSE : LC_F_CLOSE_NIL,
                        (const void *)(uintptr_t)s->chan, at, s->goid, first, first ? s->first_goid : 0, NULL);
    }
}

/* Misuse the hooks saw since the last drain: findings, with the channel's history. */
static uint64_t event_read;
static void drain_events(void)
{
    if (!gc_rec)
        return;
    uint64_t end = __atomic_load_n(&gc_rec->event_next, __ATOMIC_ACQUIRE);
    if (end - event_read > GC_EVENTS)
        event_read = end - GC_EVENTS;     /* the ring went round: the oldest are gone */
    for (; event_read < end; event_read++) {
        const struct gc_event *e = &gc_rec->event[event_read % GC_EVENTS];
        uint32_t want = (uint32_t)(2 * (event_read / GC_EVENTS) + 2);
        for (int spin = 0; spin < 1000 && __atomic_load_n(&e->seq, __ATOMIC_ACQUIRE) < want; spin++)
            sched_yield();                /* being written right now */
        if (__atomic_load_n(&e->seq, __ATOMIC_ACQUIRE) != want)
            continue;
        struct gc_event ev = *e;
        if (ev.kind == GE_PANIC || ev.kind == GE_FATAL)
            message_finding(&ev, gc_tasks_stack(ev.at));
    }
    drain_sites();
}

/* ---- the stacks of running goroutines ---------------------------------------------------------------------- */

#define SAMPLE_WAIT_NS 50000000u          /* how long sampled threads get to answer */

static void want_sample(pid_t tid, uint64_t curg, void *arg)
{
    struct gc_sampling *s = &gc_sampling;
    (void)arg;
    if (tid > 0 && curg && curg != reader->on_system_stack && s->n < GC_SAMPLE_MAX)
        s->slot[s->n++] = (struct gc_sample){ .tid = tid };
}

static int sample_regs(pid_t tid, uint64_t *pc, uint64_t *sp, void *arg)
{
    (void)arg;
    for (int i = 0; i < gc_sampling.n; i++) {
        struct gc_sample *e = &gc_sampling.slot[i];
        if (e->tid == tid && __atomic_load_n(&e->done, __ATOMIC_ACQUIRE)) {
            *pc = e->pc;
            *sp = e->sp;
            return 0;
        }
    }
    return -1;
}

static struct sigaction sample_prev;

/* Stop every thread that runs a goroutine in a handler of ours, registers saved, until sample_end(): the
 * signal is the last real-time one, whose handler is Go's only while no sampling is going on. */
static int sample_begin(void)
{
    struct gc_sampling *s = &gc_sampling;
    memset(s, 0, sizeof *s);
    if (gc_threads(reader, want_sample, NULL) < 0 || s->n == 0)
        return 0;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = lc_gc_sample_handler;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
    sigfillset(&sa.sa_mask);
    if (sigaction(SIGRTMAX, &sa, &sample_prev) != 0)
        return 0;
    int sent = 0;
    pid_t pid = getpid();
    for (int i = 0; i < s->n; i++)
        if (syscall(SYS_tgkill, pid, s->slot[i].tid, SIGRTMAX) == 0)
            sent++;
    uint64_t end = lc_now_ns() + SAMPLE_WAIT_NS;
    for (int32_t got; (got = __atomic_load_n(&s->arrived, __ATOMIC_ACQUIRE)) < sent && lc_now_ns() < end;) {
        struct timespec ts = { 0, 2000000 };
        syscall(SYS_futex, &s->arrived, FUTEX_WAIT_PRIVATE, got, &ts, NULL, 0);
    }
    reader->regs = sample_regs;
    return 1;
}

static void sample_end(void)
{
    reader->regs = NULL;
    __atomic_store_n(&gc_sampling.release, 1, __ATOMIC_RELEASE);
    syscall(SYS_futex, &gc_sampling.release, FUTEX_WAKE_PRIVATE, INT32_MAX, NULL, NULL, 0);
    sigaction(SIGRTMAX, &sample_prev, NULL);
}

/* Read every goroutine into the task table; drop the records of goroutines gone. sample: stop the threads
 * running goroutines for their stacks (for a report, not for the grace period's polling). Returns the number
 * of user goroutines still running, or -1 when the runtime's table could not be read (or stop, when given,
 * became non-zero: the walk gave up). */
static int sync_walk(uint64_t exiting_g, int sample, enum gc_sync_mode mode, const volatile uint32_t *stop)
{
    lc_lock(&walk_lock);
    reader->stop = stop;
    drain_events();
    reader->on_system_stack = gc_ctl.exit_fatal ? gc_ctl.exit_g : 0;
    int sampled = sample && sample_begin();
    int n = gc_tasks_sync(&tasks, exiting_g, mode);
    if (sampled)
        sample_end();
    reader->stop = NULL;
    lc_unlock(&walk_lock);
    return n;
}

int gc_sync(uint64_t exiting_g, int sample)
{
    return sync_walk(exiting_g, sample, sample ? GC_SYNC_REPORT : GC_SYNC_COUNT, NULL);
}

/* The slow tick's walk gives way to a request of the shim's thread made meanwhile (an exit, a dump): the exit
 * does not wait for a reading of 100,000 goroutines it then repeats. */
int gc_sync_tick(void)
{
    return sync_walk(0, 0, GC_SYNC_FILE, &gc_ctl.pending);
}

/* The task source: before a report the threads running goroutines are stopped for their stacks. */
