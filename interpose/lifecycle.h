/* The lifecycle service: the one place that starts the shim, carries it across fork, makes every report and
 * ends the process. Files: lifecycle.c (start-up, task sources, reports, exit paths, exit status, fork),
 * signals.c (handlers), shim_thread.c (the shim's thread: live, periodic and alert reports, deadlock check).
 * It is the top layer: it calls runtime/ and report/, and nothing there calls back into it. The wrapper
 * families call it for the few events that need a report at once (a self-deadlock, a write about to die of
 * SIGPIPE) and to plug in task sources.
 *
 * Locks, always taken in this order and all held across fork(): the signal views' spin lock (sigview.c, taken
 * with every signal blocked) -> the shim's thread's start/stop lock (shim_thread.c) -> the report lock
 * (lifecycle.c) -> the runtime locks in runtime.h's order (task table -> channel table -> unwinder -> stack
 * depot -> findings -> lock-order graph -> allocator). One pthread_atfork registration (lifecycle.c) takes and
 * releases them all. */
#ifndef LC_LIFECYCLE_H
#define LC_LIFECYCLE_H
#include "../report/report.h"

/* Set when libgo is in the process: its threads are the runtime's own, goroutines are the tasks. */
extern int lc_is_go;

/* ---- task sources -----------------------------------------------------------------------------------------
 * A family whose tasks live in a foreign runtime's own tables (one that reads them rather than being told by
 * wrappers) registers a source. Before every snapshot (exit verdict, fatal-signal and live reports, periodic
 * report, task-count alert, deadlock check) the lifecycle calls each source's refresh(), which brings runtime/'s
 * task table up to date (task_new, task_block, task_remove...). refresh() runs on the shim's thread or on the
 * exiting thread, never in a signal handler, and must not call back into the lifecycle. Register from a
 * constructor or at the family's start-up; at most LC_TASK_SOURCES_MAX sources. */
#define LC_TASK_SOURCES_MAX 8
struct lc_task_source {
    const char *name;                 /* for verbosity=2 notes */
    /* report: a report's snapshot follows (worth costlier work, such as stopping threads for their stacks);
     * 0: a count only (the grace period's polling, the task-count alert) */
    void (*refresh)(int report);
};
/* Adds src (kept by pointer: static storage). Returns 0, or -1 when the table is full. */
int lc_task_source_add(const struct lc_task_source *src);
/* Calls every source's refresh(report); the lifecycle does it before each snapshot. */
void lc_lifecycle_refresh(int report);

/* ---- reports and the exit ------------------------------------------------------------------------------- */
/* One report now: refresh, snapshot, wait-for cycles, every selected format. Serialized by the report lock,
 * which a caller waits for at most 3 s (then no report: a report must never hang the program). */
struct lc_verdict lc_report(enum lc_reason reason, int signo, int status);
/* The pid reports speak for from now on (0: this process's own): a child process writing its parent's. */
void lc_report_pid(int pid);
/* The calling thread is about to relock a non-recursive lock it holds (the finding is recorded and the task
 * marked blocked): report at once, unless the periodic deadlock check is on (it will report, and end the
 * program). */
void lc_deadlock_now(const void *lock);
/* The exit, for a family that owns the process's exit call: stops live reports, gives running tasks grace_ms to
 * finish, writes the verdict and returns the status to exit with: status itself when it is non-zero or there is
 * nothing to report, else exitcode. It does not exit; the caller flushes and exits with the result. Runs once:
 * later calls, and the shim's own destructor, return status and report nothing. */
int lc_lifecycle_exit(int status);
#endif
