/* The JSON report (schema "leakcheck/1", documented in README.md). A report format: optional (weak), as every
 * machine format is, so that a build without it lists it as unavailable. */
#ifndef LC_JSON_REPORT_H
#define LC_JSON_REPORT_H
#include "buffered_writer.h"
#include "verdict.h"

__attribute__((weak)) void report_json(struct lc_bufw *w, const struct lc_snapshot *s,
                                       const struct lc_report_ctx *ctx, const struct lc_judgement *j);
#endif
