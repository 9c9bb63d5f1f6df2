/* Folded stacks ("frame;frame;frame count") for flame graph tools. A report format: optional (weak). */
#ifndef LC_FOLDED_H
#define LC_FOLDED_H
#include "buffered_writer.h"
#include "verdict.h"

__attribute__((weak)) void report_folded(struct lc_bufw *w, const struct lc_snapshot *s,
                                         const struct lc_report_ctx *ctx, const struct lc_judgement *j);
#endif
