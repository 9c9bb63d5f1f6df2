/* gccgo (libgo.so.21) from outside: the goroutines of libgo's own table (runtime.allgs), read while the process
 * is stopped, with the layout the gccgo family reads in the process (gccgo_layout.h). A goroutine that is not
 * running has its registers in the record runtime.mcall saved when it switched out (g.context): its stack is
 * unwound from there with the binaries' unwind tables (libunwind); one that runs is unwound from its
 * thread's registers. What the wrappers would have recorded — channels' make and close sites, a sync.Mutex's
 * holder — is not there to read. */
#include "attach.h"
#include "gc_mem.h"
#include "gccgo_layout.h"
#include "../report/symbolize.h"
#include "../runtime/chan.h"
#include "../runtime/lock.h"
#include "../runtime/snapshot.h"
#include "../runtime/task.h"
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_GOROUTINES (1u << 22)
#define NWAIT 64
#define G_READ (GO_G_CONTEXT + 8 + 0x40)  /* the part of a g record read: up to the saved registers' end */

struct at_gccgo {
    pid_t pid;
    struct gc_mem mem;
    uint64_t allgs, allglen, waits, nwaits;
    struct { uint64_t lo, hi; } rt[16];   /* the code of libgo and libc (and a preload of leakcheck's, whose
                                           * wrappers sit among them): the frames above the program's */
    int nrt;
    const char *wait[NWAIT];
    /* goroutines in a semaphore wait, with the runtime's frames above them: which sync call it is, once the
     * process runs again (naming frames takes longer than the stop should) */
    struct sema_wait { struct lc_task *t; int n; uintptr_t pcs[16]; } *sema;
    size_t nsema, capsema;
};

/* libgo's symbols, from its dynamic symbol table, relocated by its load address. */
static int lookup(const char *path, uint64_t base, struct at_gccgo *g, char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    Elf *elf = fd >= 0 && elf_version(EV_CURRENT) != EV_NONE ? elf_begin(fd, ELF_C_READ, NULL) : NULL;
    Elf_Scn *scn = NULL;
    while (elf && (scn = elf_nextscn(elf, scn)) != NULL) {
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_DYNSYM)
            continue;
        Elf_Data *d = elf_getdata(scn, NULL);
        for (size_t i = 0; d && sh.sh_entsize && i < sh.sh_size / sh.sh_entsize; i++) {
            GElf_Sym sym;
            const char *name = gelf_getsym(d, (int)i, &sym) ? elf_strptr(elf, sh.sh_link, sym.st_name) : NULL;
            if (!name || !sym.st_value)
                continue;
            if (strcmp(name, "runtime.allgs") == 0)
                g->allgs = base + sym.st_value;
            else if (strcmp(name, "runtime.allglen") == 0)
                g->allglen = base + sym.st_value;
            else if (strcmp(name, "runtime.waitReasonStrings") == 0)
                g->waits = base + sym.st_value, g->nwaits = sym.st_size / 16;
        }
    }
    if (elf)
        elf_end(elf);
    if (fd >= 0)
        close(fd);
    if (!g->allgs || !g->allglen) {
        snprintf(err, errlen, "%s: no runtime.allgs in its symbols (not libgo.so.21?)", path);
        return -1;
    }
    return 0;
}

static int runtime_code(uint64_t lo, uint64_t hi, uint64_t off, const char *perms, const char *path, void *arg)
{
    struct at_gccgo *g = arg;
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    (void)off;
    if (perms[2] == 'x' && g->nrt < 16 && (strncmp(base, "libgo.so", 8) == 0 || strncmp(base, "libc.so", 7) == 0 ||
                                           strcmp(path, "[vdso]") == 0 || at_shim_lib(path)))
        g->rt[g->nrt].lo = lo, g->rt[g->nrt++].hi = hi;
    return 0;
}

static int in_runtime(const struct at_gccgo *g, uintptr_t pc)
{
    for (int i = 0; i < g->nrt; i++)
        if (pc - 1 >= g->rt[i].lo && pc - 1 < g->rt[i].hi)
            return 1;
    return 0;
}

struct at_gccgo *at_gccgo_open(pid_t pid, const char *libgo, uint64_t libgo_base, char *err, size_t errlen)
{
    struct at_gccgo *g = calloc(1, sizeof *g);
    if (!g) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    g->pid = pid;
    const char *base = strrchr(libgo, '/') ? strrchr(libgo, '/') + 1 : libgo;
    if (strncmp(base, "libgo.so.21", 11) != 0 || (base[11] && base[11] != '.')) {
        snprintf(err, errlen, "%s: only libgo.so.21 (gccgo 12) is known; its goroutines cannot be read", libgo);
        free(g);
        return NULL;
    }
    if (lookup(libgo, libgo_base, g, err, errlen) != 0) {
        free(g);
        return NULL;
    }
    at_maps(pid, runtime_code, g);
    gc_mem_init(&g->mem, pid);
    snapshot_set_runtime("gccgo", NULL);
    for (uint64_t i = 0; i < g->nwaits && i < NWAIT; i++) {   /* Go's words for each wait reason */
        char text[64];
        uint64_t p = gc_read_uint(&g->mem, g->waits + 16 * i, 8, 0), n = gc_read_uint(&g->mem, g->waits + 16 * i + 8, 8, 0);
        if (p && n && n < sizeof text && gc_read(&g->mem, p, text, n) == 0) {
            text[n] = 0;
            g->wait[i] = strdup(text);   /* kept for the process lifetime: tasks point at it */
        }
    }
    return g;
}

/* ---- one goroutine ------------------------------------------------------------------------------------------ */

static uint64_t field(const uint8_t *rec, size_t off, size_t width)
{
    uint64_t v = 0;
    memcpy(&v, rec + off, width);
    return v;
}

/* The channel a goroutine parked on a channel operation waits with: the first case of its sudogs that has one. */
static uint64_t waited_chan(struct at_gccgo *g, uint64_t sudog)
{
    for (int k = 0; sudog && k < 64; k++) {
        uint64_t c = gc_read_uint(&g->mem, sudog + GO_SUDOG_C, 8, 0);
        if (c)
            return c;
        sudog = gc_read_uint(&g->mem, sudog + GO_SUDOG_WAITLINK, 8, 0);
    }
    return 0;
}

static void note_chan(struct at_gccgo *g, uint64_t c)
{
    struct lc_chan ch;
    if (chan_get(c, &ch))
        return;
    uint32_t cap = (uint32_t)gc_read_uint(&g->mem, c + GO_HCHAN_DATAQSIZ, 8, 0);
    uint32_t esz = (uint32_t)gc_read_uint(&g->mem, c + GO_HCHAN_ELEMSIZE, 2, 0);
    chan_new(LC_CH_GO, c, esz, cap, 0, 0);
    if (gc_read_uint(&g->mem, c + GO_HCHAN_CLOSED, 4, 0))
        chan_mark_closed(c, 0, 0, NULL);
}

static void read_one(struct at_gccgo *g, const struct at_proc *p, uint64_t gp, const uint8_t *rec, uint64_t now)
{
    uint32_t st = (uint32_t)field(rec, GO_G_STATUS, 4) & ~(uint32_t)GO_GSCAN;
    uint64_t goid = field(rec, GO_G_GOID, 8);
    struct lc_task *t = task_new(LC_GOROUTINE, gp, NULL, (void *)(uintptr_t)field(rec, GO_G_STARTPC, 8), 0);
    if (!t)
        return;
    t->id = goid;
    uintptr_t gopc = (uintptr_t)field(rec, GO_G_GOPC, 8);
    if (goid == 1)
        task_set_flag(t, LC_TF_MAIN, 1);
    else if (gopc)
        t->anc_stack[0] = stack_intern(&gopc, 1);
    if (field(rec, GO_G_SYSTEM, 1))
        task_set_flag(t, LC_TF_INTERNAL, 1);
    /* the stack: a running goroutine's from its thread, any other from the registers it saved */
    uintptr_t pcs[LC_MAX_FRAMES];
    int n = 0;
    if (st == GO_GRUNNING || st == GO_GSYSCALL) {
        pid_t tid = (pid_t)gc_read_uint(&g->mem, field(rec, GO_G_M, 8) + GO_M_PROCID, 8, 0);
        const struct at_thread *th = tid ? at_thread_of(p, tid) : NULL;
        t->tid = tid;
        n = th ? at_unwind(p->pid, th, NULL, pcs, LC_MAX_FRAMES) : 0;
    } else {
        size_t c = (GO_G_CONTEXT & ~(size_t)7);
        struct at_context ctx = { field(rec, c + GO_CTX_RIP, 8), field(rec, c + GO_CTX_RSP, 8),
                                  field(rec, c + GO_CTX_RBP, 8), field(rec, c + GO_CTX_RBX, 8),
                                  field(rec, c + GO_CTX_R12, 8), field(rec, c + GO_CTX_R13, 8),
                                  field(rec, c + GO_CTX_R14, 8), field(rec, c + GO_CTX_R15, 8) };
        n = ctx.pc && ctx.sp ? at_unwind(p->pid, NULL, &ctx, pcs, LC_MAX_FRAMES) : 0;
    }
    int top = 0;                          /* libgo's and libc's frames above the program's call */
    while (top < n - 1 && in_runtime(g, pcs[top]))
        top++;
    stack_id site = n ? stack_intern(pcs + top, n - top) : 0;
    unsigned reason = (unsigned)field(rec, GO_G_WAITREASON, 1);
    if (st != GO_GWAITING) {
        t->site = site;
        task_set_flag(t, LC_TF_AGE_UNKNOWN, 1);
        return;
    }
    const char *what = reason < NWAIT && g->wait[reason] ? g->wait[reason] : "park";
    if (strcmp(what, "semacquire") == 0 && top > 0) {
        if (g->nsema == g->capsema) {
            size_t cap = g->capsema ? 2 * g->capsema : 64;
            void *m = realloc(g->sema, cap * sizeof *g->sema);
            if (m)
                g->sema = m, g->capsema = cap;
        }
        if (g->nsema < g->capsema) {
            struct sema_wait *w = &g->sema[g->nsema++];
            w->t = t;
            w->n = top < 16 ? top : 16;
            memcpy(w->pcs, pcs, (size_t)w->n * sizeof *pcs);
        }
    }
    uint64_t c = strncmp(what, "chan ", 5) == 0 || strcmp(what, "select") == 0
                 ? waited_chan(g, field(rec, GO_G_WAITING, 8)) : 0;
    if (c)
        note_chan(g, c);
    int nil = strstr(what, "(nil chan)") != NULL || strcmp(what, "select (no cases)") == 0;
    task_block(t, what, c || nil ? LC_OBJ_CHAN : LC_OBJ_NONE, (const void *)(uintptr_t)c, site);
    int64_t since = (int64_t)field(rec, GO_G_WAITSINCE, 8);
    t->since_ns = since > 0 && (uint64_t)since <= now ? (uint64_t)since : 0;
    task_set_flag(t, LC_TF_AGE_UNKNOWN, t->since_ns == 0);
}

int at_gccgo_read(struct at_gccgo *g, const struct at_proc *p, char *err, size_t errlen)
{
    gc_mem_flush(&g->mem);
    g->mem.steady = 1;                    /* stopped: nothing changes under the walk */
    uint64_t n = gc_read_uint(&g->mem, g->allglen, 8, ~0ull), arr = gc_read_uint(&g->mem, g->allgs, 8, 0);
    uint64_t *gs = n < MAX_GOROUTINES && arr ? malloc(8 * (n ? n : 1)) : NULL;
    if (!gs || gc_read(&g->mem, arr, gs, 8 * n) != 0) {
        free(gs);
        snprintf(err, errlen, "cannot read libgo's goroutine table");
        return -1;
    }
    uint64_t now = lc_now_ns();
    enum { BATCH = 256 };
    uint8_t *rec = malloc(BATCH * G_READ), ok[BATCH];
    for (uint64_t i = 0; rec && i < n; i += BATCH) {    /* the g records, many per system call */
        size_t k = n - i < BATCH ? (size_t)(n - i) : BATCH;
        memset(ok, 0, sizeof ok);
        gc_read_many(&g->mem, gs + i, k, G_READ, rec, ok);
        for (size_t j = 0; j < k; j++) {
            uint32_t st = (uint32_t)field(rec + j * G_READ, GO_G_STATUS, 4) & ~(uint32_t)GO_GSCAN;
            if (ok[j] && gs[i + j] && st != 0 && st != GO_GDEAD)
                read_one(g, p, gs[i + j], rec + j * G_READ, now);
        }
    }
    free(rec);
    free(gs);
    g->mem.steady = 0;
    at_goroutines_in_syscalls(p);
    return 0;
}

/* The package sync call a semaphore wait is in, by the runtime's frames above the program's. */
static const struct { const char *frame, *what; enum lc_obj_kind kind; } sync_calls[] = {
    { "sync.RWMutex.RLock", "sync.RWMutex.RLock", LC_OBJ_RWLOCK },
    { "sync.(*RWMutex).RLock", "sync.RWMutex.RLock", LC_OBJ_RWLOCK },
    { "sync.RWMutex.Lock", "sync.RWMutex.Lock", LC_OBJ_RWLOCK },
    { "sync.(*RWMutex).Lock", "sync.RWMutex.Lock", LC_OBJ_RWLOCK },
    { "sync.Mutex.Lock", "sync.Mutex.Lock", LC_OBJ_MUTEX },
    { "sync.(*Mutex).Lock", "sync.Mutex.Lock", LC_OBJ_MUTEX },
    { "sync.WaitGroup.Wait", "sync.WaitGroup.Wait", LC_OBJ_WAITGROUP },
    { "sync.(*WaitGroup).Wait", "sync.WaitGroup.Wait", LC_OBJ_WAITGROUP },
};

void at_gccgo_name_waits(struct at_gccgo *g)
{
    for (size_t i = 0; i < g->nsema; i++) {
        const struct sema_wait *w = &g->sema[i];
        for (int k = 0; k < w->n; k++) {
            struct lc_frame f[8];
            int m = symbolize_inline(w->pcs[k], k == 0, f, 8);
            for (int j = 0; j < m; j++)
                for (size_t c = 0; c < sizeof sync_calls / sizeof sync_calls[0]; c++)
                    if (strcmp(f[j].func, sync_calls[c].frame) == 0) {
                        w->t->what = sync_calls[c].what;   /* the object itself is not known from here */
                        goto next;
                    }
        }
    next:;
    }
    g->nsema = 0;
}

void at_gccgo_close(struct at_gccgo *g)
{
    if (!g)
        return;
    gc_mem_close(&g->mem);
    free(g->sema);
    free(g);
}
