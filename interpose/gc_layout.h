/* The Go runtime's struct layout for gc_binary.c (see gc_layout.c). */
#ifndef LC_GC_LAYOUT_H
#define LC_GC_LAYOUT_H
#include <gelf.h>
#include "gc_binary.h"

/* Offsets (b->off, b->width) and goroutine states from the DWARF of elf; returns how many fields of the runtime's
 * own structs were not found (GF__COUNT: no DWARF). A field of a sync type the program never uses gets the
 * built-in offset when the release is the table's. */
int gc_layout_dwarf(struct gc_bin *b, Elf *elf);
/* The built-in table (Go 1.19). */
void gc_layout_builtin(struct gc_bin *b);
/* The member path of a field ("sched.sp"). */
const char *gc_layout_path(int field);
#endif
