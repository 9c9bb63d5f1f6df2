/* The gc family (Go built by the standard toolchain): start-up and the refresh before a report. */
#ifndef LC_GC_FAMILY_H
#define LC_GC_FAMILY_H
#include "gc_binary.h"

enum { LC_GC_NOT_GO = 0, LC_GC_ON, LC_GC_REFUSED };

/* In the constructor, first: whether the program is gc-built Go, and if so set the family up. LC_GC_REFUSED:
 * it is, but cannot be read (one line said why at verbosity >= 1); the shim then stays out of its way. */
int lc_gc_start(void);
int lc_gc_active(void);
/* The executable, when the family is on. */
const struct gc_bin *lc_gc_binary(void);
#endif
