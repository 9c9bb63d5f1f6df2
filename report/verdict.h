/* Judging a snapshot: which tasks leaked, grouped and ordered for printing, and the counts. */
#ifndef LC_VERDICT_H
#define LC_VERDICT_H
#include <stddef.h>
#include "report.h"

/* Tasks with the same kind, state, WHAT, blocking stack and creation stack. */
struct lc_group {
    const struct lc_task *rep;    /* the member blocked (running, finished) longest */
    unsigned n;
    unsigned other_obj;           /* members waiting on another object than rep->obj */
    uint64_t oldest_ns, newest_ns;   /* longest and shortest time in this state */
    size_t first;                 /* (internal) order of creation, before sorting */
};

/* Why a snapshot task is or is not in the report (lc_judgement.task_mark). */
enum lc_task_mark { LC_TM_NONE = 0, LC_TM_REPORTED, LC_TM_IGNORED, LC_TM_RUNTIME };

struct lc_judgement {
    struct lc_verdict v;
    int live;                     /* a live report (dump, periodic, alert): every task, not a verdict */
    struct lc_group *groups;      /* ordered: blocked first, larger first, then older first */
    size_t ngroups;
    size_t groups_cap;            /* (internal) room in groups */
    unsigned ntasks;              /* tasks in the groups */
    unsigned threads, goroutines; /* of which threads / goroutines */
    int32_t *task_group;          /* per snapshot task: index of its group, -1 when in none (NULL: none) */
    uint8_t *task_mark;           /* per snapshot task: enum lc_task_mark (NULL: all LC_TM_NONE) */
    uint8_t *finding_dropped;     /* per snapshot finding: 1 when a suppression silenced it (NULL: none) */
};

/* Judge s: for a verdict the leaked tasks, for a live report (ctx->reason DUMP, PERIODIC, ALERT) every task
 * but the shim's and the language runtime's own. Frees with verdict_free(). */
void verdict_judge(const struct lc_snapshot *s, const struct lc_report_ctx *ctx, struct lc_judgement *j);
void verdict_free(struct lc_judgement *j);

/* Whether t is one of the language runtime's own tasks (libgo's background goroutines and threads). */
int verdict_runtime_internal(const struct lc_task *t);
/* Whether an exit verdict leaves t out whatever it does next: the runtime's own, or suppressed (the exit's
 * grace period need not wait for it). verdict_ignore_begin() first, with the rules as a verdict would have them;
 * not in a signal handler. */
void verdict_ignore_begin(void);
int verdict_never_reported(const struct lc_task *t);
/* Whether finding i of the judged snapshot is shown (not silenced by a suppression). */
int verdict_finding_shown(const struct lc_judgement *j, size_t i);
/* Whether name matches one of the comma-separated fnmatch patterns in list (the ignore_* options' syntax). */
int verdict_match_list(const char *list, const char *name);
/* Nanoseconds t has been in its state at now_ns (blocked for, running for, finished ago); 0 when unknown. */
uint64_t verdict_age_ns(const struct lc_task *t, uint64_t now_ns);
/* Whether the program ends after this verdict: not after one printed at once for a deadlock the program
 * lives on with (a self-deadlock, or deadlock_exit=0). */
int verdict_ends_program(const struct lc_report_ctx *ctx);
/* The exit status the process will end with after this verdict. */
int verdict_exit_status(const struct lc_verdict *v, const struct lc_report_ctx *ctx);
#endif
