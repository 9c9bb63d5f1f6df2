/* Walking allgs: each goroutine's g record, its stack from g.sched (or from the thread when it runs), the
 * channel from the sudog it waits with (g.waiting), the semaphore from the runtime's semaphore table. */
#include "gc_goroutines.h"
#include "gc_stacks.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define SEMTAB_SIZE 251       /* semTabSize: the runtime's semaphore table has this many roots */
#define MAX_GOROUTINES (1u << 22)

static uint64_t rd(struct gc_reader *r, uint64_t addr, int f)
{
    const struct gc_bin *b = r->bin;
    if (b->off[f] < 0)
        return 0;
    return gc_read_uint(r->mem, addr + (uint64_t)b->off[f], b->width[f], 0);
}

/* A field of a g record already read into buf. */
static uint64_t gf(const struct gc_reader *r, const uint8_t *buf, size_t len, int f)
{
    const struct gc_bin *b = r->bin;
    uint64_t v = 0;
    if (b->off[f] < 0 || (size_t)b->off[f] + b->width[f] > len)
        return 0;
    memcpy(&v, buf + b->off[f], b->width[f]);
    return v;
}

static size_t g_extent(const struct gc_bin *b)
{
    size_t n = 0;
    for (int f = 0; f < GF__COUNT; f++)
        if (b->off[f] >= 0 && strncmp(gc_layout_struct(f), "runtime.g", 10) == 0 && (size_t)b->off[f] + b->width[f] > n)
            n = (size_t)b->off[f] + b->width[f];
    return n;
}

/* ---- set-up ------------------------------------------------------------------------------------------------ */

static void read_wait_texts(struct gc_reader *r)
{
    const struct gc_bin *b = r->bin;
    size_t n = b->wait_strings_size / 16;
    for (size_t i = 0; i < GC_NWAIT; i++) {
        char text[64];
        uint64_t p = 0, len = 0;
        r->wait[i] = NULL;
        if (i < n && b->wait_strings) {
            p = gc_read_uint(r->mem, b->wait_strings + 16 * i, 8, 0);
            len = gc_read_uint(r->mem, b->wait_strings + 16 * i + 8, 8, 0);
        }
        if (p && len && len < sizeof text && gc_read(r->mem, p, text, len) == 0) {
            text[len] = 0;
            r->wait[i] = strdup(text);
        } else if (!b->wait_strings && b->major == 1 && b->minor == 19 && gc_wait_text_119((unsigned)i)) {
            r->wait[i] = strdup(gc_wait_text_119((unsigned)i));
        }
    }
}

int gc_reader_init(struct gc_reader *r, const struct gc_bin *bin, struct gc_mem *mem, char *err, size_t errlen)
{
    memset(r, 0, sizeof *r);
    r->bin = bin;
    r->mem = mem;
    r->rt_goexit = gc_bin_func(bin, "runtime.goexit");
    r->rt_main = gc_bin_func(bin, "runtime.main");
    r->rt_mcall = gc_bin_func(bin, "runtime.mcall");
    r->rt_morestack = gc_bin_func(bin, "runtime.morestack");
    if (!r->rt_goexit || !r->rt_main) {
        snprintf(err, errlen, "%s: the function table has no runtime.goexit/runtime.main", bin->version);
        return -1;
    }
    /* GOROOT as the table spells it: the directory of runtime.main's file, minus "runtime/proc.go" */
    struct lc_pcln_func fn;
    const char *file = NULL;
    if (pcln_func(&bin->pcln, r->rt_main, &fn))
        pcln_line(&bin->pcln, &fn, r->rt_main, &file);
    const char *tail = file ? strstr(file, "runtime/proc.go") : NULL;
    if (tail && (size_t)(tail - file) < sizeof r->goroot)
        snprintf(r->goroot, sizeof r->goroot, "%.*s", (int)(tail - file), file);
    read_wait_texts(r);
    return 0;
}

void gc_reader_free(struct gc_reader *r)
{
    free(r->pcs);
    r->pcs = NULL;
    for (int i = 0; i < GC_NWAIT; i++)
        free((void *)r->wait[i]);
    memset(r->wait, 0, sizeof r->wait);
}

int gc_is_std(const struct gc_reader *r, const char *func, const char *file)
{
    if (strncmp(func, "runtime.", 8) == 0)
        return 1;
    if (r->goroot[0])
        return file && strncmp(file, r->goroot, strlen(r->goroot)) == 0;
    /* -trimpath: the standard library's import paths have no dot in their first element */
    size_t first = strcspn(func, "/.");
    return strncmp(func, "main.", 5) != 0 && !memchr(func, '.', first) && func[first] != 0 &&
           !(file && strchr(file, '.') < strchr(file, '/'));
}

/* ---- semaphores -------------------------------------------------------------------------------------------- */

struct sema_map { uint64_t *g, *addr; size_t cap, n; };

static void sema_put(struct sema_map *s, uint64_t g, uint64_t addr)
{
    if (!s->cap || s->n * 2 >= s->cap)
        return;
    size_t i = (size_t)((g >> 4) * 0x9e3779b97f4a7c15ull) & (s->cap - 1);
    while (s->g[i] && s->g[i] != g)
        i = (i + 1) & (s->cap - 1);
    if (!s->g[i])
        s->n++;
    s->g[i] = g;
    s->addr[i] = addr;
}

static uint64_t sema_get(const struct sema_map *s, uint64_t g)
{
    if (!s->cap)
        return 0;
    size_t i = (size_t)((g >> 4) * 0x9e3779b97f4a7c15ull) & (s->cap - 1);
    for (size_t k = 0; k < s->cap && s->g[i]; k++, i = (i + 1) & (s->cap - 1))
        if (s->g[i] == g)
            return s->addr[i];
    return 0;
}

/* Every sudog of the semaphore table: the treap of each root (prev/next children), and for each node the list
 * of further waiters on the same address (waitlink). */
static void sema_collect(struct gc_reader *r, struct sema_map *s, size_t budget)
{
    const struct gc_bin *b = r->bin;
    if (!b->semtable || b->semtable_size < SEMTAB_SIZE || b->off[GF_sema_treap] < 0)
        return;
    size_t esz = b->semtable_size / SEMTAB_SIZE;
    uint64_t *todo = malloc(sizeof *todo * 4096);
    if (!todo)
        return;
    for (size_t root = 0; root < SEMTAB_SIZE && budget; root++) {
        size_t nt = 0;
        uint64_t t = rd(r, b->semtable + root * esz, GF_sema_treap);
        if (t)
            todo[nt++] = t;
        while (nt && budget) {
            uint64_t node = todo[--nt];
            budget--;
            static const int child[2] = { GF_sudog_prev, GF_sudog_next };
            for (int k = 0; k < 2; k++) {
                uint64_t c = rd(r, node, child[k]);
                if (c && nt < 4096)
                    todo[nt++] = c;
            }
            uint64_t addr = rd(r, node, GF_sudog_elem);
            for (uint64_t w = node; w && budget; w = rd(r, w, GF_sudog_waitlink), budget--)
                sema_put(s, rd(r, w, GF_sudog_g), addr);
        }
    }
    free(todo);
}

/* ---- the walk ---------------------------------------------------------------------------------------------- */

static enum gc_state state_of(const struct gc_bin *b, uint32_t st)
{
    st &= ~b->st_scan;
    return st == b->st_runnable ? GS_RUNNABLE : st == b->st_running ? GS_RUNNING : st == b->st_syscall ? GS_SYSCALL
         : st == b->st_waiting ? GS_WAITING : GS_OTHER;
}

/* Bytes from an object's start to the end of the last of fields first..last. */
static size_t obj_extent(const struct gc_bin *b, int first, int last)
{
    size_t n = 0;
    for (int f = first; f <= last; f++)
        if (b->off[f] >= 0 && (size_t)b->off[f] + b->width[f] > n)
            n = (size_t)b->off[f] + b->width[f];
    return n;
}

/* Fields of an object read whole, fresh: sudogs are recycled and channels change under the walk (a goroutine's
 * first sudog comes read with its g record, in the batch's system call). */
static int read_obj(struct gc_reader *r, uint64_t addr, int first, int last, uint8_t *buf, size_t len)
{
    size_t n = obj_extent(r->bin, first, last);
    if (n <= len && addr && addr == r->pre_addr && r->pre && n <= r->pre_len) {
        memcpy(buf, r->pre, n);           /* read ahead with its goroutine's record */
        return (int)n;
    }
    if (n <= len && addr && addr == r->prec_addr && r->prec && n <= r->prec_len) {
        memcpy(buf, r->prec, n);
        return (int)n;
    }
    return n <= len && gc_read_fresh(r->mem, addr, buf, n) == 0 ? (int)n : -1;
}

/* ---- os/signal's channels ---------------------------------------------------------------------------------- */
/* var handlers struct { sync.Mutex; m map[chan<- os.Signal]*handler; ref [65]int64; stopping []stopping } (560
 * bytes, read at that size only), m a Go map of pointer keys and values: hmap { count; flags, B uint8; noverflow
 * uint16; hash0; buckets, oldbuckets ...} and buckets of tophash [8]uint8, keys [8], elems [8], overflow. A key
 * whose handler's mask ([3]uint32) is empty is given no signal (Reset, Ignore) and is not kept. */
enum { HM_B = 9, HM_BUCKETS = 16, HM_OLD = 24, BK_KEYS = 8, BK_ELEMS = 72, BK_OVERFLOW = 136, BK_SIZE = 144 };

static void notify_bucket(struct gc_reader *r, uint64_t bucket)
{
    uint8_t bk[BK_SIZE];
    for (int hop = 0; bucket && hop < 16 && r->nnotify < 64; hop++) {
        if (gc_read(r->mem, bucket, bk, sizeof bk) != 0)
            return;
        for (int i = 0; i < 8 && r->nnotify < 64; i++) {
            uint64_t key, h;
            uint32_t mask[3];
            memcpy(&key, bk + BK_KEYS + 8 * i, 8);
            memcpy(&h, bk + BK_ELEMS + 8 * i, 8);
            if (bk[i] < 5 || !key || !h || gc_read(r->mem, h, mask, sizeof mask) != 0 || !(mask[0] | mask[1] | mask[2]))
                continue;                 /* empty, evacuated (found in the new buckets), or given nothing */
            if (!gc_notified(r, key))
                r->notify[r->nnotify++] = key;
        }
        memcpy(&bucket, bk + BK_OVERFLOW, 8);
    }
}

static void read_notify(struct gc_reader *r)
{
    const struct gc_bin *b = r->bin;
    r->nnotify = 0;
    uint64_t m = b->sig_handlers && b->sig_handlers_size == 560 ? gc_read_uint(r->mem, b->sig_handlers + 8, 8, 0) : 0;
    uint8_t hm[32];
    if (!m || gc_read(r->mem, m, hm, sizeof hm) != 0 || hm[HM_B] > 10)
        return;
    uint64_t nb = 1ull << hm[HM_B], buckets, old;
    memcpy(&buckets, hm + HM_BUCKETS, 8);
    memcpy(&old, hm + HM_OLD, 8);
    for (uint64_t i = 0; buckets && i < nb; i++)
        notify_bucket(r, buckets + i * BK_SIZE);
    uint64_t nold = hm[8] & 8 ? nb : nb / 2;       /* flags: sameSizeGrow, else the old table is half as big */
    for (uint64_t i = 0; old && i < nold; i++)     /* a map growing: the old buckets not moved yet */
        notify_bucket(r, old + i * BK_SIZE);
}

/* A stripped binary has no symbol for os/signal's table: a channel whose element type is os.Signal is taken for
 * one given to signal.Notify (what else is made of it is rare). The type's name: _type.str, an offset into the
 * module's type data, at which a name is a flags byte, a uvarint length and the bytes ("*os.Signal" with the
 * star to skip when tflag has tflagExtraStar). Each type is looked at once, each channel once per walk. */
static int signal_chan(struct gc_reader *r, uint64_t c)
{
    const struct gc_bin *b = r->bin;
    if (c == r->last_chan)
        return r->last_is_signal;
    if (!r->types_lo && b->firstmoduledata && b->off[GF_md_types] >= 0 && b->off[GF_md_etypes] >= 0) {
        r->types_lo = rd(r, b->firstmoduledata, GF_md_types);
        r->types_hi = rd(r, b->firstmoduledata, GF_md_etypes);
    }
    uint64_t t = c && r->types_lo < r->types_hi ? rd(r, c, GF_hchan_elemtype) : 0;
    int yes = 0;
    unsigned slot = (unsigned)(t >> 4) & 15;
    if (t && r->type_seen[slot] == t) {
        yes = r->type_is_signal[slot];
    } else if (t >= r->types_lo && t < r->types_hi) {
        uint32_t str = (uint32_t)rd(r, t, GF_type_str);
        int star = (rd(r, t, GF_type_tflag) & 2) != 0;
        uint8_t nm[16];
        uint64_t at = r->types_lo + str;
        if (str && at + sizeof nm <= r->types_hi && gc_read(r->mem, at, nm, sizeof nm) == 0) {
            size_t len = nm[1] & 0x7f;    /* one byte of uvarint: names under 128 bytes */
            const char *want = star ? "*os.Signal" : "os.Signal";
            yes = !(nm[1] & 0x80) && len == strlen(want) && 2 + len <= sizeof nm && memcmp(nm + 2, want, len) == 0;
        }
        r->type_seen[slot] = t;
        r->type_is_signal[slot] = (uint8_t)yes;
    }
    r->last_chan = c;
    r->last_is_signal = yes;
    if (yes && !gc_notified(r, c) && r->nnotify < 64)
        r->notify[r->nnotify++] = c;
    return yes;
}

int gc_notified(const struct gc_reader *r, uint64_t c)
{
    for (size_t i = 0; i < r->nnotify; i++)
        if (r->notify[i] == c)
            return 1;
    return 0;
}

/* Returns whether the goroutine had sudogs at all: a select on nil channels only parks with none (selectgo
 * leaves nil cases out), while sudogs without a channel are those of a select that was woken meanwhile and gave
 * them back (channel fields cleared). */
static int waited_chan(struct gc_reader *r, uint64_t sudog, struct gc_goroutine *o)
{
    uint8_t sg[256], hc[256];
    int ns, nh, listed = sudog != 0;
    /* a select waits with one sudog per case, chained by waitlink: the first with a channel, or one os/signal
     * delivers to (the select waits for a signal) */
    uint64_t first = sudog;
    int by_type = !r->bin->sig_handlers;  /* stripped: the element type tells */
    if (r->nnotify || by_type)
        for (int k = 0; sudog && k < 64; k++, sudog = gf(r, sg, (size_t)ns, GF_sudog_waitlink)) {
            if ((ns = read_obj(r, sudog, GF_sudog_g, GF_sudog_c, sg, sizeof sg)) < 0) {
                sudog = 0;
                break;
            }
            uint64_t c = gf(r, sg, (size_t)ns, GF_sudog_c);
            if (gc_notified(r, c) || (by_type && c && signal_chan(r, c)))
                break;
        }
    if (!sudog)
        sudog = first;
    for (int k = 0; sudog && k < 64; k++, sudog = gf(r, sg, (size_t)ns, GF_sudog_waitlink)) {
        if ((ns = read_obj(r, sudog, GF_sudog_g, GF_sudog_c, sg, sizeof sg)) < 0)
            return listed;
        uint64_t c = gf(r, sg, (size_t)ns, GF_sudog_c);
        if (!c)
            continue;
        if ((nh = read_obj(r, c, GF_hchan_qcount, GF_hchan_closed, hc, sizeof hc)) < 0)
            return listed;
        o->obj_kind = GO_CHAN;
        o->obj = c;
        o->chan_cap = (uint32_t)gf(r, hc, (size_t)nh, GF_hchan_dataqsiz);
        o->chan_elemsize = (uint32_t)gf(r, hc, (size_t)nh, GF_hchan_elemsize);
        o->chan_closed = gf(r, hc, (size_t)nh, GF_hchan_closed) != 0;
        return listed;
    }
    return listed;
}

static void sync_object(struct gc_reader *r, uint64_t sema, unsigned sync, struct gc_goroutine *o)
{
    int mutex = !!(sync & GC_PCF_MUTEX), rwr = !!(sync & GC_PCF_RWR), rww = !!(sync & GC_PCF_RWW),
        wg = !!(sync & GC_PCF_WG);
    const struct gc_bin *b = r->bin;
    int wg_sema = b->off[GF_wg_sema] >= 0 ? GF_wg_sema : GF_wg_state2;
    if (rwr && b->off[GF_rw_readersem] >= 0) {
        o->what = "sync.RWMutex.RLock", o->obj_kind = GO_RWMUTEX, o->obj = sema - (uint64_t)b->off[GF_rw_readersem];
    } else if (rww) {
        o->what = "sync.RWMutex.Lock", o->obj_kind = GO_RWMUTEX;
        /* waiting for the writers' mutex inside it (at offset 0), or for the readers to leave */
        o->obj = mutex ? sema - (uint64_t)b->off[GF_mutex_sema] : sema - (uint64_t)b->off[GF_rw_writersem];
    } else if (mutex) {
        o->what = "sync.Mutex.Lock", o->obj_kind = GO_MUTEX, o->obj = sema - (uint64_t)b->off[GF_mutex_sema];
    } else if (wg && b->off[wg_sema] >= 0) {
        o->what = "sync.WaitGroup.Wait", o->obj_kind = GO_WAITGROUP, o->obj = sema - (uint64_t)b->off[wg_sema];
    } else {
        o->obj_kind = GO_SEMA, o->obj = sema;
    }
    if (!sema)
        o->obj_kind = GO_NONE, o->obj = 0;      /* the semaphore table could not be read: the wait only */
    o->wclass = gc_wait_class(o->what);
}

static void read_one(struct gc_reader *r, uint64_t gp, const uint8_t *g, size_t glen, const struct sema_map *sema,
                     struct gc_goroutine *o)
{
    const struct gc_bin *b = r->bin;
    memset(o, 0, sizeof *o);
    o->g = gp;
    o->goid = gf(r, g, glen, GF_g_goid);
    o->parent_goid = gf(r, g, glen, GF_g_parentgoid);
    o->state = state_of(b, (uint32_t)gf(r, g, glen, GF_g_status));
    o->gopc = gf(r, g, glen, GF_g_gopc);
    o->startpc = gf(r, g, glen, GF_g_startpc);
    o->system = gc_is_system_start(r, o->startpc);
    uint64_t m = gf(r, g, glen, GF_g_m);
    if (m && (o->state == GS_RUNNING || o->state == GS_SYSCALL))
        o->tid = (pid_t)rd(r, m, GF_m_procid);
    uint64_t pc = gf(r, g, glen, GF_g_sched_pc), sp = gf(r, g, glen, GF_g_sched_sp);
    int exact = 0;
    if (o->state == GS_SYSCALL) {
        pc = gf(r, g, glen, GF_g_syscallpc);
        sp = gf(r, g, glen, GF_g_syscallsp);
    } else if (o->state == GS_RUNNING && gp != r->on_system_stack) {
        /* its registers, when the caller could sample its thread; the pc is then not a return address: one
         * past it is stored, as every frame is looked up one byte back */
        uint64_t rpc = 0, rsp = 0, lo = gf(r, g, glen, GF_g_stack_lo), hi = gf(r, g, glen, GF_g_stack_hi);
        if (r->regs && o->tid && r->regs(o->tid, &rpc, &rsp, r->regs_arg) == 0 && rsp >= lo && rsp < hi) {
            pc = rpc, sp = rsp;
            exact = 1;
        } else if (!(rpc && rsp)) {
            pc = sp = 0;
        }
        /* else the thread is on the system stack for it (systemstack saved its own state in g.sched) */
    }
    if (pc && pc == o->startpc)
        exact = 1;                        /* not started yet: its pc is its function's entry, not a return */
    o->npcs = pc && sp ? gc_unwind(r, pc, sp, o->pcs, LC_MAX_FRAMES) : 0;
    if (exact && o->npcs)
        o->pcs[0]++;
    unsigned sync;
    o->top = gc_runtime_top(r, o->pcs, o->npcs, &sync);
    if (o->state != GS_WAITING)
        return;
    unsigned reason = (unsigned)gf(r, g, glen, GF_g_waitreason);
    o->what = reason < GC_NWAIT ? r->wait[reason] : NULL;
    o->wclass = gc_wait_class(o->what);
    o->waitsince = (int64_t)gf(r, g, glen, GF_g_waitsince);
    o->runs = (uint8_t)gf(r, g, glen, GF_g_trackingseq);
    switch (o->wclass) {
    case GW_CHAN_RECV: case GW_CHAN_SEND: case GW_SELECT:
        if (!waited_chan(r, gf(r, g, glen, GF_g_waiting), o) && o->wclass == GW_SELECT)
            o->obj_kind = GO_CHAN, o->chan_nil = 1;   /* a select whose every channel is nil */
        break;
    case GW_RECV_NIL: case GW_SEND_NIL:
        o->obj_kind = GO_CHAN, o->chan_nil = 1;
        break;
    case GW_SEMA: case GW_SYNC_MUTEX: case GW_SYNC_RWR: case GW_SYNC_RWW: case GW_WAITGROUP:
        sync_object(r, sema_get(sema, gp), sync, o);
        break;
    default:
        break;
    }
}

static uint64_t fresh(struct gc_reader *r, uint64_t addr, int f)
{
    const struct gc_bin *b = r->bin;
    uint8_t v[8] = { 0 };
    uint64_t x = 0;
    if (b->off[f] < 0 || b->width[f] < 1 || b->width[f] > 8 ||
        gc_read_fresh(r->mem, addr + (uint64_t)b->off[f], v, (size_t)b->width[f]) != 0)
        return ~0ull;
    memcpy(&x, v, (size_t)b->width[f]);
    return x;
}

int gc_nil_wait_confirmed(struct gc_reader *r, const struct gc_goroutine *o)
{
    const struct gc_bin *b = r->bin;
    for (int round = 0; round < 3; round++) {
        if (round) {
            struct timespec ts = { 0, 200000 };
            syscall(SYS_nanosleep, &ts, NULL);
        }
        /* the list, the status, the reason, the list again: a select woken between two of these reads
         * shows a status other than waiting or a list of sudogs in one of them (it fills its list before it
         * parks, and empties it only once running) */
        uint64_t w1 = fresh(r, o->g, GF_g_waiting), st = fresh(r, o->g, GF_g_status);
        uint64_t why = fresh(r, o->g, GF_g_waitreason), w2 = fresh(r, o->g, GF_g_waiting);
        if (st == ~0ull || state_of(b, (uint32_t)st) != GS_WAITING || fresh(r, o->g, GF_g_goid) != o->goid ||
            why >= GC_NWAIT || gc_wait_class(r->wait[why]) != o->wclass)
            return 0;
        if (o->wclass == GW_SELECT && (w1 || w2))
            return 0;
        if (r->mem->steady)
            return 1;                     /* a stopped process: one reading is of one instant */
    }
    return 1;
}

int gc_threads(struct gc_reader *r, void (*fn)(pid_t tid, uint64_t curg, void *arg), void *arg)
{
    const struct gc_bin *b = r->bin;
    if (!b->allm)
        return -1;
    int n = 0;
    for (uint64_t m = gc_read_uint(r->mem, b->allm, 8, 0); m && n < 100000; m = rd(r, m, GF_m_alllink), n++) {
        uint64_t curg = rd(r, m, GF_m_curg);
        uint32_t st = curg ? (uint32_t)rd(r, curg, GF_g_status) & ~b->st_scan : 0;
        fn((pid_t)rd(r, m, GF_m_procid), st == b->st_running ? curg : 0, arg);
    }
    return n;
}

uint64_t gc_walk_count(struct gc_reader *r)
{
    gc_mem_flush(r->mem);                 /* what the last walk read of it is stale */
    uint64_t n = gc_read_uint(r->mem, r->bin->allglen, 8, 0);
    return n <= MAX_GOROUTINES ? n : 0;
}

int gc_walk(struct gc_reader *r, void (*fn)(const struct gc_goroutine *, void *), void *arg)
{
    const struct gc_bin *b = r->bin;
    gc_mem_flush(r->mem);
    uint64_t n = gc_read_uint(r->mem, b->allglen, 8, ~0ull), arr = gc_read_uint(r->mem, b->allgptr, 8, 0);
    if (n == ~0ull || !arr || n > MAX_GOROUTINES)
        return -1;
    uint64_t *gs = malloc(8 * (n ? n : 1));
    if (!gs || gc_read(r->mem, arr, gs, 8 * n) != 0) {
        free(gs);
        return -1;
    }
    struct sema_map sema = { 0 };
    sema.cap = 64;
    while (sema.cap < 2 * n)
        sema.cap *= 2;
    sema.g = calloc(sema.cap, 8);
    sema.addr = calloc(sema.cap, 8);
    if (!sema.g || !sema.addr)
        sema.cap = 0;
    sema_collect(r, &sema, 2 * n + 64);
    read_notify(r);
    r->last_chan = 0;
    /* the g records, many per system call, then the top of each one's stack the same way (most stacks are
     * unwound from that alone) */
    enum { BATCH = 1024, TOP = 1024 };
    size_t glen = g_extent(b);
    size_t batch = n < BATCH ? (size_t)n : BATCH;
    uint8_t *gbuf = glen ? malloc((batch ? batch : 1) * glen) : NULL, ok[BATCH], sok[BATCH];
    uint8_t *sbuf = malloc((batch ? batch : 1) * TOP), gok[BATCH];
    size_t sglen = obj_extent(b, GF_sudog_g, GF_sudog_c), hclen = obj_extent(b, GF_hchan_qcount, GF_hchan_closed);
    uint8_t *sgbuf = sglen ? malloc((batch ? batch : 1) * sglen) : NULL;
    uint8_t *hcbuf = sgbuf && hclen ? malloc((batch ? batch : 1) * hclen) : NULL, hok[BATCH];
    uint64_t top[BATCH], sgs[BATCH], chs[BATCH], want[BATCH];
    uint16_t hsrc[BATCH];
    struct gc_goroutine *o = malloc(sizeof *o);
    int count = 0;
    for (uint64_t i = 0; o && gbuf && i < n; i += batch) {
        size_t k = n - i < batch ? (size_t)(n - i) : batch;
        if (r->stop && *r->stop) {
            count = -1;                   /* wanted elsewhere: the rest is not read */
            break;
        }
        memset(ok, 0, k);
        memset(sok, 0, k);
        memset(gok, 0, k);
        gc_read_many(r->mem, gs + i, k, glen, gbuf, ok);
        for (size_t j = 0; j < k; j++) {
            const uint8_t *g = gbuf + j * glen;
            uint64_t sp = ok[j] ? gf(r, g, glen, GF_g_sched_sp) : 0, hi = ok[j] ? gf(r, g, glen, GF_g_stack_hi) : 0;
            top[j] = sp && hi >= TOP && sp < hi ? ((sp < hi - TOP ? sp : hi - TOP) & ~7ull) : 0;
            sgs[j] = ok[j] ? gf(r, g, glen, GF_g_waiting) : 0;
        }
        if (sbuf)
            gc_read_many(r->mem, top, k, TOP, sbuf, sok);
        if (sgbuf)
            gc_read_many(r->mem, sgs, k, sglen, sgbuf, gok);
        /* the channels of those sudogs (a goroutine on a channel of its own: one read each otherwise), each
         * once: goroutines close together in the table often wait on the same one (read into the place of the
         * last goroutine before that waited on a channel, when it is the same) */
        for (size_t j = 0, last = BATCH; hcbuf && j < k; j++) {
            chs[j] = gok[j] ? gf(r, sgbuf + j * sglen, sglen, GF_sudog_c) : 0;
            hsrc[j] = chs[j] && last < BATCH && chs[j] == chs[last] ? hsrc[last] : (uint16_t)j;
            want[j] = hsrc[j] == j ? chs[j] : 0;
            last = chs[j] ? j : last;
        }
        memset(hok, 0, k);
        if (hcbuf)
            gc_read_many(r->mem, want, k, hclen, hcbuf, hok);
        for (size_t j = 0; j < k; j++) {
            const uint8_t *g = gbuf + j * glen;
            if (!ok[j] || !gs[i + j])
                continue;
            uint32_t st = (uint32_t)gf(r, g, glen, GF_g_status) & ~b->st_scan;
            if (st == b->st_dead || st == 0)
                continue;
            gc_mem_window(r->mem, top[j], sok[j] ? sbuf + j * TOP : NULL, TOP);
            r->pre_addr = sgs[j], r->pre = gok[j] ? sgbuf + j * sglen : NULL, r->pre_len = sglen;
            r->prec_addr = hcbuf ? chs[j] : 0, r->prec_len = hclen;
            r->prec = hcbuf && hok[hsrc[j]] ? hcbuf + hsrc[j] * hclen : NULL;
            read_one(r, gs[i + j], g, glen, &sema, o);
            gc_mem_window(r->mem, 0, NULL, 0);
            r->pre = r->prec = NULL, r->pre_addr = r->prec_addr = 0;
            fn(o, arg);
            count++;
        }
    }
    free(o);
    free(hcbuf);
    free(sgbuf);
    free(sbuf);
    free(gbuf);
    free(sema.g);
    free(sema.addr);
    free(gs);
    return count;
}
