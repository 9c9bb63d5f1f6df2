/* Report format writers. Each writes one report for a judged snapshot to w (the report destination). text is
 * always built in; the machine formats are optional (weak): a build without them lists them as unavailable. */
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
__attribute__((weak)) void report_folded(struct lc_bufw *w, const struct lc_snapshot *s,
                                         const struct lc_report_ctx *ctx, const struct lc_judgement *j);
#endif
