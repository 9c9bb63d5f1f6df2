/* LEAKCHECK_OPTIONS: "name=value:name=value". The option list lives in options.inc. */
#ifndef LC_OPTIONS_H
#define LC_OPTIONS_H
#include <stddef.h>

#define LC_OPT_TYPE_INT int
#define LC_OPT_TYPE_BOOL int
#define LC_OPT_TYPE_DUR int
#define LC_OPT_TYPE_STR char *

struct lc_options {
#define OPTION(type, name, def, range, help) LC_OPT_TYPE_##type name;
#include "options.inc"
#undef OPTION
};

extern struct lc_options lc_opt;

/* Reset *o to the defaults. */
void options_defaults(struct lc_options *o);
/* Parse str into *o (on top of what is there). Each bad entry writes one line into err (a buffer of errlen
 * bytes, lines joined with '\n') and is skipped; returns the number of bad entries. Strings are copied into
 * storage owned by the options module. */
int options_parse(struct lc_options *o, const char *str, char *err, size_t errlen);
/* The help text (one line per option) into buf; returns its length. */
size_t options_help(char *buf, size_t len);
#endif
