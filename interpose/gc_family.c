/* The gc family: Go programs built by the standard toolchain. Nothing is wrapped: at start-up (in the
 * constructor, before the Go runtime runs, where glibc still owns the thread) the executable is read
 * (gc_binary.c), runtime.exit is patched (gc_hooks.c) and the shim's thread is started; from then on the Go
 * runtime's goroutine table is read from that thread (gc_goroutines.c) and copied into runtime/'s task table
 * before every report, and on a slow tick so that "blocked for" has a start. */
#include "gc_family.h"
#include "gc_goroutines.h"
#include "gc_hooks.h"
#include "gc_patch.h"
#include "gc_records.h"
#include "../runtime/snapshot.h"
#include "lifecycle.h"
#include "resolve.h"
#include "../report/symbolize.h"
#include "../runtime/chan.h"
#include "../runtime/finding.h"
#include "../runtime/lock.h"
#include "../runtime/options.h"
#include <link.h>
#include <malloc.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static struct gc_bin bin;
static struct gc_mem mem;
static struct gc_reader reader;
static int active;
static void gc_refresh(int report);
static const struct lc_task_source gc_source = { "gc", gc_refresh };

int lc_gc_active(void) { return active; }
const struct gc_bin *lc_gc_binary(void) { return active ? &bin : NULL; }

static void note(int level, const char *fmt, const char *a, const char *b)
{
    if (lc_opt.verbosity < level)
        return;
    char line[512];
    int n = snprintf(line, sizeof line, fmt, a, b);
    if (n > 0)
        write(2, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

/* ---- recognising the program --------------------------------------------------------------------------- */

/* The main program's load bias, and whether it carries Go's build-id note (an in-memory look: no system call,
 * so that every other program pays nothing for this check). */
struct main_info { uint64_t bias; int go_note; int done; };

static int main_cb(struct dl_phdr_info *info, size_t size, void *arg)
{
    struct main_info *m = arg;
    (void)size;
    if (m->done++)
        return 1;
    m->bias = info->dlpi_addr;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_NOTE)
            continue;
        const uint8_t *p = (const uint8_t *)(info->dlpi_addr + ph->p_vaddr), *end = p + ph->p_memsz;
        while (p + 12 <= end) {
            uint32_t nsz, dsz, type;
            memcpy(&nsz, p, 4), memcpy(&dsz, p + 4, 4), memcpy(&type, p + 8, 4);
            const uint8_t *name = p + 12;
            if ((nsz == 3 || nsz == 4) && name + 4 <= end && memcmp(name, "Go", 3) == 0)   /* "Go\0\0" */
                m->go_note = 1;
            p = name + ((nsz + 3) & ~3u) + ((dsz + 3) & ~3u);
        }
    }
    return 1;
}

/* ---- start -------------------------------------------------------------------------------------------------- */

/* runtime.exit on linux/amd64: movl 8(%rsp), %edi; movl $231, %eax; syscall; ret */
static const uint8_t exit_code_bytes[] = { 0x8b, 0x7c, 0x24, 0x08, 0xb8, 0xe7, 0x00, 0x00, 0x00, 0x0f, 0x05, 0xc3 };

static void *gc_thread(void *arg);

static int start_thread(void)
{
    pthread_attr_t a;
    pthread_t th;
    sigset_t all, old;
    sigfillset(&all);
    pthread_attr_init(&a);
    pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&a, 1 << 20);
    pthread_sigmask(SIG_SETMASK, &all, &old);   /* every signal blocked: Go's handlers never run on it */
    int ok = pthread_create(&th, &a, gc_thread, NULL) == 0;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    pthread_attr_destroy(&a);
    if (ok)
        pthread_setname_np(th, "leakcheck");
    return ok;
}

static const int fatal_sigs[] = { SIGTERM, SIGINT, SIGHUP };

/* Where the program left the default action, our handler: Go keeps it as the handler to forward to, and calls
 * it when it is about to die of that signal. */
static void install_fatal(void)
{
    for (size_t i = 0; lc_opt.fatal_signals && i < sizeof fatal_sigs / sizeof fatal_sigs[0]; i++) {
        struct sigaction old, sa;
        if (sigaction(fatal_sigs[i], NULL, &old) != 0 || old.sa_handler != SIG_DFL)
            continue;
        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = lc_gc_fatal_handler;
        sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
        sigfillset(&sa.sa_mask);
        sigaction(fatal_sigs[i], &sa, NULL);
    }
}

/* The entry and return hooks that give the history Go does not keep: who started each goroutine, where each
 * channel was made and first closed, a double close or a close of nil even when the panic is recovered. Each
 * goes in only when its code is exactly what the hook expects; one that does not says so and the rest works. */
static void install_hooks(const char *path)
{
    struct gc_ctl *c = &gc_ctl;
    c->off_g_goid = bin.off[GF_g_goid];
    c->off_g_stack_lo = bin.off[GF_g_stack_lo];
    c->off_g_stack_hi = bin.off[GF_g_stack_hi];
    c->off_g_sched_bp = bin.off[GF_g_sched_bp];
    c->off_g_sched_pc = bin.off[GF_g_sched_pc];
    c->off_hchan_closed = bin.off[GF_hchan_closed];
    c->off_type_kind = bin.off[GF_type_kind];
    extern int64_t lc_gc_off_g_m, lc_gc_off_m_g0, lc_gc_off_m_gsignal, lc_gc_off_g_sched_sp, lc_gc_off_g_stack_lo;
    lc_gc_off_g_m = bin.off[GF_g_m];
    lc_gc_off_m_g0 = bin.off[GF_m_g0];
    lc_gc_off_m_gsignal = bin.off[GF_m_gsignal];
    lc_gc_off_g_sched_sp = bin.off[GF_g_sched_sp];
    lc_gc_off_g_stack_lo = bin.off[GF_g_stack_lo];
    void *m = mmap(NULL, sizeof *gc_rec, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (m == MAP_FAILED)
        return;
    gc_rec = m;
    enum { ENTRY, RETURN, NOSPLIT };
    static const struct { const char *fn; struct gc_hook *h; int how; } hooks[] = {
        { "runtime.newproc1", &lc_gc_hook_newproc_out, RETURN },
        { "runtime.makechan", &lc_gc_hook_makechan_out, RETURN },
        { "runtime.closechan", &lc_gc_hook_closechan_in, ENTRY },
        { "runtime.gopanic", &lc_gc_hook_gopanic_in, ENTRY },
        { "runtime.fatal", &lc_gc_hook_fatal_in, NOSPLIT },
    };
    for (size_t i = 0; i < sizeof hooks / sizeof hooks[0]; i++) {
        uint64_t fn = gc_bin_func(&bin, hooks[i].fn);
        int r = !fn ? -1 : hooks[i].how == RETURN ? gc_hook_returns(&bin.pcln, fn, hooks[i].h)
              : hooks[i].how == NOSPLIT ? gc_hook_nosplit_entry(fn, hooks[i].h) : gc_hook_entry(fn, hooks[i].h);
        if (r < 0)
            note(1, "leakcheck: %s: %s is not the code expected; its history is not recorded\n", path, hooks[i].fn);
    }
}

int lc_gc_start(void)
{
    struct main_info mi = { 0 };
    dl_iterate_phdr(main_cb, &mi);
    if (!mi.go_note)
        return LC_GC_NOT_GO;
    char path[512], err[256];
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    if (n <= 0)
        return LC_GC_REFUSED;
    path[n] = 0;
    if (gc_bin_open_fast(&bin, path, mi.bias, err, sizeof err) != 0) {
        note(1, "leakcheck: %s: %s; its goroutines are not checked\n", path, err);
        return LC_GC_REFUSED;
    }
    gc_mem_init(&mem, getpid());
    gc_sync_setup(&bin, &mem, &reader);
    if (gc_reader_init(&reader, &bin, &mem, err, sizeof err) != 0) {
        note(1, "leakcheck: %s: %s; its goroutines are not checked\n", path, err);
        return LC_GC_REFUSED;
    }
    struct gc_ctl *c = &gc_ctl;
    c->exit_fn = gc_bin_func(&bin, "runtime.exit");
    c->release_fn = gc_bin_func(&bin, "runtime.entersyscallblock");
    c->off_g_m = bin.off[GF_g_m];
    c->off_m_g0 = bin.off[GF_m_g0];
    c->off_m_gsignal = bin.off[GF_m_gsignal];
    c->off_m_curg = bin.off[GF_m_curg];
    c->off_m_locks = bin.off[GF_m_locks];
    c->panicking = bin.panicking;
    /* var sig struct { note; mask, wanted, ignored, recv [3]uint32; state, delivering uint32; inuse bool }
     * (_NSIG 65): taken only at that size, 72 bytes */
    if (bin.sig && bin.sig_size == 72) {
        c->sig_wanted = bin.sig + 8 + 12;
        c->sig_ignored = bin.sig + 8 + 24;
    }
    extern int64_t lc_gc_tls_g;
    extern uint64_t lc_gc_yield_ret, lc_gc_yield_fn;
    lc_gc_tls_g = bin.tls_g;
    lc_gc_yield_ret = c->exit_fn + 1;
    lc_gc_yield_fn = c->release_fn;
    /* The exiting goroutine gives its P back from a frame that reads as runtime.exit's; the collector scans
     * it then, and runtime.exit, written in assembly, has argument bytes but no map of them: its function
     * table record says it has none (only the exit hook ever stands in its frame). */
    struct lc_pcln_func xf;
    if (c->release_fn && (!pcln_func(&bin.pcln, c->exit_fn, &xf) || !bin.pcln_addr ||
                          gc_patch_word(bin.pcln_addr + (uint64_t)(xf.f - bin.pcln.hdr) + 8, 4, 0) != 0))
        c->release_fn = lc_gc_yield_fn = 0;       /* then the exit waits where it is, holding its P */
    if (!c->exit_fn || gc_patch_jump(c->exit_fn, exit_code_bytes, sizeof exit_code_bytes, lc_gc_exit_tramp) != 0) {
        note(1, "leakcheck: %s: %s runtime.exit is not the code expected; its goroutines are not checked\n",
             path, bin.version);
        return LC_GC_REFUSED;
    }
    install_hooks(path);
    if (gc_bin_func(&bin, "runtime.racefini"))
        /* -race: when main returns or os.Exit is called, the race detector's finalizer ends the process with a
         * status of its own, and runtime.exit is never reached */
        note(1, "leakcheck: %s: built with -race: the race detector ends the process itself, so no exit verdict "
                "is made (%s; live reports and attach work)\n", path, "build without -race for it");
    symbolize_add_go(&bin.pcln, bin.path, reader.goroot);
    lc_task_source_add(&gc_source);
    snapshot_set_runtime("gc", bin.version);
    install_fatal();
    c->dump_sig = lc_opt.dump_signal > 0 && lc_opt.dump_signal < 64 ? lc_opt.dump_signal : 0;
    c->thread_up = start_thread();
    active = 1;
    note(2, "leakcheck: %s built by %s: reading its goroutines\n", path, bin.version);
    return LC_GC_ON;
}

static void gc_refresh(int report)
{
    if (active)
        gc_sync(gc_ctl.exit_state != GC_EXIT_NONE ? gc_ctl.exit_g : 0, report);
}

/* ---- the thread --------------------------------------------------------------------------------------------- */

static void do_exit(void)
{
    struct gc_ctl *c = &gc_ctl;
    extern volatile int32_t lc_gc_late_code;
    int code = c->exit_code ? c->exit_code : lc_gc_late_code, status = code;
    if (!c->exit_fatal) {
        status = lc_lifecycle_exit(code);     /* grace, verdict, exit status */
    } else {
        /* a panic or a fatal error: every goroutine as the program died; its status is Go's (no grace) */
        lc_report(LC_REASON_CRASH, 0, code);
    }
    c->exit_status = status;
    __atomic_store_n(&c->exit_state, GC_EXIT_DONE, __ATOMIC_SEQ_CST);
    syscall(SYS_futex, &c->exit_state, FUTEX_WAKE_PRIVATE, 64, NULL, NULL, 0);
}

/* Once Go has put its own handler on the dump signal, go in front of it (and pass every signal on). */
static void dump_handler_check(void)
{
    struct gc_ctl *c = &gc_ctl;
    struct sigaction cur, sa;
    if (!c->dump_sig || c->dump_ready || sigaction(c->dump_sig, NULL, &cur) != 0 ||
        cur.sa_sigaction == lc_gc_dump_handler)
        return;
    if (!(cur.sa_flags & SA_SIGINFO) || cur.sa_handler == SIG_DFL || cur.sa_handler == SIG_IGN)
        return;                           /* not Go's yet, or the program decided */
    c->dump_prev = cur;
    sa = cur;
    sa.sa_sigaction = lc_gc_dump_handler;
    if (sigaction(c->dump_sig, &sa, NULL) == 0)
        c->dump_ready = 1;
}

/* A layout taken from the built-in table at start is checked against the binary's DWARF here, off the program's
 * start-up; should they differ (a modified toolchain), the family turns itself off. */
static void verify_layout(void)
{
    char err[256];
    if (gc_bin_verify_layout(&bin, err, sizeof err) == 0)
        return;
    __atomic_store_n(&gc_ctl.disabled, 1, __ATOMIC_SEQ_CST);
    active = 0;
    note(1, "leakcheck: %s: %s; its goroutines are not checked\n", bin.path, err);
}

static void *gc_thread(void *arg)
{
    (void)arg;
    struct gc_ctl *c = &gc_ctl;
    lc_in_shim = 1;
    verify_layout();
    malloc_trim(0);                       /* what reading DWARF took goes back */
    uint64_t interval = lc_opt.interval > 0 ? (uint64_t)lc_opt.interval * 1000000u : 0;
    uint64_t next_periodic = interval ? lc_now_ns() + interval : 0, next_tick = 0, tick = 5000000;
    int alerted = 0;
    for (;;) {
        int32_t seen = __atomic_load_n(&c->seq, __ATOMIC_SEQ_CST);
        uint32_t bits = __atomic_exchange_n(&c->pending, 0, __ATOMIC_SEQ_CST);
        if (bits & GC_REQ_EXIT) {
            do_exit();
            return NULL;                  /* the process ends now */
        }
        if (bits & GC_REQ_FATAL) {
            lc_report(LC_REASON_SIGNAL, c->fatal_sig, 128 + c->fatal_sig);
            __atomic_add_fetch(&c->fatal_done, 1, __ATOMIC_SEQ_CST);
            syscall(SYS_futex, &c->fatal_done, FUTEX_WAKE_PRIVATE, 64, NULL, NULL, 0);
        }
        if (bits & GC_REQ_DUMP) {
            lc_report(LC_REASON_DUMP, c->dump_sig, 0);
        }
        uint64_t now = lc_now_ns();
        if (now >= next_tick) {
            /* the slow tick: note who blocks since when; at most 1% of a core on it */
            dump_handler_check();
            gc_sync_tick();
            uint64_t cost = lc_now_ns() - now;
            tick = cost * 100 > tick ? cost * 100 : tick < 1000000000u ? tick * 2 : tick;
            next_tick = lc_now_ns() + tick;
            if (lc_opt.max_tasks > 0) {
                int over = task_count() > (size_t)lc_opt.max_tasks;
                if (over && !alerted)
                    lc_report(LC_REASON_ALERT, 0, 0);
                alerted = over;
            }
        }
        if (next_periodic && now >= next_periodic) {
            lc_report(LC_REASON_PERIODIC, 0, 0);
            next_periodic = now + interval;
        }
        uint64_t wait = next_tick > now ? next_tick - now : 1000000;
        if (next_periodic && next_periodic - now < wait)
            wait = next_periodic > now ? next_periodic - now : 1000000;
        struct timespec ts = { (time_t)(wait / 1000000000u), (long)(wait % 1000000000u) };
        syscall(SYS_futex, &c->seq, FUTEX_WAIT_PRIVATE, seen, &ts, NULL, 0);
    }
}
