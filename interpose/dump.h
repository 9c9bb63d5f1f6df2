/* The dump thread: the only place reports are made while the program runs. Signal handlers just wake it. */
#ifndef LC_DUMP_H
#define LC_DUMP_H
#include "../report/report.h"

void lc_dump_start(void);             /* install the signal handlers, start the thread */
void lc_dump_stop(void);              /* at exit: no more live reports */
void lc_dump_after_fork(void);        /* in a fork child: a fresh thread */
/* Called by the Go layer once libgo has installed its signal handlers: put ours back in front of them. */
void lc_go_runtime_started(void) __attribute__((visibility("hidden")));
/* process.c: make one report under the report lock (bounded wait). */
struct lc_verdict lc_report(enum lc_reason reason, int signo, int status);
#endif
