/* Code that runs on the Go runtime's threads (see gc_hooks.h): raw system calls and plain loads and stores only.
 * Built with -fno-stack-protector (the canary lives in glibc's TLS); tests/check_gc_hooks.sh checks the object
 * for any %fs access but the runtime's g and for calls outside it.
 *
 * The exit hook. runtime.exit (12 bytes: load the code, exit_group, ret) is patched to jump here; every way a Go
 * program ends passes through it: main returning, os.Exit, log.Fatal, an unrecovered panic, a fatal error. The
 * first goroutine to arrive owns the exit: it asks the shim's thread for the verdict and waits for the status
 * to leave with. An exit from an ordinary goroutine first gives its P back as a blocking system call would
 * (runtime.entersyscallblock, entered as if runtime.exit had called it, so that the goroutine's stack reads as
 * runtime.exit to Go's own unwinder and garbage collector), so that the other goroutines can run, finish, and
 * be collected during the grace period whatever GOMAXPROCS is; an exit from the system stack (a panic, a fatal
 * error) or from inside the runtime just waits. Others arriving meanwhile wait for the owner's status. */
#include "gc_hooks.h"
#include "gc_raw.h"
#include <ucontext.h>

struct gc_ctl gc_ctl;

/* For the assembly below. */
uint64_t lc_gc_exit_owner_word;           /* the owning g (or 1 before the runtime has one) */
volatile int32_t lc_gc_exit_done;         /* futex word: 1 once lc_gc_exit_status is final */
volatile int32_t lc_gc_exit_status;
volatile int32_t lc_gc_late_code;         /* the first non-zero code of another goroutine's exit meanwhile */
uint64_t lc_gc_yield_ret, lc_gc_yield_fn;
int64_t lc_gc_tls_g = -8;
#define EXIT_STACK (64 * 1024)
char lc_gc_exit_stack[EXIT_STACK] __attribute__((aligned(16)));

int lc_gc_exit_step(uint64_t go_sp);

__asm__(
    ".text\n"
    ".globl lc_gc_exit_tramp\n"
    ".hidden lc_gc_exit_tramp\n"
    ".type lc_gc_exit_tramp, @function\n"
    "lc_gc_exit_tramp:\n"
    "    movq lc_gc_tls_g(%rip), %rax\n"
    "    movq %fs:(%rax), %rcx\n"              /* the running g */
    "    testq %rcx, %rcx\n"
    "    jnz 1f\n"
    "    movq $1, %rcx\n"
    "1:  xorl %eax, %eax\n"
    "    lock cmpxchgq %rcx, lc_gc_exit_owner_word(%rip)\n"
    "    je 3f\n"                              /* first: ours */
    "    cmpq %rcx, %rax\n"
    "    je 3f\n"                              /* ours, back from a yield */
    "    movl 8(%rsp), %edx\n"                 /* someone else's exit: remember a failing code, wait */
    "    xorl %eax, %eax\n"
    "    lock cmpxchgl %edx, lc_gc_late_code(%rip)\n"
    "2:  movl $202, %eax\n"
    "    leaq lc_gc_exit_done(%rip), %rdi\n"
    "    movl $128, %esi\n"                    /* FUTEX_WAIT_PRIVATE while the word is 0 */
    "    xorl %edx, %edx\n"
    "    xorl %r10d, %r10d\n"
    "    syscall\n"
    "    movl lc_gc_exit_done(%rip), %eax\n"
    "    testl %eax, %eax\n"
    "    jz 2b\n"
    "    jmp 4f\n"
    "3:  movq %rsp, %r12\n"                    /* callee-saved in C: the Go stack pointer */
    "    movq %rsp, %rdi\n"
    "    leaq lc_gc_exit_stack+65536(%rip), %rsp\n"
    "    call lc_gc_exit_step\n"
    "    movq %r12, %rsp\n"
    "    testl %eax, %eax\n"
    "    jz 4f\n"
    "    pushq lc_gc_yield_ret(%rip)\n"        /* as if runtime.exit had called entersyscallblock */
    "    xorps %xmm15, %xmm15\n"               /* Go's zero register */
    "    jmp *lc_gc_yield_fn(%rip)\n"
    "4:  movl lc_gc_exit_status(%rip), %edi\n"
    "    movl $231, %eax\n"
    "    syscall\n"
    "    ud2\n"
    ".size lc_gc_exit_tramp, .-lc_gc_exit_tramp\n");


void lc_gc_request(uint32_t bit)
{
    __atomic_or_fetch(&gc_ctl.pending, bit, __ATOMIC_SEQ_CST);
    __atomic_add_fetch(&gc_ctl.seq, 1, __ATOMIC_SEQ_CST);
    gc_futex_wake(&gc_ctl.seq);
}

static uint64_t running_g(void)
{
    uint64_t g;
    __asm__ volatile("movq %%fs:(%1), %0" : "=r"(g) : "r"(lc_gc_tls_g));
    return g;
}

static void finish(int32_t status)
{
    lc_gc_exit_status = status;
    __atomic_store_n(&lc_gc_exit_done, 1, __ATOMIC_SEQ_CST);
    gc_futex_wake(&lc_gc_exit_done);
}

#define EXIT_BOUND_NS 15000000000ull      /* an exit never waits longer for its report */

/* Called on the exit stack by the owner of the exit. Returns 1 to give the P back first (then come back here),
 * 0 to leave now with lc_gc_exit_status. */
__attribute__((used)) int lc_gc_exit_step(uint64_t go_sp)
{
    struct gc_ctl *c = &gc_ctl;
    if (c->disabled && c->exit_state == GC_EXIT_NONE) {
        finish((int32_t)load32(go_sp + 8));
        return 0;
    }
    if (c->exit_state == GC_EXIT_NONE) {
        int32_t code = (int32_t)load32(go_sp + 8);
        c->exit_code = code;
        c->exit_since = gc_now_ns();
        /* which goroutine is leaving, and whether it stands on the system stack (g0, the signal stack) or
         * inside the runtime (locks held, a panic in progress): then it must not yield */
        uint64_t g = running_g(), m = g && c->off_g_m >= 0 ? load64(g + (uint64_t)c->off_g_m) : 0;
        int fatal = 1;
        uint64_t exiting = g;
        if (m) {
            uint64_t g0 = load64(m + (uint64_t)c->off_m_g0), gsig = load64(m + (uint64_t)c->off_m_gsignal);
            int locks = c->off_m_locks >= 0 ? (int)load32(m + (uint64_t)c->off_m_locks) : 1;
            int panicking = c->panicking ? load32(c->panicking) != 0 : 0;
            if (g == g0 || g == gsig)
                exiting = load64(m + (uint64_t)c->off_m_curg);
            fatal = g == g0 || g == gsig || locks != 0 || panicking || !c->release_fn;
        }
        c->exit_fatal = fatal;
        c->exit_g = exiting;
        c->exit_owner = g;
        if (!c->thread_up) {
            finish(code);
            return 0;
        }
        __atomic_store_n(&c->exit_state, GC_EXIT_ASKED, __ATOMIC_SEQ_CST);
        lc_gc_request(GC_REQ_EXIT);
    }
    for (;;) {
        if (__atomic_load_n(&c->exit_state, __ATOMIC_SEQ_CST) == GC_EXIT_DONE) {
            finish(c->exit_status);
            return 0;
        }
        if (gc_now_ns() - c->exit_since > EXIT_BOUND_NS) {
            finish(c->exit_code);         /* the report did not come: leave as the program asked */
            return 0;
        }
        if (!c->exit_fatal && !c->exit_released) {
            c->exit_released = 1;
            return 1;
        }
        gc_futex_wait(&c->exit_state, GC_EXIT_ASKED, 50000000);
    }
}

/* ---- signals ---------------------------------------------------------------------------------------------- */

#define FATAL_WAIT_NS 4000000000ull       /* a fatal signal's report never holds the death up longer */

void lc_gc_fatal_handler(int sig, siginfo_t *info, void *uc)
{
    (void)info, (void)uc;
    struct gc_ctl *c = &gc_ctl;
    if (!c->thread_up || __atomic_exchange_n(&c->fatal_sig, sig, __ATOMIC_SEQ_CST) != 0)
        return;                           /* no thread to report, or already reported: Go dies as it would */
    int32_t before = __atomic_load_n(&c->fatal_done, __ATOMIC_SEQ_CST);
    lc_gc_request(GC_REQ_FATAL);
    uint64_t end = gc_now_ns() + FATAL_WAIT_NS;
    while (__atomic_load_n(&c->fatal_done, __ATOMIC_SEQ_CST) == before && gc_now_ns() < end)
        gc_futex_wait(&c->fatal_done, before, 50000000);
}

/* Go installs its handler on every signal as its main thread starts, after the constructor: as soon as it has
 * (seen at the next goroutine spawn, gc_recorders.c), ours goes in front, with Go's flags, mask and restorer. */
void lc_gc_dump_install(void)
{
    struct gc_ctl *c = &gc_ctl;
    if (c->dump_ready || !c->dump_sig || __atomic_add_fetch(&c->dump_tries, 1, __ATOMIC_RELAXED) > 64)
        return;                           /* done, off, or the program keeps the signal to itself */
    struct gc_ksigaction cur;
    if (gc_sys6(GC_SYS_rt_sigaction, c->dump_sig, 0, (long)&cur, 8, 0, 0) != 0)
        return;
    if (cur.handler == (uint64_t)(uintptr_t)lc_gc_dump_handler) {
        c->dump_ready = 1;
        return;
    }
    if (cur.handler <= 1 || !(cur.flags & SA_SIGINFO))
        return;                           /* SIG_DFL or SIG_IGN: not Go's yet, or the program decided */
    c->dump_prev.sa_sigaction = (void (*)(int, siginfo_t *, void *))(uintptr_t)cur.handler;
    c->dump_prev.sa_flags = (int)cur.flags;
    struct gc_ksigaction ours = cur;
    ours.handler = (uint64_t)(uintptr_t)lc_gc_dump_handler;
    if (gc_sys6(GC_SYS_rt_sigaction, c->dump_sig, (long)&ours, 0, 8, 0, 0) == 0)
        c->dump_ready = 1;
}

void lc_gc_dump_handler(int sig, siginfo_t *info, void *uc)
{
    struct gc_ctl *c = &gc_ctl;
    uint64_t word = 4 * (uint64_t)(sig / 32), bit = 1u << (sig % 32);
    int programs = c->sig_wanted && ((load32(c->sig_wanted + word) | load32(c->sig_ignored + word)) & bit);
    if (!programs)
        lc_gc_request(GC_REQ_DUMP);
    const struct sigaction *p = &c->dump_prev;
    if (p->sa_flags & SA_SIGINFO)
        p->sa_sigaction(sig, info, uc);
    else if (p->sa_handler != SIG_DFL && p->sa_handler != SIG_IGN)
        p->sa_handler(sig);
}

/* ---- sampling running goroutines -------------------------------------------------------------------------- */

struct gc_sampling gc_sampling;
#define SAMPLE_HOLD_NS 300000000ull        /* a sampled thread waits at most this long to be let go */

void lc_gc_sample_handler(int sig, siginfo_t *info, void *ucv)
{
    (void)sig, (void)info;
    struct gc_sampling *s = &gc_sampling;
    int32_t tid = (int32_t)gc_sys6(GC_SYS_gettid, 0, 0, 0, 0, 0, 0);
    const ucontext_t *uc = ucv;
    for (int i = 0; i < s->n; i++) {
        struct gc_sample *e = &s->slot[i];
        if (e->tid != tid || e->done)
            continue;
        e->pc = (uint64_t)uc->uc_mcontext.gregs[REG_RIP];
        e->sp = (uint64_t)uc->uc_mcontext.gregs[REG_RSP];
        e->bp = (uint64_t)uc->uc_mcontext.gregs[REG_RBP];
        __atomic_store_n(&e->done, 1, __ATOMIC_RELEASE);
        __atomic_add_fetch(&s->arrived, 1, __ATOMIC_SEQ_CST);
        gc_futex_wake(&s->arrived);
        uint64_t end = gc_now_ns() + SAMPLE_HOLD_NS;
        while (!__atomic_load_n(&s->release, __ATOMIC_ACQUIRE) && gc_now_ns() < end)
            gc_futex_wait(&s->release, 0, 20000000);
        return;
    }
}
