/* Stacks of another process through libunwind's remote unwinder. libunwind's ptrace support finds each
 * frame's unwind table (the module's .eh_frame_hdr, from /proc/PID/maps and the file); the memory it walks
 * is read here: from the copy of the thread's stack made while the process was stopped when there is one
 * (so that it can be unwound after the process runs again), else from the process (its code and tables do
 * not change, and a goroutine's stack does not while the process is stopped). The first frame's registers
 * are the thread's, or a saved context's. */
#include "attach.h"
#include "gc_mem.h"
#include <libunwind-ptrace.h>
#include <string.h>

static struct {
    pid_t pid;
    void *upt;                    /* libunwind's ptrace support: its tables, cached from one unwind to the next */
    struct gc_mem mem;
    const struct at_thread *t;    /* the unwind in progress: its thread, */
    const struct at_context *ctx; /* or the saved registers it starts from */
} view;

static int view_access_mem(unw_addr_space_t as, unw_word_t addr, unw_word_t *val, int write, void *arg)
{
    (void)as, (void)arg;
    const struct at_thread *t = view.t;
    if (write)
        return -UNW_EINVAL;
    if (t && t->stack && addr >= t->stack_lo && addr + sizeof *val <= t->stack_lo + t->stack_len) {
        memcpy(val, t->stack + (addr - t->stack_lo), sizeof *val);
        return 0;
    }
    return gc_read(&view.mem, addr, val, sizeof *val) == 0 ? 0 : -UNW_EINVAL;
}

static int reg_of(const struct user_regs_struct *r, unw_regnum_t reg, unw_word_t *val)
{
    switch (reg) {
    case UNW_X86_64_RAX: *val = r->rax; return 0;
    case UNW_X86_64_RDX: *val = r->rdx; return 0;
    case UNW_X86_64_RCX: *val = r->rcx; return 0;
    case UNW_X86_64_RBX: *val = r->rbx; return 0;
    case UNW_X86_64_RSI: *val = r->rsi; return 0;
    case UNW_X86_64_RDI: *val = r->rdi; return 0;
    case UNW_X86_64_RBP: *val = r->rbp; return 0;
    case UNW_X86_64_RSP: *val = r->rsp; return 0;
    case UNW_X86_64_R8: *val = r->r8; return 0;
    case UNW_X86_64_R9: *val = r->r9; return 0;
    case UNW_X86_64_R10: *val = r->r10; return 0;
    case UNW_X86_64_R11: *val = r->r11; return 0;
    case UNW_X86_64_R12: *val = r->r12; return 0;
    case UNW_X86_64_R13: *val = r->r13; return 0;
    case UNW_X86_64_R14: *val = r->r14; return 0;
    case UNW_X86_64_R15: *val = r->r15; return 0;
    case UNW_X86_64_RIP: *val = r->rip; return 0;
    default: return -UNW_EBADREG;
    }
}

static int view_access_reg(unw_addr_space_t as, unw_regnum_t reg, unw_word_t *val, int write, void *arg)
{
    (void)as, (void)arg;
    const struct at_context *c = view.ctx;
    if (write)
        return -UNW_EINVAL;
    if (!c)
        return view.t && view.t->have_regs ? reg_of(&view.t->regs, reg, val) : -UNW_EBADREG;
    switch (reg) {
    case UNW_X86_64_RIP: *val = c->pc; return 0;
    case UNW_X86_64_RSP: *val = c->sp; return 0;
    case UNW_X86_64_RBP: *val = c->bp; return 0;
    case UNW_X86_64_RBX: *val = c->bx; return 0;
    case UNW_X86_64_R12: *val = c->r12; return 0;
    case UNW_X86_64_R13: *val = c->r13; return 0;
    case UNW_X86_64_R14: *val = c->r14; return 0;
    case UNW_X86_64_R15: *val = c->r15; return 0;
    default: *val = 0; return 0;         /* caller-saved: not kept across a switch */
    }
}

static int view_access_fpreg(unw_addr_space_t as, unw_regnum_t reg, unw_fpreg_t *val, int write, void *arg)
{
    (void)as, (void)reg, (void)val, (void)write, (void)arg;
    return -UNW_EBADREG;
}

static int view_resume(unw_addr_space_t as, unw_cursor_t *c, void *arg)
{
    (void)as, (void)c, (void)arg;
    return -UNW_EINVAL;                  /* never: the tool only reads */
}

int at_unwind(pid_t pid, const struct at_thread *t, const struct at_context *from, uintptr_t *out, int max)
{
    static unw_addr_space_t as;
    static unw_accessors_t acc;
    if (!as) {
        acc = _UPT_accessors;
        acc.access_mem = view_access_mem;
        acc.access_reg = view_access_reg;
        acc.access_fpreg = view_access_fpreg;
        acc.resume = view_resume;
        as = unw_create_addr_space(&acc, 0);
        if (!as)
            return 0;
        unw_set_caching_policy(as, UNW_CACHE_PER_THREAD);   /* one thread: no locking, no signal masks */
    }
    if (view.pid != pid) {
        if (view.upt)
            _UPT_destroy(view.upt);
        gc_mem_close(&view.mem);
        gc_mem_init(&view.mem, pid);
        view.upt = _UPT_create(pid);
        view.pid = pid;
    }
    if (!view.upt || (!from && (!t || !t->have_regs)))
        return 0;
    view.t = t;
    view.ctx = from;
    unw_cursor_t c;
    int n = 0;
    if (unw_init_remote(&c, as, view.upt) == 0) {
        do {
            unw_word_t ip = 0;
            if (unw_get_reg(&c, UNW_REG_IP, &ip) != 0 || ip == 0)
                break;
            out[n] = (uintptr_t)ip + (n == 0);     /* frame 0 is exact: one past, like a return address */
            n++;
        } while (n < max && unw_step(&c) > 0);
    }
    view.t = NULL;
    view.ctx = NULL;
    return n;
}
