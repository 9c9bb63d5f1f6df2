/* Go channels under libgo: make, send, receive, close and select. Each wrapper does the cheap checks (nil,
 * closed) and leaves a pending operation for gopark (gccgo.c), which captures the blocking site only when the
 * goroutine really parks. Misuse is recorded before the real call, because the real call panics and the
 * program may recover. Compiled with -fsplit-stack (see gccgo_int.h). */
#include "gccgo_int.h"
#include "../runtime/chan.h"
#include "../runtime/finding.h"
#include <string.h>

static void *(*real_makechan)(const void *, intptr_t);
static void (*real_chansend1)(void *, void *);
static void (*real_chanrecv1)(void *, void *);
static _Bool (*real_chanrecv2)(void *, void *);
static void (*real_closechan)(void *);
static _Bool (*real_selectnbsend)(void *, void *);
struct go_selres { intptr_t idx; _Bool recv_ok; };
static struct go_selres (*real_selectgo)(void *, uint16_t *, intptr_t, intptr_t, _Bool);

/* select case, as the compiler lays it out (select.go: scase) */
struct go_scase { void *c; void *elem; };

#define SP() ((uintptr_t)__builtin_frame_address(0))
#define RA() ((uintptr_t)__builtin_return_address(0))

static uint32_t chan_cap(const void *c) { return (uint32_t)GO_FIELD(c, GO_HCHAN_DATAQSIZ, uintptr_t); }
static int chan_closed(const void *c) { return GO_FIELD(c, GO_HCHAN_CLOSED, uint32_t) != 0; }

/* "N buffered" without stdio */
static void note_buffered(char *buf, uintptr_t n)
{
    char tmp[24];
    int k = 0;
    do tmp[k++] = (char)('0' + n % 10); while ((n /= 10) && k < 20);
    int i = 0;
    while (k)
        buf[i++] = tmp[--k];
    memcpy(buf + i, " buffered", 10);
}

__attribute__((noinline)) static void chan_made(void *c)
{
    if (!c || !GO_ACTIVE())
        return;
    LC_ENTER();
    chan_new(LC_CH_GO, (uint64_t)(uintptr_t)c, GO_FIELD(c, GO_HCHAN_ELEMSIZE, uint16_t), chan_cap(c), go_stack(),
             go_cur_id());
    LC_LEAVE();
}

/* makechan64 forwards to makechan through the PLT: one wrapper sees both. */
LC_EXPORT void *go_makechan(const void *type, intptr_t size) __asm__("runtime.makechan");
void *go_makechan(const void *type, intptr_t size)
{
    void *c = GO_REAL(real_makechan, "runtime.makechan")(type, size);
    chan_made(c);
    return c;
}

/* Before the send that is going to panic. */
__attribute__((noinline, cold)) static void send_on_closed(void *c)
{
    LC_ENTER();
    struct lc_chan ch;
    int known = chan_get((uint64_t)(uintptr_t)c, &ch);
    char note[40] = "";
    if (chan_cap(c))
        note_buffered(note, GO_FIELD(c, GO_HCHAN_QCOUNT, uintptr_t));
    finding_add(LC_F_SEND_CLOSED, c, go_stack(), go_cur_id(), known ? ch.closed : 0, known ? ch.closed_by : 0,
                note);
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
        go_pend_set(GOP_CHAN, NULL, LC_OBJ_NONE, NULL, ra, sp, 0);
    return park;
}

LC_EXPORT void go_chansend1(void *c, void *elem) __asm__("runtime.chansend1");
void go_chansend1(void *c, void *elem)
{
    int on = chan_op_begin(c, 1, 1, RA(), SP());
    GO_REAL(real_chansend1, "runtime.chansend1")(c, elem);
    if (on)
        go_pend_clear();
}

LC_EXPORT void go_chanrecv1(void *c, void *elem) __asm__("runtime.chanrecv1");
void go_chanrecv1(void *c, void *elem)
{
    int on = chan_op_begin(c, 0, 1, RA(), SP());
    GO_REAL(real_chanrecv1, "runtime.chanrecv1")(c, elem);
    if (on)
        go_pend_clear();
}

/* v, ok := <-c and for-range loops */
LC_EXPORT _Bool go_chanrecv2(void *c, void *elem) __asm__("runtime.chanrecv2");
_Bool go_chanrecv2(void *c, void *elem)
{
    int on = chan_op_begin(c, 0, 1, RA(), SP());
    _Bool ok = GO_REAL(real_chanrecv2, "runtime.chanrecv2")(c, elem);
    if (on)
        go_pend_clear();
    return ok;
}

/* ---- busy spin ------------------------------------------------------------------------------------------- */
LC_TLS struct go_spin go_spin;

/* Decimal digits of n at buf (at most 10); returns how many. */
static int put_uint(char *buf, uint32_t n)
{
    char tmp[10];
    int k = 0, i = 0;
    do tmp[k++] = (char)('0' + n % 10); while ((n /= 10) && k < 10);
    while (k)
        buf[i++] = tmp[--k];
    return i;
}

/* GO_SPIN_N non-blocking operations without a park: report the spin once, at the operation's site. */
__attribute__((noinline)) static void spin_note(const void *c, uint32_t drops)
{
    if (!GO_ACTIVE())
        return;
    LC_ENTER();
    /* "100000 non-blocking selects without blocking" or "..., 99990 sends dropped", without stdio */
    char note[64];
    int i = put_uint(note, GO_SPIN_N);
    static const char nb[] = " non-blocking selects", wo[] = " without blocking", dr[] = " sends dropped";
    memcpy(note + i, nb, sizeof nb - 1);
    i += (int)sizeof nb - 1;
    if (drops) {
        note[i++] = ',';
        note[i++] = ' ';
        i += put_uint(note + i, drops);
        memcpy(note + i, dr, sizeof dr);
    } else {
        memcpy(note + i, wo, sizeof wo);
    }
    finding_add(LC_F_BUSY_SPIN, c, go_stack(), go_cur_id(), 0, 0, note);
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
    if (__builtin_expect(++s->nb == GO_SPIN_N, 0))
        spin_note(c, s->drops);
}

/* select { case c <- v: ... default: } */
LC_EXPORT _Bool go_selectnbsend(void *c, void *elem) __asm__("runtime.selectnbsend");
_Bool go_selectnbsend(void *c, void *elem)
{
    if (c && chan_closed(c))
        chan_op_begin(c, 1, 0, 0, 0);    /* records the send on a closed channel; it never parks */
    _Bool sent = GO_REAL(real_selectnbsend, "runtime.selectnbsend")(c, elem);
    if (LC_ACTIVE() && __atomic_load_n(&go_inited, __ATOMIC_RELAXED) && !go_off)
        spin_count(c, !sent);
    return sent;
}

/* select { case v, ok := <-c: ... default: } (two results, returned together in a register) */
struct go_nbrecv { _Bool selected, received; };
static struct go_nbrecv (*real_selectnbrecv)(void *, void *);
LC_EXPORT struct go_nbrecv go_selectnbrecv(void *elem, void *c) __asm__("runtime.selectnbrecv");
struct go_nbrecv go_selectnbrecv(void *elem, void *c)
{
    struct go_nbrecv r = GO_REAL(real_selectnbrecv, "runtime.selectnbrecv")(elem, c);
    if (LC_ACTIVE() && __atomic_load_n(&go_inited, __ATOMIC_RELAXED) && !go_off)
        spin_count(c, 0);
    return r;
}

__attribute__((noinline)) static void close_begin(void *c)
{
    if (!GO_ACTIVE())
        return;
    LC_ENTER();
    stack_id site = go_stack();
    uint64_t me = go_cur_id();
    if (!c) {
        finding_add(LC_F_CLOSE_NIL, NULL, site, me, 0, 0, NULL);
    } else {
        uint64_t key = (uint64_t)(uintptr_t)c;
        int was_closed = chan_closed(c);
        if (!chan_get(key, NULL))     /* made before we were watching */
            chan_new(LC_CH_GO, key, GO_FIELD(c, GO_HCHAN_ELEMSIZE, uint16_t), chan_cap(c), 0, 0);
        struct lc_chan prev;
        if (chan_mark_closed(key, site, me, &prev))
            finding_add(LC_F_DOUBLE_CLOSE, c, site, me, prev.closed, prev.closed_by, NULL);
        else if (was_closed)
            finding_add(LC_F_DOUBLE_CLOSE, c, site, me, 0, 0, NULL);
    }
    LC_LEAVE();
}

/* Recorded before the real close, which panics on a closed or nil channel. */
LC_EXPORT void go_closechan(void *c) __asm__("runtime.closechan");
void go_closechan(void *c)
{
    close_begin(c);
    GO_REAL(real_closechan, "runtime.closechan")(c);
}

__attribute__((noinline)) static int select_begin(struct go_scase *cas, intptr_t nsends, intptr_t nrecvs,
                                                  _Bool block, uintptr_t ra, uintptr_t sp)
{
    if (!GO_ACTIVE())
        return 0;
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
    if (block)
        go_pend_set(GOP_SELECT, "select", nsends + nrecvs > 0 ? LC_OBJ_CHAN : LC_OBJ_NONE, first, ra, sp,
                    !first && nsends + nrecvs > 0);
    return block;
}

LC_EXPORT struct go_selres go_selectgo(void *cas, uint16_t *order, intptr_t nsends, intptr_t nrecvs, _Bool block)
    __asm__("runtime.selectgo");
struct go_selres go_selectgo(void *cas, uint16_t *order, intptr_t nsends, intptr_t nrecvs, _Bool block)
{
    int on = select_begin(cas, nsends, nrecvs, block, RA(), SP());
    struct go_selres r = GO_REAL(real_selectgo, "runtime.selectgo")(cas, order, nsends, nrecvs, block);
    if (on)
        go_pend_clear();
    else if (!block && LC_ACTIVE() && __atomic_load_n(&go_inited, __ATOMIC_RELAXED) && !go_off)
        spin_count(nsends + nrecvs > 0 ? ((struct go_scase *)cas)[0].c : NULL,
                   r.idx < 0 && nsends > 0);   /* default taken with sends offered: dropped */
    return r;
}
