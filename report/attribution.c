/* Who a task is charged to: its Go test, its profile stack, its creation site. */
#include "attribution.h"

#include <stdlib.h>
#include <string.h>

static int ident_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

int attrib_test_name(const char *func, char *out, size_t len)
{
    static const char *const prefixes[] = { "Test", "Benchmark", "Fuzz", "Example" };
    if (!func || !len)
        return 0;
    const char *base = strrchr(func, '/');
    base = base ? base + 1 : func;
    const char *dot = strchr(base, '.');         /* pkg.Name...: the package ends at the first dot */
    if (!dot || dot == base)
        return 0;
    const char *name = dot + 1;
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        size_t pl = strlen(prefixes[i]);
        if (strncmp(name, prefixes[i], pl) != 0)
            continue;
        if (name[pl] >= 'a' && name[pl] <= 'z')  /* Go's rule: Testing is not a test, TestX and Test_x are */
            return 0;
        size_t n = pl;
        while (ident_char(name[n]))
            n++;
        if (name[n] && name[n] != '.')
            return 0;
        if (n >= len)
            n = len - 1;
        memcpy(out, name, n);
        out[n] = 0;
        return 1;
    }
    return 0;
}

static int test_in_stack(stack_id id, char *out, size_t len)
{
    struct lc_frame f[LC_FRAMES_MAX];
    int n = id ? frames_of(id, f, LC_FRAMES_MAX) : 0;
    for (int i = 0; i < n; i++)
        if (attrib_test_name(f[i].func, out, len))
            return 1;
    return 0;
}

int attrib_test(const struct lc_task *t, char *out, size_t len)
{
    for (int i = 0; i < LC_CHAIN; i++)
        if (test_in_stack(t->anc_stack[i], out, len))
            return 1;
    return t->state == LC_BLOCKED && test_in_stack(t->site, out, len);
}

int attrib_profile_stack(const struct lc_task *t, struct lc_frame *out, int max)
{
    if (max <= 0)
        return 0;
    if (t->state == LC_BLOCKED && t->site) {
        int n = frames_of(t->site, out, max);
        if (n > 0)
            return n;
    }
    int n = 0;
    if (t->start_fn)
        symbolize((uintptr_t)t->start_fn, 1, &out[n++]);
    if (t->anc_stack[0])
        n += frames_of(t->anc_stack[0], out + n, max - n);
    return n;
}

static int same_site(const struct lc_frame *a, const struct lc_frame *b)
{
    if (a->file && b->file)
        return a->line == b->line && strcmp(a->file, b->file) == 0 && strcmp(a->func, b->func) == 0;
    return !a->file && !b->file && a->pc == b->pc;
}

static int site_cmp(const void *a, const void *b)
{
    const struct lc_site *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    int c = strcmp(x->where.func, y->where.func);
    return c ? c : x->where.line - y->where.line;
}

size_t attrib_creation_sites(const struct lc_judgement *j, struct lc_site *out, size_t max)
{
    size_t n = 0;
    struct lc_site *all = j->ngroups ? calloc(j->ngroups, sizeof *all) : NULL;
    if (!all)
        return 0;
    for (size_t g = 0; g < j->ngroups; g++) {
        struct lc_frame f;
        if (!j->groups[g].rep->anc_stack[0] || !frames_origin(j->groups[g].rep->anc_stack[0], &f))
            continue;                           /* the main task, or made before the shim was there */
        size_t k = 0;
        while (k < n && !same_site(&all[k].where, &f))
            k++;
        if (k == n)
            all[n++].where = f;
        all[k].count += j->groups[g].n;
    }
    qsort(all, n, sizeof *all, site_cmp);
    if (n > max)
        n = max;
    memcpy(out, all, n * sizeof *out);
    free(all);
    return n;
}
