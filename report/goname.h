/* Go function names as gccgo emits them, turned into the spelling Go itself prints. */
#ifndef LC_GONAME_H
#define LC_GONAME_H
#include <stddef.h>

/* Whether an assembler symbol looks like a gccgo Go symbol (pkg.Name) rather than a C one (foo, foo.part.0). */
int goname_is_go_symbol(const char *sym);
/* Decode a gccgo assembler symbol (example_0com_1app.T.m) into the Go name (example.com/app.T.m). */
void goname_demangle(const char *sym, char *out, size_t len);
/* If name is a method (pkg.T.m, or a closure inside one), the receiver type name T into recv and the method's
 * own name without closure suffix (pkg.T.m) into base; returns 1. Returns 0 for plain functions. */
int goname_method(const char *name, char *recv, size_t rlen, char *base, size_t blen);
/* Go's spelling: closures pkg.f..func1 -> pkg.f.func1, pointer methods pkg.T.m -> pkg.(*T).m when ptr_recv. */
void goname_pretty(const char *name, int ptr_recv, char *out, size_t len);
#endif
