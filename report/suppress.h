/* leakcheck's rules (rules.h is the engine): the ignore_* options and the file named by the suppressions
 * option, one rule per line, "kind:pattern" ('#' comments and blank lines allowed), in the spirit of the
 * sanitizers' suppression files. Kinds: leak (any frame of the blocking stack, the creation stacks or the start
 * routine; ignore_any), leak_top (the top frame, else the start routine; ignore_top), leak_created_by (the
 * creating function; ignore_created_by), misuse (any misuse finding but deadlocks), and one per finding kind
 * (double_close, send_closed, fd_double_close, lock_order, deadlock, ...: any frame of the finding's sites). A
 * pattern is a whole function name, source file path or module with '*' wildcards (fnmatch). The default
 * suppressions (LC_DEFAULT_SUPP beside the library: the runtimes' own thread pools) are rules of the same kinds,
 * matched after the file's. */
#ifndef LC_SUPPRESS_H
#define LC_SUPPRESS_H
#include <stddef.h>
#include "buffered_writer.h"
#include "rules.h"
#include "../runtime/finding.h"
#include "../runtime/task.h"


/* The rule kind's name of a finding kind ("double_close", "fd_double_close", ...). */
const char *suppress_kind_id(enum lc_finding_kind kind);
/* Replace the file's rules by those in text (the contents of file name). Each malformed line adds one message
 * "leakcheck: NAME:LINE: ..." to err (errlen bytes, lines joined by '\n') and is skipped; returns how many. */
int suppress_parse(const char *name, const char *text, char *err, size_t errlen);
/* The default suppressions: this file beside the library (make install puts it there). */
#define LC_DEFAULT_SUPP "libleakcheck.supp"
/* Read lc_opt.suppressions and, unless default_suppressions=0, the default suppressions, once per process (later
 * calls do nothing); complaints go to stderr. */
void suppress_load(void);
/* Where the default suppressions are read from ("" when the library's own path is unknown). */
const char *suppress_default_path(void);
/* Replace the default rules by those in text (unit tests), as suppress_parse does for the file's. */
int suppress_parse_defaults(const char *name, const char *text, char *err, size_t errlen);
/* Start a report: the option rules from the ignore_* options as they are now, every rule's hits back to 0. */
void suppress_begin(void);
/* Whether a leak rule (an option's first, then the file's) silences t, or a file's misuse rule f; counts a hit on
 * the first matching rule. */
int suppress_task(const struct lc_task *t);
/* The same for t standing for n tasks alike (a snapshot task and its twins): n hits. */
int suppress_tasks(const struct lc_task *t, unsigned n);
int suppress_finding(const struct lc_finding *f);
/* The file's rules (the used suppressions a report lists). */
size_t suppress_nrules(void);
const struct lc_supp_rule *suppress_rule(size_t i);
/* "leakcheck: used suppressions:" then "  N kind:pattern" per rule of the file with hits (and at verbosity 2
 * each default rule with hits, marked "(default)"); nothing when none was used. */
void suppress_print_used(struct lc_bufw *w);
/* At verbosity 2: where the default suppressions came from and how many, or why there are none. */
void suppress_print_defaults(struct lc_bufw *w);
/* Forget every rule (unit tests). */
void suppress_clear(void);
#endif
