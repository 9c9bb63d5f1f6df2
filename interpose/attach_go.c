/* gc-built Go from outside: the executable is read before the stop (gc_binary.c), the goroutines during it
 * (gc_goroutines.c through gc_tasks.c, one walk), the stacks of the goroutines that run on a thread from that
 * thread's registers, exact since it is stopped. */
#include "attach.h"
#include "gc_tasks.h"
#include "../report/symbolize.h"
#include "../runtime/lock.h"
#include "../runtime/snapshot.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct at_go {
    struct gc_bin bin;
    struct gc_mem mem;
    struct gc_reader reader;
    struct gc_tasks tasks;
    const struct at_proc *proc;
};

struct at_go *at_go_open(pid_t pid, const char *exe, const char *name, char *err, size_t errlen)
{
    struct at_go *g = calloc(1, sizeof *g);
    uint64_t bias = 0;
    char why[256] = "";
    if (!g) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    if (gc_load_bias(pid, exe, &bias) != 0) {
        snprintf(err, errlen, "cannot read the load address of %s (/proc/%d/auxv)", name, (int)pid);
        free(g);
        return NULL;
    }
    if (gc_bin_open(&g->bin, exe, bias, why, sizeof why) != 0) {
        snprintf(err, errlen, "%s: %s", name, why);
        free(g);
        return NULL;
    }
    snprintf(g->bin.path, sizeof g->bin.path, "%s", name);
    gc_mem_init(&g->mem, pid);
    if (gc_reader_init(&g->reader, &g->bin, &g->mem, why, sizeof why) != 0) {
        snprintf(err, errlen, "%s: %s", name, why);
        gc_mem_close(&g->mem);
        gc_bin_close(&g->bin);
        free(g);
        return NULL;
    }
    g->tasks = (struct gc_tasks){ .bin = &g->bin, .mem = &g->mem, .reader = &g->reader, .one_walk = 1 };
    symbolize_add_go(&g->bin.pcln, g->bin.path, g->reader.goroot);
    snapshot_set_runtime("gc", g->bin.version);
    return g;
}

/* The registers of a stopped thread that runs a goroutine. */
static int thread_regs(pid_t tid, uint64_t *pc, uint64_t *sp, void *arg)
{
    const struct at_go *g = arg;
    const struct at_thread *t = at_thread_of(g->proc, tid);
    if (!t || !t->have_regs)
        return -1;
    *pc = t->regs.rip;
    *sp = t->regs.rsp;
    return 0;
}

struct find_g { pid_t tid; uint64_t g; };

static void thread_g(pid_t tid, uint64_t curg, void *arg)
{
    struct find_g *f = arg;
    if (tid == f->tid)
        f->g = curg;
}

int at_go_read(struct at_go *g, const struct at_proc *p, pid_t exiting_tid, char *err, size_t errlen)
{
    g->proc = p;
    g->reader.regs = thread_regs;
    g->reader.regs_arg = g;
    struct find_g ex = { exiting_tid, 0 };
    if (exiting_tid)
        gc_threads(&g->reader, thread_g, &ex);   /* the goroutine that called exit, on that thread */
    g->tasks.prev_walk_ns = g->tasks.last_walk_ns;      /* 0 before the first reading */
    g->tasks.last_walk_ns = g->tasks.last_file_ns = lc_now_ns();
    g->mem.steady = 1;                    /* stopped: nothing changes under the walk */
    int n = gc_tasks_sync(&g->tasks, ex.g, GC_SYNC_FILE);
    g->reader.regs = NULL;
    g->mem.steady = 0;
    if (n >= 0)
        at_goroutines_in_syscalls(p);
    if (n < 0) {
        snprintf(err, errlen, "%s: cannot read the Go runtime's goroutine table", g->bin.path);
        return -1;
    }
    return 0;
}

int at_go_signal_own(struct at_go *g, int sig)
{
    /* var sig struct { note; mask, wanted, ignored, recv [3]uint32; ... }: 72 bytes at Go 1.19's _NSIG 65 */
    if (!g->bin.sig || g->bin.sig_size != 72 || sig <= 0 || sig >= 65)
        return -1;
    uint64_t word = (uint64_t)(sig / 32) * 4;
    uint32_t wanted, ignored;
    if (gc_read_fresh(&g->mem, g->bin.sig + 8 + 12 + word, &wanted, sizeof wanted) != 0 ||
        gc_read_fresh(&g->mem, g->bin.sig + 8 + 24 + word, &ignored, sizeof ignored) != 0)
        return -1;
    return ((wanted | ignored) >> (sig % 32)) & 1;
}

void at_go_close(struct at_go *g)
{
    if (!g)
        return;
    gc_reader_free(&g->reader);
    gc_mem_close(&g->mem);
    /* the executable stays mapped: the symbolizer reads its function table until the process ends */
    free(g);
}
