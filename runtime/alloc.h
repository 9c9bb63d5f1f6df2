/* Internal allocator: mmap-backed, never touches the program's malloc, fork-safe under the table lock. */
#ifndef LC_ALLOC_H
#define LC_ALLOC_H
#include <stddef.h>

void *lc_calloc(size_t n, size_t size);
void lc_free(void *p);
/* Bytes currently held by the internal allocator (for memory-per-task accounting). */
size_t lc_alloc_bytes(void);
/* Held across fork so the child inherits a consistent heap. */
void lc_alloc_lock(void);
void lc_alloc_unlock(void);
#endif
