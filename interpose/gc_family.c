/* The gc family: Go programs built by the standard toolchain. Nothing is wrapped: at start-up (in the
 * constructor, before the Go runtime runs, where glibc still owns the thread) the executable is read
 * (gc_binary.c), runtime.exit is patched (gc_hooks.c) and the shim's thread is started; from then on the Go
 * runtime's goroutine table is read from that thread (gc_goroutines.c) and copied into runtime/'s task table
 * before every report, and on a slow tick so that "blocked for" has a start. */
#include "gc_family.h"
#include "gc_goroutines.h"
#include "gc_hooks.h"
#include "gc_patch.h"
#include "gc_records.h"
#include "../runtime/snapshot.h"
#include "lifecycle.h"
#include "resolve.h"
#include "../report/symbolize.h"
#include "../runtime/chan.h"
#include "../runtime/finding.h"
#include "../runtime/lock.h"
#include "../runtime/options.h"
#include <link.h>
#include <malloc.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static struct gc_bin bin;
static struct gc_mem mem;
static struct gc_reader reader;
static int active;
static lc_lock_t walk_lock = LC_LOCK_INIT;     /* one walk at a time (tick, report) */
static void gc_refresh(int report);
static const struct lc_task_source gc_source = { "gc", gc_refresh };
static void gc_refresh(int report);
static uint64_t last_walk_ns;                  /* the last complete walk (before the first: start-up) */

int lc_gc_active(void) { return active; }
const struct gc_bin *lc_gc_binary(void) { return active ? &bin : NULL; }

static void note(int level, const char *fmt, const char *a, const char *b)
{
    if (lc_opt.verbosity < level)
        return;
    char line[512];
    int n = snprintf(line, sizeof line, fmt, a, b);
    if (n > 0)
        write(2, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

/* ---- recognising the program --------------------------------------------------------------------------- */

/* The main program's load bias, and whether it carries Go's build-id note (an in-memory look: no system call,
 * so that every other program pays nothing for this check). */
struct main_info { uint64_t bias; int go_note; int done; };

static int main_cb(struct dl_phdr_info *info, size_t size, void *arg)
{
    struct main_info *m = arg;
    (void)size;
    if (m->done++)
        return 1;
    m->bias = info->dlpi_addr;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_NOTE)
            continue;
        const uint8_t *p = (const uint8_t *)(info->dlpi_addr + ph->p_vaddr), *end = p + ph->p_memsz;
        while (p + 12 <= end) {
            uint32_t nsz, dsz, type;
            memcpy(&nsz, p, 4), memcpy(&dsz, p + 4, 4), memcpy(&type, p + 8, 4);
            const uint8_t *name = p + 12;
            if ((nsz == 3 || nsz == 4) && name + 4 <= end && memcmp(name, "Go", 3) == 0)   /* "Go\0\0" */
                m->go_note = 1;
            p = name + ((nsz + 3) & ~3u) + ((dsz + 3) & ~3u);
        }
    }
    return 1;
}

/* ---- start -------------------------------------------------------------------------------------------------- */

/* runtime.exit on linux/amd64: movl 8(%rsp), %edi; movl $231, %eax; syscall; ret */
static const uint8_t exit_code_bytes[] = { 0x8b, 0x7c, 0x24, 0x08, 0xb8, 0xe7, 0x00, 0x00, 0x00, 0x0f, 0x05, 0xc3 };

static void *gc_thread(void *arg);

static int start_thread(void)
{
    pthread_attr_t a;
    pthread_t th;
    sigset_t all, old;
    sigfillset(&all);
    pthread_attr_init(&a);
    pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&a, 1 << 20);
    pthread_sigmask(SIG_SETMASK, &all, &old);   /* every signal blocked: Go's handlers never run on it */
    int ok = pthread_create(&th, &a, gc_thread, NULL) == 0;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    pthread_attr_destroy(&a);
    if (ok)
        pthread_setname_np(th, "leakcheck");
    return ok;
}

static const int fatal_sigs[] = { SIGTERM, SIGINT, SIGHUP };

/* Where the program left the default action, our handler: Go keeps it as the handler to forward to, and calls
 * it when it is about to die of that signal. */
static void install_fatal(void)
{
    for (size_t i = 0; lc_opt.fatal_signals && i < sizeof fatal_sigs / sizeof fatal_sigs[0]; i++) {
        struct sigaction old, sa;
        if (sigaction(fatal_sigs[i], NULL, &old) != 0 || old.sa_handler != SIG_DFL)
            continue;
        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = lc_gc_fatal_handler;
        sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
        sigfillset(&sa.sa_mask);
        sigaction(fatal_sigs[i], &sa, NULL);
    }
}

/* The entry and return hooks that give the history Go does not keep: who started each goroutine, where each
 * channel was made and first closed, a double close or a close of nil even when the panic is recovered. Each
 * goes in only when its code is exactly what the hook expects; one that does not says so and the rest works. */
static void install_hooks(const char *path)
{
    struct gc_ctl *c = &gc_ctl;
    c->off_g_goid = bin.off[GF_g_goid];
    c->off_g_stack_lo = bin.off[GF_g_stack_lo];
    c->off_g_stack_hi = bin.off[GF_g_stack_hi];
    c->off_g_sched_bp = bin.off[GF_g_sched_bp];
    c->off_g_sched_pc = bin.off[GF_g_sched_pc];
    c->off_hchan_closed = bin.off[GF_hchan_closed];
    c->off_type_kind = bin.off[GF_type_kind];
    extern int64_t lc_gc_off_g_m, lc_gc_off_m_g0, lc_gc_off_m_gsignal, lc_gc_off_g_sched_sp, lc_gc_off_g_stack_lo;
    lc_gc_off_g_m = bin.off[GF_g_m];
    lc_gc_off_m_g0 = bin.off[GF_m_g0];
    lc_gc_off_m_gsignal = bin.off[GF_m_gsignal];
    lc_gc_off_g_sched_sp = bin.off[GF_g_sched_sp];
    lc_gc_off_g_stack_lo = bin.off[GF_g_stack_lo];
    void *m = mmap(NULL, sizeof *gc_rec, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (m == MAP_FAILED)
        return;
    gc_rec = m;
    enum { ENTRY, RETURN, NOSPLIT };
    static const struct { const char *fn; struct gc_hook *h; int how; } hooks[] = {
        { "runtime.newproc1", &lc_gc_hook_newproc_out, RETURN },
        { "runtime.makechan", &lc_gc_hook_makechan_out, RETURN },
        { "runtime.closechan", &lc_gc_hook_closechan_in, ENTRY },
        { "runtime.gopanic", &lc_gc_hook_gopanic_in, ENTRY },
        { "runtime.fatal", &lc_gc_hook_fatal_in, NOSPLIT },
    };
    for (size_t i = 0; i < sizeof hooks / sizeof hooks[0]; i++) {
        uint64_t fn = gc_bin_func(&bin, hooks[i].fn);
        int r = !fn ? -1 : hooks[i].how == RETURN ? gc_hook_returns(&bin.pcln, fn, hooks[i].h)
              : hooks[i].how == NOSPLIT ? gc_hook_nosplit_entry(fn, hooks[i].h) : gc_hook_entry(fn, hooks[i].h);
        if (r < 0)
            note(1, "leakcheck: %s: %s is not the code expected; its history is not recorded\n", path, hooks[i].fn);
    }
}

int lc_gc_start(void)
{
    struct main_info mi = { 0 };
    dl_iterate_phdr(main_cb, &mi);
    if (!mi.go_note)
        return LC_GC_NOT_GO;
    char path[512], err[256];
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    if (n <= 0)
        return LC_GC_REFUSED;
    path[n] = 0;
    if (gc_bin_open_fast(&bin, path, mi.bias, err, sizeof err) != 0) {
        note(1, "leakcheck: %s: %s; its goroutines are not checked\n", path, err);
        return LC_GC_REFUSED;
    }
    gc_mem_init(&mem, getpid());
    last_walk_ns = lc_now_ns();
    if (gc_reader_init(&reader, &bin, &mem, err, sizeof err) != 0) {
        note(1, "leakcheck: %s: %s; its goroutines are not checked\n", path, err);
        return LC_GC_REFUSED;
    }
    struct gc_ctl *c = &gc_ctl;
    c->exit_fn = gc_bin_func(&bin, "runtime.exit");
    c->release_fn = gc_bin_func(&bin, "runtime.entersyscallblock");
    c->off_g_m = bin.off[GF_g_m];
    c->off_m_g0 = bin.off[GF_m_g0];
    c->off_m_gsignal = bin.off[GF_m_gsignal];
    c->off_m_curg = bin.off[GF_m_curg];
    c->off_m_locks = bin.off[GF_m_locks];
    c->panicking = bin.panicking;
    extern int64_t lc_gc_tls_g;
    extern uint64_t lc_gc_yield_ret, lc_gc_yield_fn;
    lc_gc_tls_g = bin.tls_g;
    lc_gc_yield_ret = c->exit_fn + 1;
    lc_gc_yield_fn = c->release_fn;
    /* The exiting goroutine gives its P back from a frame that reads as runtime.exit's; the collector scans
     * it then, and runtime.exit, written in assembly, has argument bytes but no map of them: its function
     * table record says it has none (only the exit hook ever stands in its frame). */
    struct lc_pcln_func xf;
    if (c->release_fn && (!pcln_func(&bin.pcln, c->exit_fn, &xf) || !bin.pcln_addr ||
                          gc_patch_word(bin.pcln_addr + (uint64_t)(xf.f - bin.pcln.hdr) + 8, 4, 0) != 0))
        c->release_fn = lc_gc_yield_fn = 0;       /* then the exit waits where it is, holding its P */
    if (!c->exit_fn || gc_patch_jump(c->exit_fn, exit_code_bytes, sizeof exit_code_bytes, lc_gc_exit_tramp) != 0) {
        note(1, "leakcheck: %s: %s runtime.exit is not the code expected; its goroutines are not checked\n",
             path, bin.version);
        return LC_GC_REFUSED;
    }
    install_hooks(path);
    symbolize_add_go(&bin.pcln, bin.path, reader.goroot);
    lc_task_source_add(&gc_source);
    snapshot_set_runtime("gc", bin.version);
    install_fatal();
    c->dump_sig = lc_opt.dump_signal > 0 && lc_opt.dump_signal < 64 ? lc_opt.dump_signal : 0;
    c->thread_up = start_thread();
    active = 1;
    note(2, "leakcheck: %s built by %s: reading its goroutines\n", path, bin.version);
    return LC_GC_ON;
}

/* ---- into runtime/'s task table ---------------------------------------------------------------------------- */

struct sync_ctx {
    uint64_t now, exiting_g;
    uint64_t *seen;
    size_t nseen, cap;
    unsigned unsettled;                   /* user goroutines still running (for the grace period) */
};

static enum lc_obj_kind obj_kind(enum gc_obj k)
{
    switch (k) {
    case GO_CHAN: return LC_OBJ_CHAN;
    case GO_MUTEX: return LC_OBJ_MUTEX;
    case GO_RWMUTEX: return LC_OBJ_RWLOCK;
    case GO_WAITGROUP: return LC_OBJ_WAITGROUP;
    case GO_SEMA: case GO_COND: return LC_OBJ_OTHER;
    default: return LC_OBJ_NONE;
    }
}


int gc_depot_get(gc_sid id, struct gc_stack *out)
{
    if (!gc_rec || id == 0 || id > GC_DEPOT)
        return 0;
    const struct gc_depot_entry *e = &gc_rec->depot[id - 1];
    if (!__atomic_load_n(&e->ready, __ATOMIC_ACQUIRE))
        return 0;
    *out = e->st;
    return out->n <= GC_PCS;
}

/* runtime/'s id of a depot stack (interned once: the depot never changes an entry once ready). */
static stack_id depot_ids[GC_DEPOT];
static stack_id intern(gc_sid id)
{
    struct gc_stack st;
    if (!id || id > GC_DEPOT)
        return 0;
    if (!depot_ids[id - 1] && gc_depot_get(id, &st) && st.n)
        depot_ids[id - 1] = stack_intern(st.pc, (int)st.n);
    return depot_ids[id - 1];
}

/* A copy of goid's spawn record, when it still has one. */
static int spawn_of(uint64_t goid, struct gc_spawn *out)
{
    if (!gc_rec || !goid)
        return 0;
    const struct gc_spawn *s = &gc_rec->spawn[goid & (GC_SPAWNS - 1)];
    if (__atomic_load_n(&s->goid, __ATOMIC_ACQUIRE) != goid)
        return 0;
    *out = *s;
    return __atomic_load_n(&s->goid, __ATOMIC_ACQUIRE) == goid;
}

/* "created by" and its creators: the spawn records of the goroutine and of each creator in turn, else the go
 * statement's pc the runtime keeps (g.gopc). */
static void creation_chain(struct lc_task *t, const struct gc_goroutine *o)
{
    struct gc_spawn sp;
    uint64_t goid = o->goid;
    for (int i = 0; i < LC_CHAIN; i++) {
        if (!spawn_of(goid, &sp) || !sp.at) {
            if (i == 0 && o->gopc) {
                uintptr_t gopc = (uintptr_t)o->gopc;
                t->anc_stack[0] = stack_intern(&gopc, 1);
                t->anc_id[0] = o->parent_goid;
            }
            return;
        }
        t->anc_stack[i] = intern(sp.at);
        t->anc_id[i] = sp.parent;
        goid = sp.parent;
    }
}

int gc_chanrec_get(uint64_t chan, struct gc_chanrec *out)
{
    if (!gc_rec)
        return 0;
    unsigned base = (unsigned)((chan >> 4) * 0x9e3779b97f4a7c15ull >> 40) & (GC_CHANS - 1) & ~(GC_CHAN_PROBES - 1u);
    for (unsigned i = base; i < base + GC_CHAN_PROBES; i++) {
        if (__atomic_load_n(&gc_rec->chan_key[i], __ATOMIC_ACQUIRE) != chan)
            continue;
        const struct gc_chanrec *e = &gc_rec->chan[i];
        for (int tries = 0; tries < 100; tries++) {
            uint32_t before = __atomic_load_n(&e->seq, __ATOMIC_ACQUIRE);
            *out = *e;
            if (!(before & 1) && __atomic_load_n(&e->seq, __ATOMIC_ACQUIRE) == before && out->key == chan)
                return 1;
        }
        return 0;
    }
    return 0;
}

/* A channel in runtime/'s table with what the hooks know of it (r may be NULL). */
static void record_chan(uint64_t key, const struct gc_chanrec *r)
{
    struct lc_chan ch;
    const struct gc_bin *b = &bin;
    uint32_t cap = (uint32_t)gc_read_uint(&mem, key + (uint64_t)b->off[GF_hchan_dataqsiz], 8, 0);
    uint32_t esz = (uint32_t)gc_read_uint(&mem, key + (uint64_t)b->off[GF_hchan_elemsize], b->width[GF_hchan_elemsize], 0);
    int closed = gc_read_uint(&mem, key + (uint64_t)b->off[GF_hchan_closed], 4, 0) != 0;
    if (!chan_get(key, &ch) || ch.cap != cap || (r && ch.made_by != r->made_by)) {
        chan_new(LC_CH_GO, key, esz, cap, r ? intern(r->made_at) : 0, r ? r->made_by : 0);
        ch.is_closed = 0;
    }
    if (closed && !ch.is_closed)
        chan_mark_closed(key, r ? intern(r->closed_at) : 0, r ? r->closed_by : 0, NULL);
}

/* The first word of an event's frames that is a closed channel, a WaitGroup gone negative, an unlocked
 * mutex: the object a panic's or fatal error's message is about (read here, where a bad word cannot fault). */
static uint64_t object_of(const struct gc_event *e, int msg)
{
    const struct gc_bin *b = &bin;
    int wg = b->off[GF_wg_sema] >= 0 ? GF_wg_sema : GF_wg_state2;
    for (int i = 0; i < GC_WORDS; i++) {
        uint64_t w = e->words[i];
        if (w < 4096 || (w & 7))
            continue;
        if (msg == GM_SEND_CLOSED) {
            struct gc_chanrec r;
            if (gc_chanrec_get(w, &r) && gc_read_uint(&mem, w + (uint64_t)b->off[GF_hchan_closed], 4, 0))
                return w;
        } else if (msg == GM_NEG_WAITGROUP) {
            /* the counter is the high half of the 64-bit state word before the semaphore */
            int64_t st = (int64_t)gc_read_uint(&mem, w + (uint64_t)b->off[wg] - 8, 8, 0);
            if (b->off[wg] >= 8 && (int32_t)(st >> 32) < 0)
                return w;
        } else if (msg == GM_UNLOCK_UNLOCKED) {
            if ((int32_t)gc_read_uint(&mem, w, 4, 0) == -1)
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
        uint64_t q = obj ? gc_read_uint(&mem, obj + (uint64_t)bin.off[GF_hchan_qcount], 8, 0) : 0;
        if (obj && gc_read_uint(&mem, obj + (uint64_t)bin.off[GF_hchan_dataqsiz], 8, 0))
            snprintf(note, sizeof note, "%llu buffered", (unsigned long long)q);
        if (obj)
            record_chan(obj, known ? &r : NULL);
        finding_add(LC_F_SEND_CLOSED, o, at, e->goid, known ? intern(r.closed_at) : 0, known ? r.closed_by : 0,
                    note);
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
        stack_id at = intern(s->at);
        if (s->kind == GE_DOUBLE_CLOSE && site_seen[i] == 0) {
            struct gc_chanrec r;
            record_chan(s->chan, gc_chanrec_get(s->chan, &r) ? &r : NULL);
        }
        stack_id first = s->kind == GE_DOUBLE_CLOSE ? intern(s->first) : 0;
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
            message_finding(&ev, intern(ev.at));
    }
    drain_sites();
}

/* The channel a goroutine waits on. */
static void note_chan(const struct gc_goroutine *o)
{
    struct gc_chanrec r;
    record_chan(o->obj, gc_chanrec_get(o->obj, &r) ? &r : NULL);
}

static void sync_one(const struct gc_goroutine *o, void *arg)
{
    struct sync_ctx *c = arg;
    struct lc_task *t = task_find(o->g);
    if (t && t->id != o->goid) {
        task_remove(t);                   /* the g record now runs another goroutine */
        t = NULL;
    }
    if (!t) {
        t = task_new(LC_GOROUTINE, o->g, NULL, (void *)(uintptr_t)o->startpc, 0);
        if (!t)
            return;
        t->id = o->goid;
        t->started_ns = last_walk_ns;     /* it was not there at the last walk */
        if (o->startpc != reader.rt_main)  /* the main goroutine comes from the runtime's start-up */
            creation_chain(t, o);
        if (o->system)
            task_set_flag(t, LC_TF_INTERNAL, 1);
        if (o->startpc == reader.rt_main)
            task_set_flag(t, LC_TF_MAIN, 1);
    }
    if (c->nseen < c->cap)
        c->seen[c->nseen++] = o->g;
    task_set_flag(t, LC_TF_EXITING, o->g == c->exiting_g);
    t->tid = o->tid;
    stack_id site = o->npcs > o->top ? stack_intern(o->pcs + o->top, o->npcs - o->top) : 0;
    if (o->state == GS_WAITING && o->what) {
        enum lc_obj_kind ok = obj_kind(o->obj_kind);
        const void *obj = (const void *)(uintptr_t)o->obj;
        if (t->state != LC_BLOCKED || t->what != o->what || t->site != site || t->obj != obj) {
            task_block(t, o->what, ok, obj, site);
            /* it blocked after the last walk saw it otherwise: at most that long ago */
            t->since_ns = last_walk_ns && last_walk_ns > t->started_ns ? last_walk_ns : t->started_ns;
        } else if (o->chan_nil && !(t->flags & LC_TF_NILCHAN)) {
            /* a nil channel blocks forever: said once it is seen twice in the same wait (a select caught
             * between enqueueing on its channels and parking must not be taken for one on nil channels) */
            task_set_flag(t, LC_TF_NILCHAN, 1);
            finding_add(LC_F_NIL_CHAN, NULL, site, t->id, 0, 0,
                        o->wclass == GW_RECV_NIL ? "receive" : o->wclass == GW_SEND_NIL ? "send" : "select");
        }
        if (ok == LC_OBJ_CHAN && o->obj)
            note_chan(o);
    } else {
        if (t->state == LC_BLOCKED)
            task_unblock(t);
        t->site = site;
        if (!o->system && o->g != c->exiting_g && !(t->flags & LC_TF_MAIN))
            c->unsettled++;
    }
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

struct stale_ctx { const struct sync_ctx *s; struct lc_task **out; size_t n, cap; };

static void find_stale(struct lc_task *t, void *arg)
{
    struct stale_ctx *c = arg;
    if (t->kind != LC_GOROUTINE || c->n >= c->cap)
        return;
    if (!bsearch(&t->key, c->s->seen, c->s->nseen, sizeof t->key, cmp_u64))
        c->out[c->n++] = t;
}

/* ---- the stacks of running goroutines ---------------------------------------------------------------------- */

#define SAMPLE_WAIT_NS 50000000u          /* how long sampled threads get to answer */

static void want_sample(pid_t tid, uint64_t curg, void *arg)
{
    struct gc_sampling *s = &gc_sampling;
    (void)arg;
    if (tid > 0 && curg && curg != reader.on_system_stack && s->n < GC_SAMPLE_MAX)
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
    if (gc_threads(&reader, want_sample, NULL) < 0 || s->n == 0)
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
    reader.regs = sample_regs;
    return 1;
}

static void sample_end(void)
{
    reader.regs = NULL;
    __atomic_store_n(&gc_sampling.release, 1, __ATOMIC_RELEASE);
    syscall(SYS_futex, &gc_sampling.release, FUTEX_WAKE_PRIVATE, INT32_MAX, NULL, NULL, 0);
    sigaction(SIGRTMAX, &sample_prev, NULL);
}

/* Read every goroutine into the task table; drop the records of goroutines gone. sample: stop the threads
 * running goroutines for their stacks (for a report, not for the grace period's polling). Returns the number
 * of user goroutines still running, or -1 when the runtime's table could not be read. */
static int gc_sync(uint64_t exiting_g, int sample)
{
    lc_lock(&walk_lock);
    drain_events();
    reader.on_system_stack = gc_ctl.exit_fatal ? gc_ctl.exit_g : 0;
    int sampled = sample && sample_begin();
    struct sync_ctx c = { .now = lc_now_ns(), .exiting_g = exiting_g };
    c.cap = task_count() + 4096;
    c.seen = malloc(c.cap * sizeof *c.seen);
    int n = c.seen ? gc_walk(&reader, sync_one, &c) : -1;
    if (n >= 0 && c.nseen < c.cap) {
        qsort(c.seen, c.nseen, sizeof *c.seen, cmp_u64);
        struct stale_ctx st = { &c, NULL, 0, task_count() };
        st.out = malloc((st.cap + 1) * sizeof *st.out);
        if (st.out) {
            task_foreach(find_stale, &st);
            for (size_t i = 0; i < st.n; i++)
                task_remove(st.out[i]);
            free(st.out);
        }
    }
    if (sampled)
        sample_end();
    free(c.seen);
    if (n >= 0)
        last_walk_ns = c.now;
    lc_unlock(&walk_lock);
    return n < 0 ? -1 : (int)c.unsettled;
}

/* The task source: before a report the threads running goroutines are stopped for their stacks. */
static void gc_refresh(int report)
{
    if (active)
        gc_sync(gc_ctl.exit_state != GC_EXIT_NONE ? gc_ctl.exit_g : 0, report);
}

/* ---- the thread --------------------------------------------------------------------------------------------- */

static void do_exit(void)
{
    struct gc_ctl *c = &gc_ctl;
    extern volatile int32_t lc_gc_late_code;
    int code = c->exit_code ? c->exit_code : lc_gc_late_code, status = code;
    if (!c->exit_fatal) {
        status = lc_lifecycle_exit(code);     /* grace, verdict, exit status */
    } else {
        /* a panic or a fatal error: every goroutine as the program died; its status is Go's (no grace) */
        lc_report(LC_REASON_CRASH, 0, code);
    }
    c->exit_status = status;
    __atomic_store_n(&c->exit_state, GC_EXIT_DONE, __ATOMIC_SEQ_CST);
    syscall(SYS_futex, &c->exit_state, FUTEX_WAKE_PRIVATE, 64, NULL, NULL, 0);
}

/* Once Go has put its own handler on the dump signal, go in front of it (and pass every signal on). */
static void dump_handler_check(void)
{
    struct gc_ctl *c = &gc_ctl;
    struct sigaction cur, sa;
    if (!c->dump_sig || sigaction(c->dump_sig, NULL, &cur) != 0 || cur.sa_sigaction == lc_gc_dump_handler)
        return;
    if (!(cur.sa_flags & SA_SIGINFO) || cur.sa_handler == SIG_DFL || cur.sa_handler == SIG_IGN)
        return;                           /* not Go's yet, or the program decided */
    c->dump_prev = cur;
    sa = cur;
    sa.sa_sigaction = lc_gc_dump_handler;
    sigaction(c->dump_sig, &sa, NULL);
}

/* A layout taken from the built-in table at start is checked against the binary's DWARF here, off the program's
 * start-up; should they differ (a modified toolchain), the family turns itself off. */
static void verify_layout(void)
{
    char err[256];
    if (gc_bin_verify_layout(&bin, err, sizeof err) == 0)
        return;
    __atomic_store_n(&gc_ctl.disabled, 1, __ATOMIC_SEQ_CST);
    active = 0;
    note(1, "leakcheck: %s: %s; its goroutines are not checked\n", bin.path, err);
}

static void *gc_thread(void *arg)
{
    (void)arg;
    struct gc_ctl *c = &gc_ctl;
    lc_in_shim = 1;
    verify_layout();
    malloc_trim(0);                       /* what reading DWARF took goes back */
    uint64_t interval = lc_opt.interval > 0 ? (uint64_t)lc_opt.interval * 1000000u : 0;
    uint64_t next_periodic = interval ? lc_now_ns() + interval : 0, next_tick = 0, tick = 5000000;
    int alerted = 0;
    for (;;) {
        int32_t seen = __atomic_load_n(&c->seq, __ATOMIC_SEQ_CST);
        uint32_t bits = __atomic_exchange_n(&c->pending, 0, __ATOMIC_SEQ_CST);
        if (bits & GC_REQ_EXIT) {
            do_exit();
            return NULL;                  /* the process ends now */
        }
        if (bits & GC_REQ_FATAL) {
            lc_report(LC_REASON_SIGNAL, c->fatal_sig, 128 + c->fatal_sig);
            __atomic_add_fetch(&c->fatal_done, 1, __ATOMIC_SEQ_CST);
            syscall(SYS_futex, &c->fatal_done, FUTEX_WAKE_PRIVATE, 64, NULL, NULL, 0);
        }
        if (bits & GC_REQ_DUMP) {
            lc_report(LC_REASON_DUMP, c->dump_sig, 0);
        }
        uint64_t now = lc_now_ns();
        if (now >= next_tick) {
            /* the slow tick: note who blocks since when; at most 1% of a core on it */
            dump_handler_check();
            gc_sync(0, 0);
            uint64_t cost = lc_now_ns() - now;
            tick = cost * 100 > tick ? cost * 100 : tick < 1000000000u ? tick * 2 : tick;
            next_tick = lc_now_ns() + tick;
            if (lc_opt.max_tasks > 0) {
                int over = task_count() > (size_t)lc_opt.max_tasks;
                if (over && !alerted)
                    lc_report(LC_REASON_ALERT, 0, 0);
                alerted = over;
            }
        }
        if (next_periodic && now >= next_periodic) {
            lc_report(LC_REASON_PERIODIC, 0, 0);
            next_periodic = now + interval;
        }
        uint64_t wait = next_tick > now ? next_tick - now : 1000000;
        if (next_periodic && next_periodic - now < wait)
            wait = next_periodic > now ? next_periodic - now : 1000000;
        struct timespec ts = { (time_t)(wait / 1000000000u), (long)(wait % 1000000000u) };
        syscall(SYS_futex, &c->seq, FUTEX_WAIT_PRIVATE, seen, &ts, NULL, 0);
    }
}
