/* The shim's own thread ("leakcheck" in ps -L): the only place reports are made while the program runs. It
 * reports on the dump signal, before dying of a fatal signal, every `interval`, when the task count crosses
 * `max_tasks`, and runs the deadlock check every `deadlock_check_ms`. */
#ifndef LC_SHIM_THREAD_H
#define LC_SHIM_THREAD_H

void shim_thread_start(void);
/* Exit under way: no more live reports. */
void shim_thread_stop(void);
/* Fork child: a fresh thread. */
void shim_thread_after_fork(void);
/* For the signal handlers: the thread exists / the exit is under way. */
int shim_thread_running(void);
int shim_thread_stopping(void);
#endif
