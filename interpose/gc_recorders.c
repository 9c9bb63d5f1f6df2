/* The entry and return hooks (see gc_hooks.h for the trampolines' contract) and the tables they write
 * (gc_records.h). Like everything that runs on a gc Go program's own threads: plain loads, stores and atomics
 * only; built without the stack protector; checked by tests/check_gc_hooks.sh. */
#include "gc_hooks.h"
#include "gc_raw.h"
#include "gc_records.h"


/* ---- the trampolines --------------------------------------------------------------------------------- */

int64_t lc_gc_off_g_m, lc_gc_off_m_g0, lc_gc_off_m_gsignal, lc_gc_off_g_sched_sp, lc_gc_off_g_stack_lo;

/* Save, pick the stack (the goroutine's own when 4 KiB are left on it, else g0's; none on the signal stack),
 * call, restore. The hooks need well under 1 KiB. */
#define TRAMP(name, leave)                                                                        \
    __asm__(".text\n.globl " name "\n.hidden " name "\n.type " name ", @function\n" name ":\n"     \
            "    subq $96, %rsp\n"                                                                 \
            "    movq %rax, 0(%rsp)\n    movq %rbx, 8(%rsp)\n    movq %rcx, 16(%rsp)\n"           \
            "    movq %rdi, 24(%rsp)\n   movq %rsi, 32(%rsp)\n   movq %r8, 40(%rsp)\n"            \
            "    movq %r9, 48(%rsp)\n    movq %r10, 56(%rsp)\n   movq %r11, 64(%rsp)\n"           \
            "    movq %rbp, 72(%rsp)\n   movq %r14, 80(%rsp)\n   leaq 96(%rsp), %rax\n"           \
            "    movq %rax, 88(%rsp)\n   movq %rsp, %r12\n"                                         \
            "    movq lc_gc_off_g_m(%rip), %rax\n    movq (%r14,%rax,1), %rax\n"                   \
            "    testq %rax, %rax\n    jz 9f\n"                                                    \
            "    movq lc_gc_off_m_gsignal(%rip), %rcx\n    cmpq (%rax,%rcx,1), %r14\n    je 9f\n"  \
            "    movq lc_gc_off_g_stack_lo(%rip), %rcx\n    movq (%r14,%rcx,1), %rcx\n"             \
            "    addq $4096, %rcx\n    cmpq %rcx, %rsp\n    ja 1f\n"      /* room enough: stay */    \
            "    movq lc_gc_off_m_g0(%rip), %rcx\n    movq (%rax,%rcx,1), %rax\n"                  \
            "    cmpq %rax, %r14\n    je 1f\n"                                                     \
            "    movq lc_gc_off_g_sched_sp(%rip), %rcx\n    movq (%rax,%rcx,1), %rsp\n"            \
            "1:  andq $-16, %rsp\n    movq %r13, %rdi\n    movq %r12, %rsi\n    call *(%r13)\n"     \
            "9:  movq %r12, %rsp\n"                                                                \
            "    movq 0(%rsp), %rax\n    movq 8(%rsp), %rbx\n    movq 16(%rsp), %rcx\n"           \
            "    movq 24(%rsp), %rdi\n   movq 32(%rsp), %rsi\n   movq 40(%rsp), %r8\n"            \
            "    movq 48(%rsp), %r9\n    movq 56(%rsp), %r10\n   movq 64(%rsp), %r11\n"           \
            "    movq 72(%rsp), %rbp\n   addq $96, %rsp\n    xorps %xmm15, %xmm15\n"              \
            "    " leave "\n.size " name ", .-" name "\n")
TRAMP("lc_gc_entry_tramp", "jmp *8(%r13)");
TRAMP("lc_gc_ret_tramp", "ret");

static uint64_t goid_of(uint64_t g)
{
    return g && gc_ctl.off_g_goid >= 0 ? load64(g + (uint64_t)gc_ctl.off_g_goid) : 0;
}

/* The frames from a return address up the frame-pointer chain, inside [lo, hi) (Go keeps frame pointers on
 * amd64: [bp] is the caller's bp, [bp+8] its return address). */
static void fp_walk(uint64_t ra, uint64_t bp, uint64_t g, struct gc_stack *out)
{
    uint64_t lo = load64(g + (uint64_t)gc_ctl.off_g_stack_lo), hi = load64(g + (uint64_t)gc_ctl.off_g_stack_hi);
    uint32_t n = 0;
    if (ra)
        out->pc[n++] = ra;
    while (n < GC_PCS && bp >= lo && bp + 16 <= hi && !(bp & 7)) {
        uint64_t next = load64(bp), r = load64(bp + 8);
        if (!r)
            break;
        out->pc[n++] = r;
        if (next <= bp)
            break;
        bp = next;
    }
    out->n = n;
}

static uint64_t stack_hash(uint64_t h, const struct gc_stack *st)
{
    for (uint32_t i = 0; i < st->n && i < GC_PCS; i++)
        h = (h ^ st->pc[i]) * 0x100000001b3ull;
    return h;
}

static int same_stack(const struct gc_stack *a, const volatile struct gc_stack *b)
{
    if (a->n != b->n)
        return 0;
    for (uint32_t i = 0; i < a->n; i++)
        if (a->pc[i] != b->pc[i])
            return 0;
    return 1;
}

/* The depot's id of st, storing it the first time. */
static gc_sid depot_put(const struct gc_stack *st)
{
    if (!st->n)
        return 0;
    uint64_t h = stack_hash(0xcbf29ce484222325ull, st) | 1;
    for (unsigned i = 0; i < GC_DEPOT_PROBES; i++) {
        unsigned slot = (unsigned)(h + i) & (GC_DEPOT - 1);
        struct gc_depot_entry *e = &gc_rec->depot[slot];
        uint64_t k = __atomic_load_n(&e->hash, __ATOMIC_ACQUIRE), z = 0;
        if (k == 0 && !__atomic_compare_exchange_n(&e->hash, &z, h, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
            k = z;                        /* another thread took the slot first: look at what it put there */
        else if (k == 0) {
            e->st = *st;
            __atomic_store_n(&e->ready, 1, __ATOMIC_RELEASE);
            return slot + 1;
        }
        if (k == h) {
            /* the same hash: the same stack once its frames are there (a claimer is writing them now) */
            for (int spin = 0; spin < 1000 && !__atomic_load_n(&e->ready, __ATOMIC_ACQUIRE); spin++)
                __builtin_ia32_pause();
            if (__atomic_load_n(&e->ready, __ATOMIC_ACQUIRE) && same_stack(st, &e->st))
                return slot + 1;
        }
    }
    __atomic_add_fetch(&gc_rec->lost, 1, __ATOMIC_RELAXED);
    return 0;
}

/* The stack at a hook's site, in the depot. */
static gc_sid here(uint64_t *regs)
{
    struct gc_stack st;
    fp_walk(load64(regs[GC_R_SP]), regs[GC_R_BP], regs[GC_R_G], &st);
    return depot_put(&st);
}

/* A cheap, uncontended age for eviction: the time-stamp counter. */
static uint64_t stamp(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

/* A record is written by one hook at a time (a channel is made once, and closed by one goroutine but in a
 * double close): its seq is odd while it is. */
static void write_begin(struct gc_chanrec *e)
{
    __atomic_store_n(&e->seq, e->seq + 1, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_RELEASE);
}

static void write_end(struct gc_chanrec *e)
{
    __atomic_store_n(&e->seq, e->seq + 1, __ATOMIC_RELEASE);
}

/* Record e as channel c's, made by goroutine made_by at made_at (0, 0: not known), never closed. */
static void chan_fresh(struct gc_chanrec *e, uint64_t c, uint64_t made_by, gc_sid made_at)
{
    uint64_t t = stamp();
    gc_rec->chan_stamp[e - gc_rec->chan] = t;
    /* odd while written, as write_begin makes it, but from the stamp: the record is not read (its line is
     * most often not in the cache, and a store need not wait for it); readers only ask for an even value that
     * did not change under their copy */
    uint32_t seq = (uint32_t)t << 1 | 1;
    __atomic_store_n(&e->seq, seq, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_RELEASE);
    e->key = c;
    e->closed = 0;
    e->closed_at = 0;
    e->closed_by = 0;
    e->made_by = made_by;
    e->made_at = made_at;
    __atomic_store_n(&e->seq, seq + 1, __ATOMIC_RELEASE);
}

/* A slot taken for channel c: whatever it held is another channel's. */
static struct gc_chanrec *chan_claimed(unsigned slot, uint64_t c)
{
    struct gc_chanrec *e = &gc_rec->chan[slot];
    chan_fresh(e, c, 0, 0);
    return e;
}

/* The record of channel c (create: take a slot for it when it has none). Probes stay in one aligned group
 * of GC_CHAN_PROBES keys. */
static struct gc_chanrec *chan_slot(uint64_t c, int create)
{
    struct gc_records *r = gc_rec;
    unsigned base = gc_chan_group(c);
    unsigned oldest = base;
    for (unsigned i = base; i < base + GC_CHAN_PROBES; i++) {
        uint64_t k = __atomic_load_n(&r->chan_key[i], __ATOMIC_ACQUIRE);
        if (k == c)
            return &r->chan[i];
        if (k == 0 && create) {
            uint64_t z = 0;
            if (__atomic_compare_exchange_n(&r->chan_key[i], &z, c, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
                return chan_claimed(i, c);
            if (z == c)
                return &r->chan[i];
        }
        if (r->chan_stamp[i] < r->chan_stamp[oldest])
            oldest = i;
    }
    if (!create)
        return 0;
    __atomic_add_fetch(&r->lost, 1, __ATOMIC_RELAXED);
    __atomic_store_n(&r->chan_key[oldest], c, __ATOMIC_RELEASE);   /* the longest-made channel gives way */
    return chan_claimed(oldest, c);
}


/* Count one occurrence of misuse at its site (the first one keeps the details; first: the channel's record,
 * when it knew of the first close). */
static void site_count(uint32_t kind, uint64_t c, uint64_t *regs, const struct gc_chanrec *first)
{
    gc_sid at = here(regs);
    /* by where it happens: the first close shown is that of the first occurrence */
    uint64_t key = ((uint64_t)kind << 32 | at) * 0x9e3779b97f4a7c15ull | 1;
    for (unsigned i = 0; i < GC_SITE_PROBES; i++) {
        struct gc_site *s = &gc_rec->site[(key + i) & (GC_SITES - 1)];
        uint64_t k = __atomic_load_n(&s->key, __ATOMIC_ACQUIRE), z = 0;
        int mine = k == 0 && __atomic_compare_exchange_n(&s->key, &z, key, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
        if (k == 0 && !mine)
            k = z;                        /* taken meanwhile: by the same site, maybe */
        if (!mine && k != key)
            continue;
        if (mine) {                       /* ours: the example */
            s->kind = kind;
            s->chan = c;
            s->goid = goid_of(regs[GC_R_G]);
            s->first_goid = first ? first->closed_by : 0;
            s->at = at;
            s->first = first ? first->closed_at : 0;
            __atomic_store_n(&s->ready, 1, __ATOMIC_RELEASE);
        }
        __atomic_add_fetch(&s->count, 1, __ATOMIC_ACQ_REL);
        return;
    }
    __atomic_add_fetch(&gc_rec->lost, 1, __ATOMIC_RELAXED);
}

static void event_msg(uint32_t kind, uint32_t msg, uint64_t c, uint64_t *regs)
{
    struct gc_records *r = gc_rec;
    uint64_t pos = __atomic_fetch_add(&r->event_next, 1, __ATOMIC_ACQ_REL);
    struct gc_event *e = &r->event[pos % GC_EVENTS];
    __atomic_store_n(&e->seq, 1, __ATOMIC_RELEASE);         /* being written */
    e->kind = kind;
    e->msg = msg;
    e->chan = c;
    e->g = regs[GC_R_G];
    e->goid = goid_of(regs[GC_R_G]);
    e->at = here(regs);
    if (msg) {                            /* the callers' frames: the object the message is about is there */
        uint64_t sp = regs[GC_R_SP], hi = load64(e->g + (uint64_t)gc_ctl.off_g_stack_hi);
        for (unsigned i = 0; i < GC_WORDS; i++)
            e->words[i] = sp + 8 * (i + 1) + 8 <= hi ? load64(sp + 8 * (i + 1)) : 0;
    }
    __atomic_store_n(&e->seq, (uint32_t)(2 * (pos / GC_EVENTS) + 2), __ATOMIC_RELEASE);
}

/* Which of the runtime's messages the Go string (p, n) is. */
static uint32_t message(uint64_t p, uint64_t n)
{
    static const struct { const char *text; uint32_t msg; } m[] = {
        { "send on closed channel", GM_SEND_CLOSED },
        { "sync: negative WaitGroup counter", GM_NEG_WAITGROUP },
        { "sync: unlock of unlocked mutex", GM_UNLOCK_UNLOCKED },
        { "concurrent map writes", GM_MAP_WRITES },
        { "concurrent map read and map write", GM_MAP_READ_WRITE },
        { "concurrent map iteration and map write", GM_MAP_ITER_WRITE },
        { "all goroutines are asleep - deadlock!", GM_ALL_ASLEEP },
    };
    if (!p || n == 0 || n > 64)
        return 0;
    for (unsigned i = 0; i < sizeof m / sizeof m[0]; i++) {
        const char *t = m[i].text;
        uint64_t k = 0;
        while (k < n && t[k] && t[k] == *(const volatile char *)(uintptr_t)(p + k))
            k++;
        if (k == n && !t[k])
            return m[i].msg;
    }
    return 0;
}

/* gopanic(e any): a panic whose value is one of the runtime's or sync's strings (a plainError is a string). */
static void gopanic_in(struct gc_hook *h, uint64_t *regs)
{
    (void)h;
    if (gc_ctl.disabled)
        return;
    uint64_t typ = regs[GC_R_AX], data = regs[GC_R_BX];
    if (!typ || !data || gc_ctl.off_type_kind < 0)
        return;
    if ((*(const volatile uint8_t *)(uintptr_t)(typ + (uint64_t)gc_ctl.off_type_kind) & 31) != 24)
        return;                           /* not of kind string */
    uint32_t msg = message(load64(data), load64(data + 8));
    if (msg)
        event_msg(GE_PANIC, msg, 0, regs);
}

/* fatal(s string): the errors Go does not let a program recover from (map races, sync misuse, deadlock). */
static void fatal_in(struct gc_hook *h, uint64_t *regs)
{
    (void)h;
    if (gc_ctl.disabled)
        return;
    uint32_t msg = message(regs[GC_R_AX], regs[GC_R_BX]);
    if (msg)
        event_msg(GE_FATAL, msg, 0, regs);
}

static void makechan_out(struct gc_hook *h, uint64_t *regs)
{
    (void)h;
    if (gc_ctl.disabled)
        return;
    uint64_t c = regs[GC_R_AX];
    struct gc_chanrec *e = c ? chan_slot(c, 1) : 0;
    if (!e)
        return;
    chan_fresh(e, c, goid_of(regs[GC_R_G]), here(regs));   /* a new channel, maybe where a collected one was */
}

/* Before the real closechan, which panics on a nil or closed channel (the program may recover). */
static void closechan_in(struct gc_hook *h, uint64_t *regs)
{
    (void)h;
    if (gc_ctl.disabled)
        return;
    uint64_t c = regs[GC_R_AX];
    if (!c) {
        site_count(GE_CLOSE_NIL, 0, regs, 0);
        return;
    }
    struct gc_chanrec *e = chan_slot(c, 1);
    /* closed before by this channel: its tag; another's (a close of the slot's last channel that raced with
     * its reuse for this one) is no double close of this one */
    uint32_t tag = gc_chan_tag(c), was = e ? __atomic_exchange_n(&e->closed, tag, __ATOMIC_ACQ_REL) : 0;
    if (was == tag || load32(c + (uint64_t)gc_ctl.off_hchan_closed) != 0) {
        site_count(GE_DOUBLE_CLOSE, c, regs, was == tag ? e : 0);   /* a record made just now knows nothing */
        return;
    }
    if (e) {
        write_begin(e);
        e->closed_by = goid_of(regs[GC_R_G]);
        e->closed_at = here(regs);
        write_end(e);
    }
}

/* newproc1 runs on the system stack of the goroutine that executes the go statement: at its return, the
 * thread's current goroutine (m.curg) is the creator. */
static void newproc_out(struct gc_hook *h, uint64_t *regs)
{
    (void)h;
    if (gc_ctl.disabled)
        return;
    if (!gc_ctl.dump_ready)
        lc_gc_dump_install();             /* the first spawns after Go's signal set-up */
    uint64_t g0 = regs[GC_R_G], newg = regs[GC_R_AX];
    uint64_t m = load64(g0 + (uint64_t)gc_ctl.off_g_m), caller = m ? load64(m + (uint64_t)gc_ctl.off_m_curg) : 0;
    if (caller == g0)
        caller = 0;
    uint64_t goid = goid_of(newg);
    if (!newg || !goid)
        return;
    struct gc_spawn *s = &gc_rec->spawn[goid & (GC_SPAWNS - 1)];
    __atomic_store_n(&s->goid, 0, __ATOMIC_RELEASE);
    s->parent = goid_of(caller);
    s->at = 0;
    /* the go statement's stack: the caller stopped in systemstack, its state saved in its g.sched */
    if (caller && s->parent) {
        struct gc_stack st;
        fp_walk(0, load64(caller + (uint64_t)gc_ctl.off_g_sched_bp), caller, &st);
        s->at = depot_put(&st);
    }
    __atomic_store_n(&s->goid, goid, __ATOMIC_RELEASE);
}

struct gc_hook lc_gc_hook_newproc_out = { newproc_out, 0 },
               lc_gc_hook_makechan_out = { makechan_out, 0 }, lc_gc_hook_closechan_in = { closechan_in, 0 },
               lc_gc_hook_gopanic_in = { gopanic_in, 0 }, lc_gc_hook_fatal_in = { fatal_in, 0 };
