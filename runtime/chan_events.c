/* Channel events: the decisions behind LC_F_CLOSE_NIL, LC_F_DOUBLE_CLOSE, LC_F_SEND_CLOSED, LC_F_NIL_CHAN and
 * LC_F_BUSY_SPIN. Notes are built without stdio: these run on goroutine stacks' large segments, and are kept
 * as lean as the wrappers that call them. */
#include "chan_events.h"
#include "chan.h"
#include "finding.h"
#include <string.h>

void lc_chan_make(const struct lc_actor *a, uint64_t key, uint32_t elemsize, uint32_t cap)
{
    chan_new(LC_CH_GO, key, elemsize, cap, a->site(), a->task);
}

void lc_chan_close(const struct lc_actor *a, uint64_t key, uint32_t elemsize, uint32_t cap, int was_closed)
{
    stack_id site = a->site();
    if (!key) {
        finding_add(LC_F_CLOSE_NIL, NULL, site, a->task, 0, 0, NULL);
        return;
    }
    if (!chan_get(key, NULL))           /* made before we were watching */
        chan_new(LC_CH_GO, key, elemsize, cap, 0, 0);
    struct lc_chan prev;
    const void *obj = (const void *)(uintptr_t)key;
    if (chan_mark_closed(key, site, a->task, &prev))
        finding_add(LC_F_DOUBLE_CLOSE, obj, site, a->task, prev.closed, prev.closed_by, NULL);
    else if (was_closed)
        finding_add(LC_F_DOUBLE_CLOSE, obj, site, a->task, 0, 0, NULL);
}

/* Decimal digits of n at buf (at most 20); returns how many. */
static int put_uint(char *buf, uint64_t n)
{
    char tmp[20];
    int k = 0, i = 0;
    do tmp[k++] = (char)('0' + n % 10); while ((n /= 10) && k < 20);
    while (k)
        buf[i++] = tmp[--k];
    return i;
}

void lc_chan_send_closed(const struct lc_actor *a, uint64_t key, uint32_t cap, uint64_t queued)
{
    struct lc_chan ch;
    int known = chan_get(key, &ch);
    char note[40] = "";
    if (cap)                            /* "N buffered" */
        memcpy(note + put_uint(note, queued), " buffered", 10);
    finding_add(LC_F_SEND_CLOSED, (const void *)(uintptr_t)key, a->site(), a->task, known ? ch.closed : 0,
                known ? ch.closed_by : 0, note);
}

void lc_chan_nil_blocked(struct lc_task *t, stack_id site, const char *op)
{
    task_set_flag(t, LC_TF_NILCHAN, 1);
    finding_add(LC_F_NIL_CHAN, NULL, site, t->id, 0, 0, op);
}

void lc_chan_busy_spin(const struct lc_actor *a, const void *chan, uint32_t dropped)
{
    /* "100000 non-blocking selects without blocking" or "..., 99990 sends dropped" */
    char note[64];
    int i = put_uint(note, LC_SPIN_N);
    static const char nb[] = " non-blocking selects", wo[] = " without blocking", dr[] = " sends dropped";
    memcpy(note + i, nb, sizeof nb - 1);
    i += (int)sizeof nb - 1;
    if (dropped) {
        note[i++] = ',';
        note[i++] = ' ';
        i += put_uint(note + i, dropped);
        memcpy(note + i, dr, sizeof dr);
    } else {
        memcpy(note + i, wo, sizeof wo);
    }
    finding_add(LC_F_BUSY_SPIN, chan, a->site(), a->task, 0, 0, note);
}
