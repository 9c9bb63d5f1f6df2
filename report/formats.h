/* Report format writers. Each writes one report for a judged snapshot to w: text to the report destination
 * (stderr or log_path.PID), the machine formats each to its own file (output.c names them). text is always
 * built in; the machine formats are optional (weak): a build without them lists them as unavailable. */
#ifndef LC_FORMATS_H
#define LC_FORMATS_H
#include "bufw.h"
#include "verdict.h"

typedef void (*lc_format_fn)(struct lc_bufw *w, const struct lc_snapshot *s, const struct lc_report_ctx *ctx,
                             const struct lc_judgement *j);

void report_text(struct lc_bufw *w, const struct lc_snapshot *s, const struct lc_report_ctx *ctx,
                 const struct lc_judgement *j);
__attribute__((weak)) void report_json(struct lc_bufw *w, const struct lc_snapshot *s,
                                       const struct lc_report_ctx *ctx, const struct lc_judgement *j);
__attribute__((weak)) void report_pprof(struct lc_bufw *w, const struct lc_snapshot *s,
                                        const struct lc_report_ctx *ctx, const struct lc_judgement *j);
/* The second pprof file: blocked time by site (a contention profile). */
__attribute__((weak)) void report_pprof_contention(struct lc_bufw *w, const struct lc_snapshot *s,
                                                   const struct lc_report_ctx *ctx, const struct lc_judgement *j);
__attribute__((weak)) void report_folded(struct lc_bufw *w, const struct lc_snapshot *s,
                                         const struct lc_report_ctx *ctx, const struct lc_judgement *j);

/* The lines naming the files this report's machine formats went to ("leakcheck: json report written to X"),
 * written once per report: the text report puts them before its closing line; when it does not,
 * report_write puts them after it, or on stderr when text is not among the formats. */
void report_put_written(struct lc_bufw *w);
#endif
