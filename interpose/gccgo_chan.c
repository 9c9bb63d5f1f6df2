/* Go channels under libgo: make, send, receive, close and select. Each wrapper does the cheap checks (nil,
 * closed) and leaves a pending operation for gopark (gccgo.c), which captures the blocking site only when the
 * goroutine really parks; what happened goes to runtime/chan_events.h. Misuse is recorded before the real
 * call, because the real call panics and the program may recover. Compiled with -fsplit-stack (see
 * gccgo_int.h). */
#include "gccgo_int.h"
#include "../runtime/chan.h"
#include "../runtime/chan_events.h"

struct go_selres { intptr_t idx; _Bool recv_ok; };

/* select case, as the compiler lays it out (select.go: scase) */
struct go_scase { void *c; void *elem; };

static uint32_t chan_cap(const void *c) { return (uint32_t)GO_FIELD(c, GO_HCHAN_DATAQSIZ, uintptr_t); }
static int chan_closed(const void *c) { return GO_FIELD(c, GO_HCHAN_CLOSED, uint32_t) != 0; }
static uint32_t chan_elemsize(const void *c) { return GO_FIELD(c, GO_HCHAN_ELEMSIZE, uint16_t); }

/* A make or close, recorded on the shim's stack (go_offstack): split-stack code that calls ordinary C would ask
 * for a large stack segment on every call. */
struct chan_note { void *c; uintptr_t ra; };

__attribute__((noinline)) static long chan_made_here(void *arg)
{
    struct chan_note *n = arg;
    LC_ENTER();
    go_site_ra = n->ra;
    struct lc_actor a = { go_cur_id(), go_stack_at_site };
    lc_chan_make(&a, (uint64_t)(uintptr_t)n->c, chan_elemsize(n->c), chan_cap(n->c));
    LC_LEAVE();
    return 0;
}

__attribute__((noinline)) static void chan_made(void *c, uintptr_t ra)
{
    if (!c || !GO_ACTIVE())
        return;
    struct chan_note n = { c, ra };
    go_offstack(chan_made_here, &n);
}

/* makechan64 forwards to makechan through the PLT: one wrapper sees both. */
GO_WRAPPER(void *, go_makechan, "runtime.makechan", (const void *type, intptr_t size))
{
    void *c = GO_NEXT(go_makechan)(type, size);
    chan_made(c, LC_RA());
    return c;
}

/* Before the send that is going to panic. */
__attribute__((noinline, cold)) static void send_on_closed(void *c)
{
    LC_ENTER();
    struct lc_actor a = GO_ACTOR;
    lc_chan_send_closed(&a, (uint64_t)(uintptr_t)c, chan_cap(c), GO_FIELD(c, GO_HCHAN_QCOUNT, uintptr_t));
    LC_LEAVE();
}

/* park: whether the operation may block (then gopark gets a pending operation). */
static inline __attribute__((always_inline)) int chan_op_begin(void *c, int send, int park, uintptr_t ra,
                                                           uintptr_t sp)
{
    if (!GO_ACTIVE())
        return 0;
    if (send && c && chan_closed(c))
        send_on_closed(c);
    if (park)
        go_pend_key(GOP_CHAN, ra, sp);
    return park;
}

/* The blocking operations tail-call the real one: nothing of ours runs after it, and no frame of ours stays on
 * a parked goroutine's stack (a return into the wrapper, then out of it, after every switch back to the
 * goroutine). Their pending operation is left for the next one to overwrite (gccgo.h says why that is safe). */
GO_WRAPPER(void, go_chansend1, "runtime.chansend1", (void *c, void *elem))
{
    chan_op_begin(c, 1, 1, LC_RA(), LC_SP());
    GO_NEXT(go_chansend1)(c, elem);
}

GO_WRAPPER(void, go_chanrecv1, "runtime.chanrecv1", (void *c, void *elem))
{
    chan_op_begin(c, 0, 1, LC_RA(), LC_SP());
    GO_NEXT(go_chanrecv1)(c, elem);
}

/* v, ok := <-c and for-range loops */
GO_WRAPPER(_Bool, go_chanrecv2, "runtime.chanrecv2", (void *c, void *elem))
{
    chan_op_begin(c, 0, 1, LC_RA(), LC_SP());
    return GO_NEXT(go_chanrecv2)(c, elem);
}

/* ---- busy spin ------------------------------------------------------------------------------------------- */
LC_TLS struct go_spin go_spin;

/* LC_SPIN_N non-blocking operations without a park: report the spin once, at the operation's site. */
__attribute__((noinline)) static void spin_note(const void *c, uint32_t drops)
{
    if (!GO_ACTIVE())
        return;
    LC_ENTER();
    struct lc_actor a = GO_ACTOR;
    lc_chan_busy_spin(&a, c, drops);
    LC_LEAVE();
}

/* One non-blocking operation (dropped: a send that found no room): a counter, and a rare report. */
static inline void spin_count(const void *c, int dropped)
{
    struct go_spin *s = &go_spin;
    void *g = go_getg();
    if (__builtin_expect(s->g != g, 0)) {
        s->g = g;
        s->nb = s->drops = 0;
    }
    s->drops += (uint32_t)dropped;
    if (__builtin_expect(++s->nb == LC_SPIN_N, 0))
        spin_note(c, s->drops);
}

/* select { case c <- v: ... default: } */
GO_WRAPPER(_Bool, go_selectnbsend, "runtime.selectnbsend", (void *c, void *elem))
{
    if (c && chan_closed(c))
        chan_op_begin(c, 1, 0, 0, 0);    /* records the send on a closed channel; it never parks */
    _Bool sent = GO_NEXT(go_selectnbsend)(c, elem);
    if (LC_ACTIVE() && __atomic_load_n(&go_inited, __ATOMIC_RELAXED) && !go_off)
        spin_count(c, !sent);
    return sent;
}

/* select { case v, ok := <-c: ... default: } (two results, returned together in a register) */
struct go_nbrecv { _Bool selected, received; };
GO_WRAPPER(struct go_nbrecv, go_selectnbrecv, "runtime.selectnbrecv", (void *elem, void *c))
{
    struct go_nbrecv r = GO_NEXT(go_selectnbrecv)(elem, c);
    if (LC_ACTIVE() && __atomic_load_n(&go_inited, __ATOMIC_RELAXED) && !go_off)
        spin_count(c, 0);
    return r;
}

__attribute__((noinline)) static long close_here(void *arg)
{
    struct chan_note *n = arg;
    void *c = n->c;
    LC_ENTER();
    go_site_ra = n->ra;
    struct lc_actor a = { go_cur_id(), go_stack_at_site };
    if (c)
        lc_chan_close(&a, (uint64_t)(uintptr_t)c, chan_elemsize(c), chan_cap(c), chan_closed(c));
    else
        lc_chan_close(&a, 0, 0, 0, 0);
    LC_LEAVE();
    return 0;
}

__attribute__((noinline)) static void close_begin(void *c, uintptr_t ra)
{
    if (!GO_ACTIVE())
        return;
    struct chan_note n = { c, ra };
    go_offstack(close_here, &n);
}

/* Recorded before the real close, which panics on a closed or nil channel. */
GO_WRAPPER(void, go_closechan, "runtime.closechan", (void *c))
{
    close_begin(c, LC_RA());
    GO_NEXT(go_closechan)(c);
}

/* The first receive case on a channel os/signal delivers to, or NULL. Out of select_begin: a split-stack
 * function that calls ordinary C (chan_notified) gets a prologue that asks for a large stack on every call. */
__attribute__((noinline)) static const void *select_notified(const struct go_scase *cas, intptr_t nsends,
                                                             intptr_t nrecvs)
{
    for (intptr_t i = nsends; i < nsends + nrecvs; i++)
        if (cas[i].c && chan_notified((uint64_t)(uintptr_t)cas[i].c))
            return cas[i].c;
    return NULL;
}

/* Calls no ordinary C (see select_notified). */
__attribute__((noinline)) static void select_begin(struct go_scase *cas, intptr_t nsends, intptr_t nrecvs,
                                                   _Bool block, uintptr_t ra, uintptr_t sp)
{
    if (!GO_ACTIVE())
        return;
    const void *first = NULL;
    for (intptr_t i = 0; i < nsends + nrecvs; i++) {
        void *c = cas[i].c;
        if (!c)
            continue;
        if (!first)
            first = c;
        if (i < nsends && chan_closed(c))
            send_on_closed(c);        /* a ready case: select may pick it and panic */
    }
    const void *sig = block && chan_notify_count() ? select_notified(cas, nsends, nrecvs) : NULL;
    if (sig)
        first = sig;                  /* the select waits for a signal (os/signal delivers to it) */
    if (block)
        go_pend_set(GOP_SELECT, "select", nsends + nrecvs > 0 ? LC_OBJ_CHAN : LC_OBJ_NONE, first, ra, sp,
                    !first && nsends + nrecvs > 0);
}

GO_WRAPPER(struct go_selres, go_selectgo, "runtime.selectgo",
           (void *cas, uint16_t *order, intptr_t nsends, intptr_t nrecvs, _Bool block))
{
    select_begin(cas, nsends, nrecvs, block, LC_RA(), LC_SP());
    if (block)                        /* a tail call, as the channel operations' */
        return GO_NEXT(go_selectgo)(cas, order, nsends, nrecvs, block);
    struct go_selres r = GO_NEXT(go_selectgo)(cas, order, nsends, nrecvs, block);
    if (LC_ACTIVE() && __atomic_load_n(&go_inited, __ATOMIC_RELAXED) && !go_off)
        spin_count(nsends + nrecvs > 0 ? ((struct go_scase *)cas)[0].c : NULL,
                   r.idx < 0 && nsends > 0);   /* default taken with sends offered: dropped */
    return r;
}
