/* The stacks of a gc program's goroutines: unwound with the function table's frame sizes (pcsp), as Go's own
 * tracebacks do, each pc looked up once (the reader's pc cache), and the runtime's innermost frames told from
 * the program's (which sync call a goroutine is parked in, whether it is the runtime's own). */
#include "gc_goroutines.h"
#include "gc_stacks.h"
#include <stdlib.h>
#include <string.h>

/* ---- the pc cache and unwinding ------------------------------------------------------------------------- */

/* The cache entry of pc, looked up the first time (func and frame size only). */
static struct gc_pc_info *pc_info(struct gc_reader *r, uint64_t pc)
{
    static struct gc_pc_info none;
    if (!r->pcs && !(r->pcs = calloc(GC_PC_CACHE, sizeof *r->pcs)))
        return memset(&none, 0, sizeof none), &none;
    struct gc_pc_info *e = &r->pcs[(pc * 0x9e3779b97f4a7c15ull >> 50) & (GC_PC_CACHE - 1)];
    if (e->pc == pc)
        return e;
    struct lc_pcln_func fn;
    memset(e, 0, sizeof *e);
    e->pc = pc;
    e->spdelta = -1;
    if (pcln_func(&r->bin->pcln, pc, &fn)) {
        e->entry = fn.entry;
        e->spdelta = pcln_spdelta(&r->bin->pcln, &fn, pc);
    }
    return e;
}

int gc_unwind(struct gc_reader *r, uint64_t pc, uint64_t sp, uintptr_t *out, int max)
{
    int n = 0;
    for (int i = 0; n < max && i < max + 8; i++) {
        /* a return address belongs to the call before it (the call may be a function's last instruction) */
        const struct gc_pc_info *e = pc_info(r, i == 0 ? pc : pc - 1);
        if (!e->entry || e->entry == r->rt_goexit)
            break;                        /* not Go code; or the bottom of every goroutine */
        out[n++] = (uintptr_t)pc;
        int d = e->spdelta;
        if (d < 0 || e->entry == r->rt_mcall || e->entry == r->rt_morestack)
            break;
        uint64_t ra = gc_read_uint(r->mem, sp + (uint64_t)d, 8, 0);
        if (!ra)
            break;
        sp += (uint64_t)d + 8;
        pc = ra;
    }
    return n;
}

/* What the frames at a return address are: the program's own, the runtime's, sync's waits. */
static unsigned classify(struct gc_reader *r, uintptr_t ra)
{
    struct gc_pc_info *e = pc_info(r, ra - 1);
    if (e->flags & GC_PCF_CLASSIFIED)
        return e->flags;
    unsigned fl = GC_PCF_CLASSIFIED;
    struct lc_pcln_frame f[8];
    int m = pcln_frames(&r->bin->pcln, ra - 1, f, 8);
    for (int j = 0; j < m; j++) {
        const char *fn = f[j].func;
        if (strncmp(fn, "sync.(*Mutex).", 14) == 0)
            fl |= GC_PCF_MUTEX;
        else if (strcmp(fn, "sync.(*RWMutex).RLock") == 0)
            fl |= GC_PCF_RWR;
        else if (strcmp(fn, "sync.(*RWMutex).Lock") == 0)
            fl |= GC_PCF_RWW;
        else if (strcmp(fn, "sync.(*WaitGroup).Wait") == 0)
            fl |= GC_PCF_WG;
        if (strncmp(fn, "runtime.", 8) != 0)
            fl |= GC_PCF_NONRT;
        if (!gc_is_std(r, fn, f[j].file))
            fl |= GC_PCF_USER;
    }
    e->flags = (uint16_t)fl;
    return fl;
}

/* Frames of the runtime and the standard library at the top of the stack: the program's call is below them. */
int gc_runtime_top(struct gc_reader *r, const uintptr_t *pcs, int n, unsigned *sync)
{
    int top_user = -1, top_nonrt = -1;
    *sync = 0;
    for (int i = 0; i < n && top_user < 0; i++) {
        unsigned fl = classify(r, pcs[i]);
        *sync |= fl & (GC_PCF_MUTEX | GC_PCF_RWR | GC_PCF_RWW | GC_PCF_WG);
        if (top_nonrt < 0 && (fl & GC_PCF_NONRT))
            top_nonrt = i;
        if (fl & GC_PCF_USER)
            top_user = i;
    }
    return top_user >= 0 ? top_user : top_nonrt >= 0 ? top_nonrt : 0;
}

/* Go's isSystemGoroutine rule: started in package runtime, but for runtime.main (and the runtime's signal
 * handling goroutine). */
int gc_is_system_start(struct gc_reader *r, uint64_t startpc)
{
    struct gc_pc_info *e = pc_info(r, startpc);
    if (!(e->flags & GC_PCF_SYSTEM_KNOWN)) {
        struct lc_pcln_func fn;
        const char *name = pcln_func(&r->bin->pcln, startpc, &fn) ? pcln_name(&r->bin->pcln, &fn) : "";
        int sys = strncmp(name, "runtime.", 8) == 0 && fn.entry != r->rt_main &&
                  strcmp(name, "runtime.handleAsyncEvent") != 0;
        e->flags |= GC_PCF_SYSTEM_KNOWN | (sys ? GC_PCF_SYSTEM : 0);
    }
    return (e->flags & GC_PCF_SYSTEM) != 0;
}
