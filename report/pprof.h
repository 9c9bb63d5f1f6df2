/* The pprof reports: gzipped profile.proto files. Report formats: optional (weak). */
#ifndef LC_PPROF_H
#define LC_PPROF_H
#include "buffered_writer.h"
#include "verdict.h"

/* Tasks by stack (goroutine/count). */
__attribute__((weak)) void report_pprof(struct lc_bufw *w, const struct lc_snapshot *s,
                                        const struct lc_report_ctx *ctx, const struct lc_judgement *j);
/* The second pprof file: blocked time by site (a contention profile). */
__attribute__((weak)) void report_pprof_contention(struct lc_bufw *w, const struct lc_snapshot *s,
                                                   const struct lc_report_ctx *ctx, const struct lc_judgement *j);
#endif
