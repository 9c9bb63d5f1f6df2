/* A fatal signal's report in a process that has no shim's thread (it never had a second thread): the handler
 * cannot make the report itself (no malloc nor stdio in a handler), so a child process, a copy of this one
 * made by the handler, writes it, and the handler waits for it (at most 4 s) before the process dies. */
#ifndef LC_FORK_REPORT_H
#define LC_FORK_REPORT_H

/* From a fatal signal's handler: the report, as this process, written by a child. */
void fork_report(int sig);
/* In that child: 1 (its own faults just end it). */
int fork_report_child(void);
#endif
