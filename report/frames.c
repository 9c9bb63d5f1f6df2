/* Which frames a report shows. Innermost first: frames in the shim are skipped until the first frame of the
 * program; the next shim frame after that is the thread trampoline, and everything outward of it (start_thread,
 * clone3) is the runtime's, so the stack ends there. Plumbing frames of libc and libgo are hidden wherever met. */
#include "frames.h"
#include "../runtime/lock.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

/* Runtime plumbing: function pattern (fnmatch), and the module and source file it must be in (NULL: any). */
static const struct { const char *func, *module, *file; } plumbing[] = {
    { "_start", NULL, NULL },
    { "__libc_start_call_main", NULL, NULL },
    { "__libc_start_main*", NULL, NULL },
    { "start_thread", NULL, NULL },
    { "clone", NULL, NULL },
    { "clone3", NULL, NULL },
    { "__clone*", NULL, NULL },
    { "runtime.kickoff", NULL, NULL },
    { "runtime.goexit*", NULL, NULL },
    { "runtime.main", NULL, NULL },          /* always below main.main */
    { "runtime_main", NULL, NULL },
    { "runtime.mstart*", NULL, NULL },
    { "runtime_mstart", NULL, NULL },
    { "mstart", "*libgo.so*", NULL },
    { "main", "*libgo.so*", NULL },          /* libgo's C main, below the scheduler */
    { "main", NULL, "*/go-main.c" },   /* the same, linked into a gccgo executable (libgobegin) */
    { "__go_go", NULL, NULL },
    { "*.go..thunk*", NULL, NULL },          /* gccgo's wrapper of a go statement: Go's tracebacks do not show it */
    { "__go_start_thread", NULL, NULL },
};

/* Whether a frame is runtime plumbing never shown (_start, start_thread, runtime.kickoff, ...). */
static int frames_is_plumbing(const struct lc_frame *f)
{
    for (size_t i = 0; i < sizeof plumbing / sizeof plumbing[0]; i++) {
        if (fnmatch(plumbing[i].func, f->func, 0) != 0)
            continue;
        if (plumbing[i].module && !(f->module && fnmatch(plumbing[i].module, f->module, 0) == 0))
            continue;
        if (!plumbing[i].file || (f->file && fnmatch(plumbing[i].file, f->file, 0) == 0))
            return 1;
    }
    return 0;
}

/* Source trees that are the toolchain's, not the program's: frames there are library plumbing. */
static const char *const system_src[] = { "/usr/include/*", "/usr/lib/gcc/*" };

/* Whether a frame is in the program's own sources. */
static int frames_is_program(const struct lc_frame *f)
{
    if (!f->file || symbolize_is_go_std(f))
        return 0;
    for (size_t i = 0; i < sizeof system_src / sizeof system_src[0]; i++)
        if (fnmatch(system_src[i], f->file, 0) == 0)
            return 0;
    return 1;
}

int frames_in_libgo(const char *module)
{
    return module && fnmatch("*libgo.so*", module, 0) == 0;
}

/* A function of the Go runtime's own package: gc's (by the executable's function table) or libgo's. */
static int go_runtime_frame(const struct lc_frame *f)
{
    if (!f->func || strncmp(f->func, "runtime.", 8) != 0)
        return 0;
    return symbolize_is_go_std(f) || frames_in_libgo(f->module) ||
           (f->file && fnmatch("*/libgo/go/runtime/*", f->file, 0) == 0);
}

/* All shown frames of id, innermost first, into out (LC_FRAMES_MAX of them). */
static int collect(stack_id id, struct lc_frame *out)
{
    const uintptr_t *pcs;
    int n = stack_get(id, &pcs), k = 0, seen_program = 0, last_program = -1;
    struct lc_frame inl[8];
    for (int i = 0; i < n && k < LC_FRAMES_MAX; i++) {
        if (symbolize_is_shim(pcs[i])) {
            if (seen_program)
                break;                 /* the trampoline: the rest is the thread library's */
            continue;
        }
        seen_program = 1;
        /* A library's plumbing (start_thread, __libc_start_main, runtime.kickoff...) is known by its symbol:
         * no DWARF read for it. The program's own code is looked at in full (what it inlined may be shown). */
        if (symbolize_library_symbol(pcs[i], &inl[0]) && frames_is_plumbing(&inl[0]))
            continue;
        int m = symbolize_inline(pcs[i], 0, inl, 8), j = 0;
        /* the standard library inlined into the program's first frame (a gc build's sync.(*Mutex).Lock) */
        while (k == 0 && j < m - 1 && symbolize_is_go_std(&inl[j]))
            j++;
        for (; j < m && k < LC_FRAMES_MAX; j++) {
            if (frames_is_plumbing(&inl[j]) || inl[j].wrapper)
                continue;
            if (frames_is_program(&inl[j]))
                last_program = k;
            out[k++] = inl[j];
        }
    }
    /* A goroutine parked in the runtime shows from its first frame outside package runtime, as a gc build's
     * stacks do (gccgo's: runtime.netpollblock above internal/poll.runtime_pollWait); one all in the runtime
     * keeps them all. */
    int top = 0;
    while (top < k && go_runtime_frame(&out[top]))
        top++;
    if (top < k && top > 0) {
        memmove(out, out + top, (size_t)(k - top) * sizeof *out);
        k -= top;
        last_program = last_program >= top ? last_program - top : -1;
    }
    /* outward of the program's last frame there is only thread-start plumbing (std::thread, libstdc++) */
    return last_program >= 0 ? last_program + 1 : k;
}

/* What collect() said of each stack lately: a report asks about the same few stacks once per task (grouping,
 * suppressions, the runtime's own goroutines, "created by"), 100,000 times for 100,000 goroutines of one go
 * statement. An entry is good while the depot holds the same pcs under its id and the symbolizer's strings
 * are those it was made with. */
#define MEMO 4096
static struct memo {
    stack_id id;
    unsigned gen;
    int npcs, n;
    uint64_t hash;                /* of the pcs */
    struct lc_frame *f;
} memo[MEMO];
static lc_lock_t memo_lock = LC_LOCK_INIT;

static int collect_memo(stack_id id, struct lc_frame *out)
{
    const uintptr_t *pcs;
    int npcs = stack_get(id, &pcs);
    unsigned gen = symbolize_generation();
    uint64_t h = 1469598103934665603ull;
    for (int i = 0; i < npcs; i++)
        h = (h ^ pcs[i]) * 1099511628211ull;
    struct memo *m = &memo[(id * 2654435761u) % MEMO];
    lc_lock(&memo_lock);
    if (id && m->id == id && m->gen == gen && m->npcs == npcs && m->hash == h) {
        int n = m->n;
        memcpy(out, m->f, (size_t)n * sizeof *out);
        lc_unlock(&memo_lock);
        return n;
    }
    lc_unlock(&memo_lock);
    int n = collect(id, out);
    struct lc_frame *copy = n > 0 ? malloc((size_t)n * sizeof *copy) : NULL;
    if (n > 0 && !copy)
        return n;
    if (copy)
        memcpy(copy, out, (size_t)n * sizeof *copy);
    lc_lock(&memo_lock);
    free(m->f);
    *m = (struct memo){ id, gen, npcs, n, h, copy };
    lc_unlock(&memo_lock);
    return n;
}

int frames_of(stack_id id, struct lc_frame *out, int max)
{
    struct lc_frame all[LC_FRAMES_MAX];
    int n = collect_memo(id, all);
    if (n > max)
        n = max;
    memcpy(out, all, (size_t)(n > 0 ? n : 0) * sizeof *out);
    return n;
}

int frames_top(stack_id id, struct lc_frame *out)
{
    if (frames_of(id, out, 1) == 1)
        return 1;
    *out = (struct lc_frame){ .func = "??" };
    return 0;
}

int frames_origin(stack_id id, struct lc_frame *out)
{
    struct lc_frame all[LC_FRAMES_MAX];
    int n = collect_memo(id, all);
    for (int i = 0; i < n; i++)
        if (frames_is_program(&all[i])) {
            *out = all[i];
            return 1;
        }
    if (n > 0) {
        *out = all[0];
        return 1;
    }
    *out = (struct lc_frame){ .func = "??" };
    return 0;
}
