/* Misuse findings, deduplicated by (kind, both sites); a fixed table so recording never allocates. */
#include "finding.h"
#include "lock.h"
#include <string.h>

#define MAX_FINDINGS 1024

static lc_lock_t finding_lock = LC_LOCK_INIT;
static struct lc_finding findings[MAX_FINDINGS];
static size_t nfindings;
static uint64_t dropped;

static const char *const kind_titles[LC_F__COUNT] = {
#define FINDING(id, name, title, object, style, prefix, label0, label1, task) [LC_F_##id] = title,
#include "findings.inc"
#undef FINDING
};

const char *finding_kind_name(enum lc_finding_kind kind)
{
    return (unsigned)kind < LC_F__COUNT ? kind_titles[kind] : "misuse";
}

void finding_add(enum lc_finding_kind kind, const void *obj, stack_id site0, uint64_t task0, stack_id site1,
                 uint64_t task1, const char *note)
{
    lc_lock(&finding_lock);
    for (size_t i = 0; i < nfindings; i++) {
        struct lc_finding *f = &findings[i];
        if (f->kind == kind && f->site[0] == site0 && f->site[1] == site1 && f->obj == obj) {
            f->count++;
            lc_unlock(&finding_lock);
            return;
        }
    }
    if (nfindings < MAX_FINDINGS) {
        struct lc_finding *f = &findings[nfindings++];
        memset(f, 0, sizeof *f);
        f->kind = (uint8_t)kind;
        f->obj = obj;
        f->site[0] = site0;
        f->site[1] = site1;
        f->task[0] = task0;
        f->task[1] = task1;
        f->count = 1;
        f->first_ns = lc_now_ns();
        if (note)
            strncpy(f->note, note, sizeof f->note - 1);
    } else {
        dropped++;
    }
    lc_unlock(&finding_lock);
}

size_t finding_copy(struct lc_finding *out, size_t max)
{
    lc_lock(&finding_lock);
    size_t n = nfindings;
    memcpy(out, findings, (n < max ? n : max) * sizeof *out);
    lc_unlock(&finding_lock);
    return n;
}

void finding_lock_all(void) { lc_lock(&finding_lock); }
void finding_unlock_all(void) { lc_unlock(&finding_lock); }

size_t finding_count(void)
{
    return __atomic_load_n(&nfindings, __ATOMIC_RELAXED);
}

void finding_reset(void)
{
    lc_lock(&finding_lock);
    nfindings = 0;
    dropped = 0;
    lc_unlock(&finding_lock);
}
