/* Names for report/symbolize.c: what a DWARF subprogram or a symbol-table entry is called in a report. */
#ifndef LC_SYMNAMES_H
#define LC_SYMNAMES_H
#include <elfutils/libdw.h>

/* A symbol-table name made readable: Go spelling, C++ demangled, gcc clone suffixes (.part.0, .cold) cut.
 * module (may be NULL) tells libgo's symbols apart. NULL when sym is empty. */
const char *symnames_symbol(const char *sym, const char *module);
/* The name of a subprogram or inlined-subroutine DIE in a CU of language lang, NULL when DWARF has none.
 * sym: the symbol-table name at the function's address, when known (a gccgo function named by //go:linkname
 * has that spelling in DWARF too). */
const char *symnames_die(Dwarf_Die *cu, Dwarf_Die *die, int lang, const char *sym);
/* Whether a function name (as these return it) is one the compiler made, never the site of anything: gccgo's
 * method stubs of embedded fields (main.T.Lock..stub), C++ this-adjusting thunks. */
int symnames_compiler_made(const char *name);
#endif
