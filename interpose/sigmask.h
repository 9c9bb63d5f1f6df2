/* The dump signal, kept blocked in the program's threads so that only the shim's thread ever takes it: a live
 * report then interrupts none of the program's calls (a sleep, poll or sem_timedwait would return early with
 * EINTR). The program never sees that block: sigprocmask() and pthread_sigmask() report the mask it set, calls
 * that take a mask for their duration (sigsuspend, ppoll, pselect, epoll_pwait) keep the dump signal out of
 * it, and the block is undone for a new program (exec, posix_spawn, system, popen: spawn.c). C programs only
 * (libgo's runtime retries every call a signal interrupts), and only while the shim owns the dump signal: the
 * program installing its own handler for it, ignoring it, or waiting for it (sigwait, signalfd) takes it. */
#ifndef LC_SIGMASK_H
#define LC_SIGMASK_H
#include <signal.h>

/* From the constructor of a C program: sig (0: none) is the dump signal; block it in the calling thread. */
void sigmask_start(int sig);
/* sigview.c: the shim's handler is now (mine) or no longer the kernel's action for sig; then, as it restores
 * the calling thread's mask, the dump signal's bit in it as it must be now. */
void sigmask_owner_changed(int sig, int mine);
void sigmask_caller(sigset_t *m);
/* Whether the dump signal is blocked in this thread by the shim alone (the program's mask leaves it open). */
int sigmask_hidden(void);
/* The calling thread's mask as the program set it. */
void sigmask_program(sigset_t *out);
/* Around a call that starts a new program from this thread (exec, spawn): the shim's block undone, then put
 * back if the call returns. Raw system calls only: safe in a vfork child. */
void sigmask_open(void);
void sigmask_close(void);
/* A mask the program gives for the length of one call (ppoll, epoll_pwait): the one the kernel gets. */
const sigset_t *lc_sigmask_during(const sigset_t *m, sigset_t *tmp);
/* A new thread's view of the mask, inherited from its creator's (pthread.c's trampoline). */
int sigmask_view_get(void);
void sigmask_view_set(int blocked);
/* The shim's thread: whether it should take the dump signal now, and the mask change it made. */
int sigmask_shim_takes_dump(void);
int sigmask_dump_signal(void);
#endif
