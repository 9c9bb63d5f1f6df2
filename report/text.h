/* Pieces of the text report shared by the task groups (text.c) and the misuse findings (misuse.c). */
#ifndef LC_TEXT_H
#define LC_TEXT_H
#include "bufw.h"
#include "frames.h"
#include "verdict.h"

#define LC_TEXT_COL 31        /* column where file:line starts */

/* Frames shown per stack: lc_opt.stack_depth within [1, LC_FRAMES_MAX]. */
int text_depth(void);
/* "file:line", or "module+0xoff" when the line is unknown. */
void text_where(struct lc_bufw *w, const struct lc_frame *f);
/* One line: indent, label (may be ""), function, then its location at LC_TEXT_COL; no newline. */
void text_frame(struct lc_bufw *w, const char *indent, const char *label, const struct lc_frame *f);
/* "  (goroutine N)" / "  (thread N)": the kind from the snapshot, else def_kind. */
void text_task_ref(struct lc_bufw *w, const struct lc_snapshot *s, uint64_t id, int def_kind);
/* Frames 1.. of stack id (the rest after the top one), indented 6: the full stacks of verbosity 2. */
void text_rest_of_stack(struct lc_bufw *w, stack_id id);
/* The fd channel (pipe, socketpair, eventfd) fd belongs to, or NULL. */
const struct lc_chan *text_chan_by_fd(const struct lc_snapshot *s, int fd);
const char *text_fdchan_kind(const struct lc_chan *c);
/* The misuse findings not silenced by a suppression (j), each followed by a blank line; at most max of them. */
void text_findings(struct lc_bufw *w, const struct lc_snapshot *s, const struct lc_judgement *j, size_t max);
/* The label of site i (0 or 1) of a finding kind in the text report ("second close:", "closed at:"). */
const char *text_site_label(unsigned kind, int i);
#endif
