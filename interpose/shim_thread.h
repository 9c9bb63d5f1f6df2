/* The shim's own thread ("leakcheck" in ps -L): the only place reports are made while the program runs. It
 * reports on the dump signal, before the process dies of a fatal signal, every `interval`, when the task count
 * crosses `max_tasks`, and runs the deadlock check every `deadlock_check_ms`. It exists only while something
 * needs it (see shim_thread.c) and never keeps the process alive. */
#ifndef LC_SHIM_THREAD_H
#define LC_SHIM_THREAD_H

/* Start-up. count_threads: the program's threads are counted (C programs: pthread.c reports each one's
 * creation and end), and the thread leaves when the program is down to one. Otherwise (libgo), and with
 * periodic options, it starts now and stays. */
void shim_thread_init(int count_threads);
/* The thread is needed now: started unless it runs. */
void shim_thread_need(void);
/* The program creates a thread (before the real call) / one of its threads ends, or a creation failed. */
void shim_thread_created(void);
void shim_thread_ended(void);
/* Around unshare() and setns(): with at most one program thread, the shim's leaves (the kernel wants a single
 * thread for a new user namespace) and comes back afterwards if it is needed. */
void shim_thread_pause(void);
void shim_thread_resume(void);
/* sigmask.c: the dump signal changed owner; the thread opens or closes it before this returns. */
void shim_thread_sync_mask(void);
/* Exit under way: no more live reports. */
void shim_thread_stop(void);
/* fork: its lock across the call; the child has no thread (one starts when needed). */
void shim_thread_fork_prepare(void);
void shim_thread_fork_parent(void);
void shim_thread_fork_child(void);
/* For the signal handlers: the thread runs / the exit is under way / the caller is the shim's thread. */
int shim_thread_running(void);
int shim_thread_stopping(void);
int shim_thread_is_self(void);
#endif
