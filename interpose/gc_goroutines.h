/* The goroutines of a gc-built Go process, read from the runtime's own tables (allgs, the sudogs a goroutine
 * waits on, the semaphore table): status, Go's wait reason, how long, the stack (unwound with the function
 * table's frame sizes, as Go's tracebacks do), the channel or sync object, the go statement that made it. */
#ifndef LC_GC_GOROUTINES_H
#define LC_GC_GOROUTINES_H
#include "gc_binary.h"
#include "gc_mem.h"
#include "../runtime/stack.h"

enum gc_state { GS_RUNNABLE, GS_RUNNING, GS_SYSCALL, GS_WAITING, GS_OTHER };
enum gc_obj { GO_NONE, GO_CHAN, GO_MUTEX, GO_RWMUTEX, GO_WAITGROUP, GO_SEMA, GO_COND };

struct gc_goroutine {
    uint64_t g, goid, parent_goid;
    enum gc_state state;
    const char *what;         /* Go's wait reason (refined for sync: "sync.Mutex.Lock"), NULL unless waiting */
    enum gc_wait wclass;
    int64_t waitsince;        /* nanotime() when it began to wait, 0 when unknown */
    uint8_t runs;             /* times it stopped running, mod 256 (g.trackingSeq, Go 1.17 on; else 0) */
    uint64_t gopc, startpc;
    int system;               /* one of the runtime's own goroutines (Go's isSystemGoroutine rule) */
    /* what it waits on */
    enum gc_obj obj_kind;
    uint64_t obj;             /* hchan, or the sync object */
    int chan_nil, chan_closed;
    uint32_t chan_cap, chan_elemsize;
    /* the stack: return addresses (frame 0 is the resume pc), the first `top` of them the runtime's */
    uintptr_t pcs[LC_MAX_FRAMES];
    int npcs, top;
    pid_t tid;                /* thread running it (running or in a system call), 0 otherwise */
};

/* Registers of a thread that runs a goroutine now (its g.sched is stale): filled by the caller when it can
 * stop threads (attach), else NULL. Returns 0 with pc/sp set. */
typedef int (*gc_regs_fn)(pid_t tid, uint64_t *pc, uint64_t *sp, void *arg);

/* What the reader keeps of each pc it has met (the same few appear in every goroutine's stack). */
#define GC_PC_CACHE (1u << 14)
struct gc_pc_info {
    uint64_t pc;                  /* the pc looked up (0: free) */
    uint64_t entry;               /* its function's entry, 0 when in no function */
    int32_t spdelta;              /* frame size there, -1 unknown */
    uint16_t flags;               /* GC_PCF_* */
};
enum { GC_PCF_USER = 1, GC_PCF_NONRT = 2, GC_PCF_MUTEX = 4, GC_PCF_RWR = 8, GC_PCF_RWW = 16, GC_PCF_WG = 32,
       GC_PCF_CLASSIFIED = 64, GC_PCF_SYSTEM_KNOWN = 128, GC_PCF_SYSTEM = 256 };

struct gc_reader {
    const struct gc_bin *bin;
    struct gc_mem *mem;
    const char *wait[GC_NWAIT];   /* the binary's own wait reason texts (interned), by number */
    char goroot[256];             /* GOROOT/src/ as the function table names it ("" with -trimpath) */
    uint64_t rt_goexit, rt_main, rt_mcall, rt_morestack;
    gc_regs_fn regs;
    void *regs_arg;
    uint64_t on_system_stack;     /* a running goroutine whose g.sched is valid (it is in a fatal exit) */
    const volatile uint32_t *stop;   /* a walk gives up (returns -1) once this is non-zero (NULL: never) */
    /* within one batch of a walk: objects read with the batch's g records, in a few system calls */
    uint64_t pre_addr;            /* the goroutine's first sudog, read ahead */
    const uint8_t *pre;
    size_t pre_len;
    uint64_t prec_addr;           /* that sudog's channel, read ahead */
    const uint8_t *prec;
    size_t prec_len;
    struct gc_pc_info *pcs;       /* GC_PC_CACHE entries, allocated on first use */
    uint64_t notify[64];          /* the channels os/signal delivers to, read with each walk */
    size_t nnotify;
    /* without os/signal's table (a stripped binary): channels of os.Signal stand for them */
    uint64_t types_lo, types_hi;  /* the module's type data */
    uint64_t type_seen[16];       /* element types looked at, and whether each is os.Signal */
    uint8_t type_is_signal[16];
    uint64_t last_chan;           /* the last channel looked at (many goroutines wait on one) */
    int last_is_signal;
};

/* Set up a reader over bin and mem. Returns 0, or -1 with a one-line reason. */
int gc_reader_init(struct gc_reader *r, const struct gc_bin *bin, struct gc_mem *mem, char *err, size_t errlen);
void gc_reader_free(struct gc_reader *r);
/* Call fn for every live goroutine (not dead, not idle). Returns how many, or -1 when the table could not be
 * read. Reads are best effort: the program runs on while it is read. */
int gc_walk(struct gc_reader *r, void (*fn)(const struct gc_goroutine *, void *), void *arg);
/* How many goroutine records the runtime has now (its allgs: live and dead ones), 0 when unknown. */
uint64_t gc_walk_count(struct gc_reader *r);
/* Whether os/signal delivers to channel c, as the last walk read it (a select on one waits on it). */
int gc_notified(const struct gc_reader *r, uint64_t c);
/* Call fn for every thread (M) of the runtime: its kernel tid and the goroutine it runs (0 when none, or when
 * that goroutine is not running Go code). Returns how many, -1 when the list cannot be read. */
int gc_threads(struct gc_reader *r, void (*fn)(pid_t tid, uint64_t curg, void *arg), void *arg);
/* Whether o, read by a walk as waiting on nil channels only (chan_nil), still does, read afresh three times
 * 0.2 ms apart: a walk's copies of a g and of its sudogs are not of one instant, and a select woken meanwhile
 * has given its sudogs back with their channels cleared. 0 when it is not so, or cannot be told. */
int gc_nil_wait_confirmed(struct gc_reader *r, const struct gc_goroutine *o);
/* Unwind from pc/sp into out (frame 0 = pc); returns how many frames. */
int gc_unwind(struct gc_reader *r, uint64_t pc, uint64_t sp, uintptr_t *out, int max);
/* Whether a function (Go name) or file belongs to the Go distribution's own packages. */
int gc_is_std(const struct gc_reader *r, const char *func, const char *file);
#endif
