/* The attach tool (build/leakcheck-attach, not part of libleakcheck.so): the report of a process that was
 * never started under leakcheck, read from outside it with ptrace (one that was reads the same: the shim's
 * thread and frames are left out).
 *   attach_main.c     the command line, the report, errors and exit status
 *   attach_stop.c     stopping every thread of a process (PTRACE_SEIZE + PTRACE_INTERRUPT) and letting go
 *   attach_run.c      the traced run of a static gc-built program, reported at its exit (PTRACE_EVENT_EXIT)
 *   attach_go.c       gc-built Go: the goroutines (gc_goroutines.c, gc_tasks.c), registers from the stops
 *   attach_gccgo.c    gccgo (libgo.so.21): the goroutines from libgo's tables
 *   attach_c.c        C/C++ threads: the kernel's view of each blocking call, the remote stack, mutex owners
 *   attach_unwind.c   stacks through libunwind's remote unwinder
 * Every reader fills runtime/'s task table while the process is stopped; the report is rendered by report/
 * after it runs again. */
#ifndef LC_ATTACH_H
#define LC_ATTACH_H
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/user.h>
#include "../runtime/task.h"

/* ---- attach_stop.c ---------------------------------------------------------------------------------------- */

struct at_thread {
    pid_t tid;
    int seized;                   /* traced by us */
    int stopped;                  /* in a ptrace stop: registers readable, memory steady */
    int gone;                     /* exited meanwhile */
    int sig;                      /* a signal it was about to take when it stopped: delivered when let go */
    int have_regs;
    struct user_regs_struct regs;
    /* the kernel's view, read before the stop (a stop wakes the thread) */
    char state;                   /* R running, S sleeping, D uninterruptible, T stopped, ... ('?' unknown) */
    uint64_t idle_ns;             /* how long since it last ran (0 unknown) */
    uint64_t age_ns;              /* how long since it was created (0 unknown) */
    /* copied during the stop for reading after it (attach_c.c): the used stack, the lock word waited on */
    uint8_t *stack;
    uint64_t stack_lo, stack_len;
    uint64_t lock_addr;           /* the futex word waited on (0: none), and the bytes from it */
    uint8_t lock_words[32];
};

struct at_proc {
    pid_t pid;
    struct at_thread *t;
    int n, cap;
    uint64_t paused_ns;           /* from the first stop asked to the last thread let go */
    uint64_t stop_begin;
    int nstraggler;               /* threads that did not stop in time (read without registers) */
};

enum at_err { AT_OK = 0, AT_NOPROC, AT_EPERM, AT_GONE, AT_OTHER };

/* Stop every thread of pid (threads created meanwhile included), at most timeout_ms waiting for them. Returns
 * AT_OK, or an error with a one-line reason in err (the process is then left running as it was). */
enum at_err at_stop(struct at_proc *p, pid_t pid, int timeout_ms, char *err, size_t errlen);
/* Let every thread go, each with the signal it was about to take. */
void at_resume(struct at_proc *p);
/* Whether the process still exists (not a zombie). */
int at_alive(pid_t pid);
/* The stopped thread tid, or NULL. */
const struct at_thread *at_thread_of(const struct at_proc *p, pid_t tid);
/* Why ptrace is refused for pid, one line (ptrace_scope, another user, a tracer already there). */
void at_eperm_reason(pid_t pid, char *out, size_t len);
/* Every mapping of the process with a file: fn(lo, hi, file offset, permissions ("r-xp"), path, arg) until it returns non-zero
 * (then that value is returned; 0 when the list ended, -1 when it cannot be read). */
int at_maps(pid_t pid, int (*fn)(uint64_t lo, uint64_t hi, uint64_t off, const char *perms, const char *path, void *arg), void *arg);
/* How long since the thread last ran and since it was created, from /proc (0 when unknown). */
void at_thread_times(pid_t pid, pid_t tid, uint64_t *idle_ns, uint64_t *age_ns, char *state);
/* A process run under leakcheck: whether a mapped file is the preload (libleakcheck.so), and whether a thread
 * bears the name of the preload's own thread ("leakcheck", shim_thread.c). */
int at_shim_lib(const char *path);
int at_shim_named(pid_t pid, pid_t tid);

/* ---- the readers: each fills runtime/'s task table from the stopped process ------------------------------- */

/* gc-built Go (attach_go.c). exe: the executable's path as this process can open it; name: as shown.
 * Prepare before the stop (reads the file), read during it, free after. exiting_tid: in the traced run, the
 * thread that called exit_group (its goroutine is not a leak), 0 otherwise. */
struct at_go;
struct at_go *at_go_open(pid_t pid, const char *exe, const char *name, char *err, size_t errlen);
int at_go_read(struct at_go *g, const struct at_proc *p, pid_t exiting_tid, char *err, size_t errlen);
void at_go_close(struct at_go *g);
/* Whether the program has taken signal sig for itself (os/signal's Notify or Ignore: runtime.sig's wanted and
 * ignored bits, read from the process now): 1 yes, 0 no, -1 unknown (no symbol table, another layout). */
int at_go_signal_own(struct at_go *g, int sig);

/* gccgo (attach_gccgo.c): libgo.so.21 mapped in the process. Same shape. */
struct at_gccgo;
struct at_gccgo *at_gccgo_open(pid_t pid, const char *libgo, uint64_t libgo_base, char *err, size_t errlen);
int at_gccgo_read(struct at_gccgo *g, const struct at_proc *p, char *err, size_t errlen);
/* After the process runs again: the sync call each goroutine in a semaphore wait is in (sync.Mutex.Lock...). */
void at_gccgo_name_waits(struct at_gccgo *g);
void at_gccgo_close(struct at_gccgo *g);

/* C/C++ threads (attach_c.c): what must be read while the process is stopped is copied then (at_c_capture:
 * each thread's used stack and the lock word it waits on); the threads are read into the task table after it
 * runs again (at_c_read), and the snapshot reads lock owners from those copies (at_c_peek). */
void at_c_capture(struct at_proc *p);
int at_c_read(const struct at_proc *p, char *err, size_t errlen);
int at_c_peek(const void *addr, void *buf, size_t n);
/* The system call a stopped thread waits in, as its registers show it (the stop interrupted it; the kernel
 * restarts it when the thread goes on): its name ("read", "futex wait"), and the fd (LC_OBJ_FD) or futex word
 * (LC_OBJ_OTHER) it waits on. Returns 0 when the thread is in none. */
int at_syscall(const struct at_thread *t, const char **what, enum lc_obj_kind *ok, const void **obj);
/* Goroutines the runtime counts as running whose thread waits in a system call: blocked in it, since the
 * thread last ran (gc and gccgo; every task with a tid of p's). */
void at_goroutines_in_syscalls(const struct at_proc *p);

/* A stack through libunwind's remote unwinder (attach_unwind.c), from a stopped thread's registers (its stack
 * copy if it has one, else the live memory) or from a saved context (pc, sp, bp and the callee-saved
 * registers of a goroutine that is not running): return addresses into out, frame 0 the pc itself plus one
 * (frames are looked up one byte back). Returns how many. */
struct at_context { uint64_t pc, sp, bp, bx, r12, r13, r14, r15; };
int at_unwind(pid_t pid, const struct at_thread *t, const struct at_context *from, uintptr_t *out, int max);
#endif
