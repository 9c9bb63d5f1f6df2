/* report/'s entry point (report.c): judge a snapshot of runtime/ and write it in every selected format. */
#ifndef LC_REPORT_H
#define LC_REPORT_H
#include <stdint.h>
#include "buffered_writer.h"
#include "../runtime/snapshot.h"

/* LC_REASON_CRASH: the program died of a panic or a fatal error of its runtime (gc-built Go): a verdict of every
 * task as it was then, the main one and the dying one included, with the program's own exit status. */
enum lc_reason { LC_REASON_EXIT = 0, LC_REASON_SIGNAL, LC_REASON_DUMP, LC_REASON_PERIODIC, LC_REASON_DEADLOCK,
                 LC_REASON_ALERT, LC_REASON_CRASH };

struct lc_report_ctx {
    enum lc_reason reason;
    int signo;                /* LC_REASON_SIGNAL: the fatal signal */
    int exit_status;          /* LC_REASON_EXIT: the program's own status */
    uint64_t exiting_task;    /* id of the task that called exit() (not a leak) */
};

struct lc_verdict {
    unsigned leaked;          /* tasks judged leaked */
    unsigned groups;          /* groups they form */
    unsigned misuse;          /* misuse findings (distinct sites) */
    unsigned deadlocks;
    unsigned suppressed;
};

/* Judge the snapshot and write every format chosen by lc_opt.report to the report destination
 * (stderr, or log_path.PID). Returns the counts; the caller decides the exit status. */
struct lc_verdict report_write(const struct lc_snapshot *s, const struct lc_report_ctx *ctx);
/* The lines naming the files this report's machine formats went to ("leakcheck: json report written to X"),
 * written once per report: the text report puts them before its closing line; when it does not,
 * report_write puts them after it, or on stderr when text is not among the formats. */
void report_put_written(struct lc_bufw *w);
/* File descriptor the reports of process pid (0: this one) go to: stderr, or the log file opened. */
int report_open_fd(pid_t pid);
/* The executable of the snapshot's process into buf (len bytes); returns its length, 0 (buf "") when unknown. */
long report_exe(const struct lc_snapshot *s, char *buf, size_t len);
#endif
