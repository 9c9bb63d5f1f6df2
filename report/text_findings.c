/* Misuse findings in the text report: a header naming the finding and its object, then each recorded site
 * with its label, the frame of its line and task and a few of its callers, and the object's history where the
 * snapshot still has it. */
#include "deadlock.h"
#include "text.h"
#include "text_findings.h"
#include "../runtime/options.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

enum obj_style { O_NONE, O_CHAN, O_FD, O_ADDR };

/* Per finding kind (findings.inc): how the object is named after finding_kind_name(), the labels of site[0] and
 * site[1], and the kind of task a site belongs to when the task is gone from the snapshot. */
static const struct {
    enum obj_style style;
    const char *prefix;       /* between the name and the object: "of chan", "on mutex", ... */
    const char *label[2];
    int task_kind;
} kinds[LC_F__COUNT] = {
#define FINDING(id, name, title, object, style, prefix, label0, label1, task) \
    [LC_F_##id] = { O_##style, prefix, { label0, label1 }, LC_##task },
#include "../runtime/findings.inc"
#undef FINDING
};

static void put_header(struct lc_bufw *w, const struct lc_finding *f)
{
    char obj[64] = "";
    unsigned k = f->kind;
    switch (kinds[k].style) {
    case O_CHAN:
        if (f->obj)
            snprintf(obj, sizeof obj, "%s 0x%lx", kinds[k].prefix, (unsigned long)(uintptr_t)f->obj);
        break;
    case O_FD:
        snprintf(obj, sizeof obj, "%s %d", kinds[k].prefix, (int)(intptr_t)f->obj);
        break;
    case O_ADDR:
        snprintf(obj, sizeof obj, "%s 0x%lx", kinds[k].prefix, (unsigned long)(uintptr_t)f->obj);
        break;
    case O_NONE:
        break;
    }
    bw_printf(w, "[%s%s", finding_kind_name(f->kind), obj);
    /* the note adds detail ("counter -1", "send"), unless it only repeats the object */
    if (f->note[0] && !strstr(obj, f->note))
        bw_printf(w, " (%.64s)", f->note);
    if (f->count > 1)
        bw_printf(w, " (%u times)", f->count);
    bw_puts(w, "]\n");
}

/* A lock finding about sync.Mutex/RWMutex (interpose/gccgo_mutex.c's notes): its tasks are goroutines. */
static int go_lock_finding(const struct lc_finding *f)
{
    return (f->kind == LC_F_LOCK_ORDER && strstr(f->note, ", goroutines")) ||
           (f->kind == LC_F_SELF_DEADLOCK && (!strncmp(f->note, "sync.", 5) || !strncmp(f->note, "RWMutex.", 8)));
}

static void put_callers(struct lc_bufw *w, stack_id id, const struct lc_frame *shown);

static void put_site(struct lc_bufw *w, const struct lc_snapshot *s, const struct lc_finding *f, int i,
                     size_t label_width)
{
    char label[64];
    struct lc_frame fr;
    snprintf(label, sizeof label, "%-*s ", (int)label_width, kinds[f->kind].label[i]);
    frames_origin(f->site[i], &fr);
    text_frame(w, "  ", label, &fr);
    if (f->task[i] && go_lock_finding(f))      /* goids and thread ids may coincide: no lookup */
        bw_printf(w, "  (goroutine %llu)", (unsigned long long)f->task[i]);
    else if (f->task[i])
        text_task_ref(w, s, f->task[i], kinds[f->kind].task_kind);
    bw_puts(w, "\n");
    put_callers(w, f->site[i], &fr);
}

/* The frames outward of the one a site's line shows, its callers: a few by default (a site inside a helper, a
 * lock wrapper class, says little alone), the whole stack at verbosity 2. */
#define CALLERS_SHOWN 3
static void put_callers(struct lc_bufw *w, stack_id id, const struct lc_frame *shown)
{
    struct lc_frame f[LC_FRAMES_MAX];
    int n = frames_of(id, f, text_depth()), i = 0;
    while (i < n && !(f[i].pc == shown->pc && f[i].func == shown->func))
        i++;
    int last = lc_opt.verbosity >= 2 ? n : i + 1 + CALLERS_SHOWN;
    for (i++; i < n && i < last; i++) {
        text_frame(w, "      ", "", &f[i]);
        bw_puts(w, "\n");
    }
}

/* Where the object came from: "channel made at", "pipe made at". */
static void put_history(struct lc_bufw *w, const struct lc_snapshot *s, const struct lc_finding *f)
{
    const struct lc_chan *c = NULL;
    struct lc_frame fr;
    char label[32];
    if (kinds[f->kind].style == O_CHAN && f->obj) {
        c = snapshot_chan(s, (uint64_t)(uintptr_t)f->obj);
        snprintf(label, sizeof label, "channel made at ");
    } else if (kinds[f->kind].style == O_FD) {
        c = text_chan_by_fd(s, (int)(intptr_t)f->obj);
        if (c)
            snprintf(label, sizeof label, "%s made at ", text_fdchan_kind(c));
    }
    if (c && frames_origin(c->made, &fr)) {
        text_frame(w, "  ", label, &fr);
        bw_puts(w, "\n");
    }
}

const char *text_site_label(unsigned kind, int i)
{
    return kind < LC_F__COUNT && i >= 0 && i < 2 ? kinds[kind].label[i] : "at:";
}

void text_findings(struct lc_bufw *w, const struct lc_snapshot *s, const struct lc_judgement *j, size_t max)
{
    size_t shown = 0, left = 0;
    for (size_t n = 0; n < s->nfindings; n++) {
        const struct lc_finding *f = &s->findings[n];
        if (f->kind >= LC_F__COUNT || !verdict_finding_shown(j, n))
            continue;                          /* silenced by a suppression */
        if (shown == max) {
            left++;
            continue;
        }
        shown++;
        if (f->kind == LC_F_DEADLOCK) {        /* the cycle, each member's stack and the locks they hold */
            deadlock_print(w, s, f);
            continue;
        }
        put_header(w, f);
        int nsites = f->site[1] ? 2 : 1;
        size_t width = 0;
        for (int i = 0; i < nsites; i++)
            if (strlen(kinds[f->kind].label[i]) > width)
                width = strlen(kinds[f->kind].label[i]);
        for (int i = 0; i < nsites; i++)
            put_site(w, s, f, i, width);
        put_history(w, s, f);
        bw_puts(w, "\n");
    }
    if (left)
        bw_printf(w, "leakcheck: %zu more misuse findings not shown\n\n", left);
}
