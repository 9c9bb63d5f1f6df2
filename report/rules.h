/* A generic rule context, in the spirit of the sanitizers' suppression contexts: rules "kind:pattern" read from
 * a file (one a line, '#' comments and blank lines allowed) or given as a comma-separated list of patterns of
 * one kind, matched against frames. It knows nothing of what the kinds mean: its user (suppress.c) names them
 * and says which frames each kind is matched against. A pattern is a whole function name, source file path or
 * module (shared object or executable path) with '*' wildcards (fnmatch). */
#ifndef LC_RULES_H
#define LC_RULES_H
#include <stddef.h>
#include "symbolize.h"

struct lc_supp_rule {
    const char *kind;         /* its kind's name, as written: "leak", "double_close", ... */
    const char *pattern;
    int line;                 /* in the file; 0 for a rule from a list */
    unsigned hits;            /* what it matched since rules_begin */
    int kind_id;              /* index into the context's kind names */
};

struct lc_rules {
    const char *const *kinds; /* the kind names, by id (NULL entries: no such kind) */
    int nkinds;
    struct lc_supp_rule *rules;
    size_t nrules;
};

/* Append the rules of text, the contents of file name. Each malformed line adds one message
 * "leakcheck: NAME:LINE: ..." to err (errlen bytes, lines joined by '\n') and is skipped; returns how many.
 * valid_first: the kind id listed first among the valid kinds in the message (the others follow in order). */
int rules_parse(struct lc_rules *rs, const char *name, const char *text, char *err, size_t errlen, int valid_first);
/* Append one rule of kind id per pattern of the comma-separated list (blanks around patterns ignored). */
void rules_add_list(struct lc_rules *rs, int kind_id, const char *list);
/* Forget every rule. */
void rules_clear(struct lc_rules *rs);
/* Every rule's hits back to 0. */
void rules_begin(struct lc_rules *rs);
/* The whole file at path (NUL-terminated, malloc'd), read with raw system calls, never blocking on a fifo; NULL
 * and why not. */
char *rules_read_file(const char *path, const char **why);

/* Frames a kind is matched against. */
struct lc_rule_frames {
    const struct lc_frame *f;
    int n;
};
/* The first rule (in order) whose pattern matches a frame among those subject gives for its kind (subject is
 * indexed by kind id; n 0: the kind does not apply); counts a hit on it. NULL when none. */
struct lc_supp_rule *rules_match(struct lc_rules *rs, const struct lc_rule_frames *subject);
/* Whether name matches one of the patterns of a comma-separated list. */
int rules_list_matches(const char *list, const char *name);
#endif
