/* Folded stacks for flame graph tools (flamegraph.pl, speedscope, inferno): one line per distinct stack,
 * "root;...;leaf count", the count being the reported tasks with that stack (the stack pprof charges them
 * to). Identical stacks are merged; lines come in the order of the text report's groups (ties: any order). */
#include "attribution.h"
#include "folded.h"

#include <stdlib.h>
#include <string.h>
#include <uthash.h>

struct line {
    char *stack;
    uint64_t count;
    size_t order;
    UT_hash_handle hh;
};

/* A frame name as one field: ';' separates frames and a newline ends the line, so both become ':'. */
static void put_name(char *out, size_t *n, size_t cap, const char *name)
{
    for (const char *p = name ? name : "??"; *p && *n + 1 < cap; p++)
        out[(*n)++] = (*p == ';' || *p == '\n' || *p == '\r') ? ':' : *p;
}

static int by_order(const void *a, const void *b)
{
    const struct line *x = *(const struct line *const *)a, *y = *(const struct line *const *)b;
    return x->order < y->order ? -1 : x->order > y->order;
}

void report_folded(struct lc_bufw *w, const struct lc_snapshot *s, const struct lc_report_ctx *ctx,
                   const struct lc_judgement *j)
{
    struct line *index = NULL, *e, *et;
    struct lc_frame f[LC_FRAMES_MAX];
    size_t nlines = 0;
    (void)ctx;
    char *buf = malloc(LC_FRAMES_MAX * 256);
    if (!buf || !j->task_group) {
        free(buf);
        return;
    }
    for (size_t i = 0; i < s->ntasks; i++) {
        int32_t g = j->task_group[i];
        if (g < 0)
            continue;
        int nf = attrib_profile_stack(&s->tasks[i], f, LC_FRAMES_MAX);
        size_t n = 0, cap = LC_FRAMES_MAX * 256;
        for (int k = nf - 1; k >= 0; k--) {              /* root first */
            put_name(buf, &n, cap, f[k].func);
            if (k && n + 1 < cap)
                buf[n++] = ';';
        }
        if (!nf)
            put_name(buf, &n, cap, s->tasks[i].kind == LC_GOROUTINE ? "(goroutine)" : "(thread)");
        buf[n] = 0;
        HASH_FIND_STR(index, buf, e);
        if (!e) {
            if (!(e = calloc(1, sizeof *e)) || !(e->stack = strdup(buf))) {
                free(e);
                continue;
            }
            e->order = (size_t)g;
            nlines++;
            HASH_ADD_KEYPTR(hh, index, e->stack, strlen(e->stack), e);
        }
        if ((size_t)g < e->order)
            e->order = (size_t)g;                      /* lines follow the text report's group order */
        e->count += snapshot_weight(s, i);
    }
    struct line **all = nlines ? malloc(nlines * sizeof *all) : NULL;
    size_t k = 0;
    HASH_ITER(hh, index, e, et)
        if (all)
            all[k++] = e;
    if (all) {
        qsort(all, k, sizeof *all, by_order);
        for (size_t i = 0; i < k; i++)
        {
            bw_puts(w, all[i]->stack);
            bw_printf(w, " %llu\n", (unsigned long long)all[i]->count);
        }
        free(all);
    }
    HASH_ITER(hh, index, e, et) {
        HASH_DEL(index, e);
        free(e->stack);
        free(e);
    }
    free(buf);
}
