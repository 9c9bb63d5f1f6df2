/* The text report (text.c), and its pieces shared with the misuse findings (text_findings.c), the deadlock
 * text (deadlock.c) and the JSON report. */
#ifndef LC_TEXT_H
#define LC_TEXT_H
#include "buffered_writer.h"
#include "frames.h"
#include "verdict.h"

#define LC_TEXT_COL 31        /* column where file:line starts */

/* Frames shown per stack: lc_opt.stack_depth within [1, LC_FRAMES_MAX]. */
int text_depth(void);
/* One line: indent, label (may be ""), function, then its location at LC_TEXT_COL; no newline. */
void text_frame(struct lc_bufw *w, const char *indent, const char *label, const struct lc_frame *f);
/* "  (goroutine N)" / "  (thread N)": the kind from the snapshot, else def_kind. */
void text_task_ref(struct lc_bufw *w, const struct lc_snapshot *s, uint64_t id, int def_kind);
/* Frames 1.. of stack id (the rest after the top one), indented 6: the full stacks of verbosity 2. */
void text_rest_of_stack(struct lc_bufw *w, stack_id id);
/* The fd channel (pipe, socketpair, eventfd) fd belongs to, or NULL. */
const struct lc_chan *text_chan_by_fd(const struct lc_snapshot *s, int fd);
const char *text_fdchan_kind(const struct lc_chan *c);
/* The first signal above after in a set of signals 1-64 (bit n-1 for signal n), 0 when none: for (sig = 0;
 * (sig = text_signal_next(bits, sig));) visits each. */
int text_signal_next(uint64_t bits, int after);
/* The name of signal sig, "SIGTERM" (or "SIG34"), in buf. */
const char *text_signame(int sig, char *buf, size_t n);
/* The text report: a verdict (summary, leaked groups, misuse, closing line) or a live report of every task. */
void report_text(struct lc_bufw *w, const struct lc_snapshot *s, const struct lc_report_ctx *ctx,
                 const struct lc_judgement *j);
#endif
