/* C/C++ threads from outside. For each stopped thread: the system call it waits in, as its registers show it
 * (a stop interrupts the call, which the kernel restarts when the thread goes on: orig_rax and the arguments
 * are still there), its stack from libunwind's remote unwinder, and from the innermost frames in libc the
 * library call the program made (pthread_mutex_lock, pthread_join, read...). The object it waits on comes
 * from the call's arguments: the futex word of a mutex, condition variable, semaphore, barrier or rwlock
 * (glibc's layouts), the thread a join waits for (the futex is that thread's tid field), the fd of an I/O
 * call. A mutex's owner is glibc's own record of it (__owner), read with the snapshot while the process is
 * still stopped, and runtime/deadlock.c finds the wait-for cycles. What a preload would have seen happen —
 * who created each thread, where each lock was taken — is not there to read. */
#include "attach.h"
#include "../report/symbolize.h"
#include "../runtime/lock.h"
#include "../runtime/task.h"
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>

/* ---- which library call --------------------------------------------------------------------------------- */

/* The C library's own code (libc, the dynamic loader, the vDSO): the frames above the program's call. And a
 * preload of leakcheck's, in a process run under it: its wrappers sit between the program's call and libc's,
 * its thread trampoline below a thread's start routine, and its own thread is none of the program's. */
struct lib_range { uint64_t lo, hi; };
static struct lib_range libs[64], shim[8];
static int nlibs, nshim;

static int note_lib(uint64_t lo, uint64_t hi, uint64_t off, const char *perms, const char *path, void *arg)
{
    (void)off, (void)arg, (void)perms;
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    if (nlibs < 64 && (strncmp(base, "libc.so", 7) == 0 || strncmp(base, "libpthread", 10) == 0 ||
                       strncmp(base, "ld-linux", 8) == 0 || strcmp(path, "[vdso]") == 0))
        libs[nlibs++] = (struct lib_range){ lo, hi };
    if (nshim < 8 && at_shim_lib(path))
        shim[nshim++] = (struct lib_range){ lo, hi };
    return 0;
}

static int in_ranges(const struct lib_range *r, int n, uintptr_t pc)
{
    for (int i = 0; i < n; i++)
        if (pc - 1 >= r[i].lo && pc - 1 < r[i].hi)
            return 1;
    return 0;
}

static int in_shim(uintptr_t pc)
{
    return in_ranges(shim, nshim, pc);
}

static int in_libc(uintptr_t pc)
{
    return in_ranges(libs, nlibs, pc) || in_shim(pc);
}

/* The blocking calls of the pthread family, as its wrappers know them (pthread.inc), and the mutex lock. */
#define AT_OBJ_MUTEX LC_OBJ_MUTEX
#define AT_OBJ_RDLOCK LC_OBJ_RWLOCK
#define AT_OBJ_WRLOCK LC_OBJ_RWLOCK
#define AT_OBJ_COND LC_OBJ_COND
#define AT_OBJ_SEM LC_OBJ_SEM
#define AT_OBJ_BARRIER LC_OBJ_BARRIER
#define AT_OBJ_SPINLOCK LC_OBJ_SPINLOCK
#define AT_OBJ_THREAD LC_OBJ_THREAD
static const struct { const char *name; enum lc_obj_kind kind; } lib_calls[] = {
    { "pthread_mutex_lock", LC_OBJ_MUTEX },
#define PTHREAD_WRAPPER(verb, name, params, args, try, object, arg) { #name, AT_OBJ_##object },
#include "pthread.inc"
#undef PTHREAD_WRAPPER
};

/* A library function as the program calls it: "___pthread_mutex_lock", "__libc_read",
 * "pthread_cond_wait@@GLIBC_2.3.2", "__pthread_cond_timedwait64", "__new_sem_wait" are the calls
 * pthread_mutex_lock, read, pthread_cond_wait, pthread_cond_timedwait and sem_wait; pthread_join and its timed
 * forms end in (a tail call to) __pthread_clockjoin_ex. */
static void plain_name(const char *sym, char *out, size_t len)
{
    if (strncmp(sym, "__GI_", 5) == 0)
        sym += 5;
    if (strncmp(sym, "__libc_", 7) == 0)
        sym += 7;
    while (*sym == '_')
        sym++;
    if (strncmp(sym, "new_", 4) == 0)
        sym += 4;
    size_t n = strcspn(sym, "@");
    if (n > 2 && strncmp(sym + n - 2, "64", 2) == 0)
        n -= 2;
    if (n == strlen("pthread_clockjoin_ex") && strncmp(sym, "pthread_clockjoin_ex", n) == 0)
        sym = "pthread_join", n = strlen(sym);
    snprintf(out, len, "%.*s", (int)n, sym);
}

/* The outermost library frame above the program's: the call the program made (under the preload, the
 * outermost of libc's, which the wrapper called). */
static int library_call(const uintptr_t *pcs, int n, int *first_program, enum lc_obj_kind *kind)
{
    int k = 0;
    while (k < n && in_libc(pcs[k]))
        k++;
    *first_program = k;
    *kind = LC_OBJ_NONE;
    int top = k - 1;
    while (top >= 0 && in_shim(pcs[top]))
        top--;
    if (top < 0)
        return -1;
    struct lc_frame f[8];
    char name[128];
    int m = symbolize_inline(pcs[top], top == 0, f, 8);       /* the function the code belongs to: last */
    plain_name(f[m - 1].func, name, sizeof name);
    for (size_t i = 0; i < sizeof lib_calls / sizeof lib_calls[0]; i++)
        if (strcmp(lib_calls[i].name, name) == 0) {
            *kind = lib_calls[i].kind;
            return (int)i;
        }
    return -1;
}

/* ---- which system call ------------------------------------------------------------------------------------ */

/* The errors a system call interrupted by our stop shows until the thread goes on (the kernel then restarts
 * it), and the one of the calls it never restarts (EINTR). */
static int interrupted(long rax)
{
    return rax == -4 || (rax <= -512 && rax >= -516);
}

int at_syscall(const struct at_thread *t, const char **what, enum lc_obj_kind *ok, const void **obj)
{
    long nr = t->have_regs ? (long)t->regs.orig_rax : -1;
    if (nr < 0 || !interrupted((long)t->regs.rax) || t->state == 'R')
        return 0;
    *ok = LC_OBJ_NONE;
    *obj = NULL;
    *what = task_syscall_wait(nr, (long)t->regs.rdi, ok, obj);    /* runtime/syscalls.inc */
    if (!*what)
        *what = "system call";
    return 1;
}

struct running { struct lc_task **t; size_t n, cap; };

static void collect_running(struct lc_task *t, void *arg)
{
    struct running *r = arg;
    if (t->kind == LC_GOROUTINE && t->state == LC_RUNNING && t->tid && r->n < r->cap)
        r->t[r->n++] = t;
}

void at_goroutines_in_syscalls(const struct at_proc *p)
{
    struct running r = { NULL, 0, (size_t)p->n };
    r.t = calloc(r.cap + 1, sizeof *r.t);
    if (!r.t)
        return;
    task_foreach(collect_running, &r);
    uint64_t now = lc_now_ns();
    for (size_t i = 0; i < r.n; i++) {
        struct lc_task *t = r.t[i];
        const struct at_thread *th = at_thread_of(p, t->tid);
        const char *what;
        enum lc_obj_kind ok;
        const void *obj;
        if (!th || !at_syscall(th, &what, &ok, &obj))
            continue;
        task_block(t, what, ok == LC_OBJ_FD ? ok : LC_OBJ_NONE, ok == LC_OBJ_FD ? obj : NULL, t->site);
        t->since_ns = th->idle_ns && th->idle_ns < now ? now - th->idle_ns : 0;
        task_set_flag(t, LC_TF_AGE_UNKNOWN, t->since_ns == 0);
    }
    free(r.t);
}

/* glibc's join waits on the joined thread's tid field: its offset in struct pthread (the thread pointer),
 * found as the first word there equal to the thread's own tid, the same for every thread seen. */
static long tid_offset(const struct at_proc *p)
{
    enum { SPAN = 2048 };
    static int32_t buf[SPAN / 4];
    long off = -1;
    for (int i = 0; i < p->n; i++) {
        const struct at_thread *t = &p->t[i];
        if (!t->have_regs || !t->regs.fs_base)
            continue;
        struct iovec l = { buf, sizeof buf }, r = { (void *)(uintptr_t)t->regs.fs_base, sizeof buf };
        if (process_vm_readv(p->pid, &l, 1, &r, 1, 0) != (ssize_t)sizeof buf)
            continue;
        long found = -1;
        for (long k = 4; k < SPAN / 4; k++)        /* past the self pointers at the start */
            if (buf[k] == t->tid) {
                found = k * 4;
                break;
            }
        if (found < 0 || (off >= 0 && found != off))
            return -1;
        off = found;
    }
    return off;
}

/* ---- during the stop ------------------------------------------------------------------------------------ */

#define STACK_COPY_MAX (8u << 20)         /* deeper than that, the rest is read from the running process */

/* The mapping that holds each stopped thread's stack pointer: the thread's used stack is from its stack pointer
 * (less the red zone below it) to that mapping's end. */
static int stack_map(uint64_t lo, uint64_t hi, uint64_t off, const char *perms, const char *path, void *arg)
{
    struct at_proc *p = arg;
    (void)off, (void)path, (void)perms;
    for (int i = 0; i < p->n; i++) {
        struct at_thread *t = &p->t[i];
        uint64_t sp = t->regs.rsp;
        if (!t->have_regs || sp < lo || sp >= hi)
            continue;
        t->stack_lo = sp >= lo + 128 ? sp - 128 : lo;
        t->stack_len = hi - t->stack_lo < STACK_COPY_MAX ? hi - t->stack_lo : STACK_COPY_MAX;
    }
    return 0;
}

void at_c_capture(struct at_proc *p)
{
    at_maps(p->pid, stack_map, p);
    for (int i = 0; i < p->n; i++) {
        struct at_thread *t = &p->t[i];
        if (!t->have_regs)
            continue;
        if (t->stack_len) {
            t->stack = malloc(t->stack_len);
            struct iovec l = { t->stack, t->stack_len }, r = { (void *)(uintptr_t)t->stack_lo, t->stack_len };
            if (t->stack && process_vm_readv(p->pid, &l, 1, &r, 1, 0) != (ssize_t)t->stack_len) {
                free(t->stack);
                t->stack = NULL;
            }
        }
        if ((long)t->regs.orig_rax == SYS_futex && interrupted((long)t->regs.rax) && t->regs.rdi) {
            struct iovec l = { t->lock_words, sizeof t->lock_words },
                         r = { (void *)(uintptr_t)t->regs.rdi, sizeof t->lock_words };
            if (process_vm_readv(p->pid, &l, 1, &r, 1, 0) == (ssize_t)sizeof t->lock_words)
                t->lock_addr = t->regs.rdi;
        }
    }
}

static const struct at_proc *peek_proc;

int at_c_peek(const void *addr, void *buf, size_t n)
{
    uint64_t a = (uint64_t)(uintptr_t)addr;
    for (int i = 0; peek_proc && i < peek_proc->n; i++) {
        const struct at_thread *t = &peek_proc->t[i];
        if (t->lock_addr && a >= t->lock_addr && a + n <= t->lock_addr + sizeof t->lock_words) {
            memcpy(buf, t->lock_words + (a - t->lock_addr), n);
            return 0;
        }
    }
    return -1;
}

/* ---- one thread ------------------------------------------------------------------------------------------- */

struct reading {
    const struct at_proc *p;
    long tid_off;
    uint64_t now;
};

static uint64_t key_of(const struct at_thread *t)
{
    return t->have_regs && t->regs.fs_base ? t->regs.fs_base : (uint64_t)t->tid;
}

static const struct at_thread *by_tid_field(const struct reading *r, uint64_t addr)
{
    for (int i = 0; r->tid_off > 0 && i < r->p->n; i++) {
        const struct at_thread *t = &r->p->t[i];
        if (t->have_regs && t->regs.fs_base && t->regs.fs_base + (uint64_t)r->tid_off == addr)
            return t;
    }
    return NULL;
}

/* The object of a futex wait, by the library call that made it (glibc's layouts). */
static const void *futex_object(const struct reading *r, enum lc_obj_kind kind, uint64_t uaddr)
{
    const struct at_thread *o;
    switch (kind) {
    case LC_OBJ_MUTEX:
    case LC_OBJ_SEM:
        return (const void *)(uintptr_t)uaddr;                /* the lock word / the value come first */
    case LC_OBJ_COND:                                        /* __g_signals[g], the object 8-aligned */
        uaddr -= offsetof(pthread_cond_t, __data.__g_signals);
        return (const void *)(uintptr_t)(uaddr & ~7ull);
    case LC_OBJ_RWLOCK:                                      /* __wrphase_futex or __writers_futex */
        return (const void *)(uintptr_t)(uaddr - (uaddr % 8 == offsetof(pthread_rwlock_t, __data.__writers_futex) % 8
                                                  ? offsetof(pthread_rwlock_t, __data.__writers_futex)
                                                  : offsetof(pthread_rwlock_t, __data.__wrphase_futex)));
    case LC_OBJ_BARRIER:
        return (const void *)(uintptr_t)(uaddr - 4);          /* glibc's barrier waits on current_round */
    case LC_OBJ_THREAD:
        o = by_tid_field(r, uaddr);
        return (const void *)(uintptr_t)(o ? key_of(o) : r->tid_off > 0 ? uaddr - (uint64_t)r->tid_off : uaddr);
    default:
        return (const void *)(uintptr_t)uaddr;
    }
}

static void read_thread(const struct reading *r, const struct at_thread *t, uint64_t id)
{
    uintptr_t pcs[LC_MAX_FRAMES];
    int n = t->have_regs ? at_unwind(r->p->pid, t, NULL, pcs, LC_MAX_FRAMES) : 0;
    struct lc_task *task = task_new(LC_THREAD, key_of(t), NULL, NULL, 0);
    if (!task)
        return;
    task->id = id;
    task->tid = t->tid;
    task->started_ns = t->age_ns && t->age_ns < r->now ? r->now - t->age_ns : 0;
    if (!task->started_ns)
        task_set_flag(task, LC_TF_AGE_UNKNOWN, 1);
    if (t->tid == r->p->pid)
        task_set_flag(task, LC_TF_MAIN, 1);
    int first = 0;
    enum lc_obj_kind kind;
    int call = library_call(pcs, n, &first, &kind);
    int kept = 0;                         /* the program's frames: none of a preload's (its trampoline) */
    for (int i = first; i < n; i++)
        if (!in_shim(pcs[i]))
            pcs[kept++] = pcs[i];
    stack_id site = kept ? stack_intern(pcs, kept) : n ? stack_intern(pcs + first, n - first) : 0;
    const char *what;
    enum lc_obj_kind ok;
    const void *obj;
    if (!at_syscall(t, &what, &ok, &obj)) {
        task->site = site;                /* running (or between calls) */
        return;
    }
    if (ok == LC_OBJ_OTHER && call >= 0) {
        what = lib_calls[call].name;      /* a futex wait in pthread_mutex_lock ... */
        ok = kind;
        obj = futex_object(r, kind, t->regs.rdi);
    }
    task_block(task, what, ok, obj, site);
    task->since_ns = t->idle_ns && t->idle_ns < r->now ? r->now - t->idle_ns : 0;
    task_set_flag(task, LC_TF_AGE_UNKNOWN, task->since_ns == 0);
}

/* The thread of a leakcheck preload (named "leakcheck", and no frame of the program's on its stack). */
static int shim_thread(const struct reading *r, const struct at_thread *t)
{
    if (!nshim || !t->have_regs || !at_shim_named(r->p->pid, t->tid))
        return 0;
    uintptr_t pcs[LC_MAX_FRAMES];
    int n = at_unwind(r->p->pid, t, NULL, pcs, LC_MAX_FRAMES), ours = 0;
    for (int i = 0; i < n; i++) {
        if (!in_libc(pcs[i]))
            return 0;
        ours |= in_shim(pcs[i]);
    }
    return ours;
}

static int by_tid(const void *a, const void *b)
{
    pid_t x = (*(const struct at_thread *const *)a)->tid, y = (*(const struct at_thread *const *)b)->tid;
    return (x > y) - (x < y);
}

int at_c_read(const struct at_proc *p, char *err, size_t errlen)
{
    peek_proc = p;
    nlibs = nshim = 0;
    if (at_maps(p->pid, note_lib, NULL) < 0) {
        snprintf(err, errlen, "cannot read the memory map of process %d", (int)p->pid);
        return -1;
    }
    struct reading r = { p, tid_offset(p), lc_now_ns() };
    /* threads numbered as a preload would have: the main thread 1, then in the order they were made */
    const struct at_thread **order = calloc((size_t)p->n + 1, sizeof *order);
    int n = 0;
    if (!order) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (int i = 0; i < p->n; i++)
        if (!p->t[i].gone && p->t[i].tid != p->pid && !shim_thread(&r, &p->t[i]))
            order[n++] = &p->t[i];
    qsort(order, (size_t)n, sizeof *order, by_tid);
    for (int i = 0; i < p->n; i++)
        if (p->t[i].tid == p->pid && !p->t[i].gone)
            read_thread(&r, &p->t[i], 1);
    for (int i = 0; i < n; i++)
        read_thread(&r, order[i], (uint64_t)i + 2);
    free(order);
    return 0;
}
