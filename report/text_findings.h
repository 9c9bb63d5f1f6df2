/* The misuse findings in the text report. */
#ifndef LC_TEXT_FINDINGS_H
#define LC_TEXT_FINDINGS_H
#include "buffered_writer.h"
#include "verdict.h"

/* The misuse findings not silenced by a suppression (j), each followed by a blank line; at most max of them. */
void text_findings(struct lc_bufw *w, const struct lc_snapshot *s, const struct lc_judgement *j, size_t max);
/* The label of site i (0 or 1) of a finding kind in the text report ("second close:", "closed at:"). */
const char *text_site_label(unsigned kind, int i);
#endif
