/* What runs on Go's own threads in a gc-built program: the exit hook (runtime.exit) and the signal handlers.
 * None of it may touch libc, thread-local storage or the stack protector (see gc_raw.h); it only hands work to
 * the shim's thread through gc_ctl and waits, bounded, for the answer. gc_family.c sets gc_ctl up at start. */
#ifndef LC_GC_HOOKS_H
#define LC_GC_HOOKS_H
#include <signal.h>
#include <stdint.h>

enum { GC_REQ_EXIT = 1, GC_REQ_DUMP = 2, GC_REQ_FATAL = 4 };
enum { GC_EXIT_NONE = 0, GC_EXIT_ASKED, GC_EXIT_DONE };

struct gc_ctl {
    /* requests to the shim's thread: a bit in pending, then seq bumped and woken */
    volatile int32_t seq;
    volatile uint32_t pending;
    /* the exit in progress */
    volatile int32_t exit_state;          /* GC_EXIT_* (futex word) */
    volatile int32_t exit_code;           /* what the program asked for */
    volatile int32_t exit_status;         /* what to leave with, once GC_EXIT_DONE */
    volatile int32_t exit_fatal;          /* from the system stack (panic, fatal error): the caller cannot yield */
    volatile int32_t exit_released;       /* the exiting goroutine gave its P back */
    volatile uint64_t exit_owner;         /* the g whose exit is being reported */
    volatile uint64_t exit_g;             /* the goroutine that exits (the panicking one for a fatal exit) */
    volatile uint64_t exit_since;         /* when asked (ns, CLOCK_MONOTONIC) */
    /* a fatal signal being reported */
    volatile int32_t fatal_sig;
    volatile int32_t fatal_done;          /* futex word: bumped when its report is written */
    volatile int32_t disabled;            /* the family turned itself off: hooks return at once, exits are plain */
    /* set once at start, read-only afterwards */
    int thread_up;                        /* the shim's thread runs */
    uint64_t exit_fn;                     /* runtime.exit: the fake return address of a yield is exit_fn + 1 */
    uint64_t release_fn;                  /* runtime.entersyscallblock: how the exiting goroutine lets go of its P */
    int32_t tls_g;                        /* offset of the runtime's g from the thread pointer */
    int32_t off_g_m, off_m_g0, off_m_gsignal, off_m_curg, off_m_locks;
    int32_t off_g_goid, off_g_stack_lo, off_g_stack_hi, off_g_sched_bp, off_g_sched_pc, off_hchan_closed;
    int32_t off_type_kind;
    uint64_t panicking;                   /* runtime.panicking (uint32), 0 when unknown */
    uint64_t sig_wanted, sig_ignored;     /* runtime.sig's bit arrays (uint32 per 32 signals), 0 when unknown */
    struct sigaction dump_prev;           /* the handler the dump handler forwards to (Go's) */
    int dump_sig;
    volatile int32_t dump_ready;          /* the dump handler is in front of Go's */
    volatile int32_t dump_tries;
};

extern struct gc_ctl gc_ctl;

/* The code runtime.exit jumps to once patched (the hook owns the process's exit from then on). */
void lc_gc_exit_tramp(void);
/* Handler for the fatal signals, installed before the Go runtime starts: Go calls it (its fwdSig) just
 * before it dies of a signal nobody asked for. It asks for the report, waits for it, and returns. */
void lc_gc_fatal_handler(int sig, siginfo_t *info, void *uc);
/* Handler for the dump signal, put in front of Go's once Go has installed its own: asks for a live report,
 * then passes the signal on to Go's handler (the program's own signal.Notify keeps working). While the program
 * catches or ignores the signal itself (os/signal's Notify or Ignore), it is the program's: no report. */
void lc_gc_dump_handler(int sig, siginfo_t *info, void *uc);
/* Sampling the threads that run goroutines (their g.sched is stale while they run): the shim's thread sends
 * each one the sample signal; the handler stores the interrupted registers in its slot and waits there,
 * bounded, until the shim's thread has read the goroutines (so that the picture is of one moment). */
#define GC_SAMPLE_MAX 256
struct gc_sample {
    volatile int32_t tid;                 /* the thread asked (0: free slot) */
    volatile int32_t done;                /* set by the handler once pc/sp/bp are stored */
    uint64_t pc, sp, bp;
};
struct gc_sampling {
    struct gc_sample slot[GC_SAMPLE_MAX];
    int n;
    volatile int32_t arrived;             /* futex word: handlers that stored their registers */
    volatile int32_t release;             /* futex word: 1 once the threads may go on */
};
extern struct gc_sampling gc_sampling;
void lc_gc_sample_handler(int sig, siginfo_t *info, void *uc);

/* Put the dump handler in front of Go's, once Go has installed its own (raw system calls: any thread). */
void lc_gc_dump_install(void);
/* Ask the shim's thread for work (any thread; async-signal-safe). */
void lc_gc_request(uint32_t bit);

/* An entry or return hook on a runtime function. The stub gc_patch.c writes near the site loads the hook's
 * address into r13 and jumps to lc_gc_entry_tramp or lc_gc_ret_tramp, which save the argument (or result)
 * registers, call fn on a stack of the runtime's own (g0's), restore them and go on where the site would have:
 * resume for an entry hook, the caller for a return hook. regs: rax rbx rcx rdi rsi r8 r9 r10 r11 rbp r14;
 * regs[GC_R_SP] is the stack pointer at the site (the return address is at it). */
enum { GC_R_AX, GC_R_BX, GC_R_CX, GC_R_DI, GC_R_SI, GC_R_8, GC_R_9, GC_R_10, GC_R_11, GC_R_BP, GC_R_G, GC_R_SP };
struct gc_hook {
    void (*fn)(struct gc_hook *h, uint64_t *regs);    /* offset 0: the trampolines call it */
    uint64_t resume;                                   /* offset 8: an entry hook's continuation */
};
void lc_gc_entry_tramp(void);
void lc_gc_ret_tramp(void);
/* The hooks (gc_family.c patches them in). */
extern struct gc_hook lc_gc_hook_newproc_out, lc_gc_hook_makechan_out,
    lc_gc_hook_closechan_in, lc_gc_hook_gopanic_in, lc_gc_hook_fatal_in;
#endif
