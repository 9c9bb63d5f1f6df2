/* Route uthash's allocations to the internal allocator. Include before uthash.h / any runtime header. */
#ifndef LC_UTHASH_ALLOC_H
#define LC_UTHASH_ALLOC_H
#include "alloc.h"
#define uthash_malloc(sz) lc_calloc(1, (sz))
#define uthash_free(ptr, sz) lc_free(ptr)
#define HASH_NONFATAL_OOM 1
#endif
