/* free and realloc: a lock in memory given back is gone. C++ objects' std::mutex members and mutexes in
 * calloc'd memory are never initialised nor destroyed through pthreads, so the lock-order graph learns of their
 * end here (runtime/lockset.h), and the next object at that address is a new lock. Nothing but a flag test
 * until the graph holds a lock outside the program's variables; then a block outside the span of such locks'
 * addresses costs two compares, and one inside it has its cache lines looked up in a small summary. The shim's
 * own memory never comes from malloc (runtime/alloc.c). */
#include "resolve.h"
#include "../runtime/lockset.h"
#include <dlfcn.h>
#include <malloc.h>
#include <stdlib.h>

LC_REAL_DECL(void, free, (void *));
LC_REAL_DECL(void *, realloc, (void *, size_t));
static size_t (*real_usable)(void *);
static int glibc_heap;                  /* the program's malloc is glibc's: sizes read from the chunk header */

/* The block's size as the allocator that made it knows it: glibc's chunk header (the word before the block:
 * size and three flag bits; a mapped chunk has one word more of overhead), or another malloc's own
 * malloc_usable_size. */
static inline size_t block_size(void *p)
{
    if (__builtin_expect(glibc_heap, 1)) {
        size_t h = ((const size_t *)p)[-1];
        return (h & ~(size_t)7) - (h & 2 ? 16 : 8);
    }
    return real_usable ? real_usable(p) : 0;
}

__attribute__((noinline, cold)) static void freed(void *p, size_t n)
{
    LC_ENTER();
    lockset_freed(p, n);
    LC_LEAVE();
}

static inline void check(void *p)
{
    if (__builtin_expect(lc_heap_locks, 0) && p && !lc_in_shim) {
        size_t n = block_size(p);
        if (lockset_may_hold_lock(p, n))
            freed(p, n);
    }
}

LC_EXPORT void free(void *p)
{
    check(p);
    if (__builtin_expect(!real_free, 0) && lc_in_shim)
        return;                         /* dlsym's own scratch while the real free is being looked up: kept */
    LC_REAL(free)(p);
}

LC_EXPORT void *realloc(void *p, size_t n)
{
    check(p);                           /* moved or not, a lock does not survive being copied */
    return LC_REAL(realloc)(p, n);
}

/* Looked up at start-up, before any lookup of ours can free the scratch it made. */
__attribute__((constructor(101))) static void heap_init(void)
{
    LC_REAL(free);
    LC_REAL(realloc);
    void *libc = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);
    void *ours = libc ? dlsym(libc, "malloc") : NULL;
    glibc_heap = ours && ours == lc_dlsym_next("malloc", 0);
    real_usable = (size_t (*)(void *))lc_dlsym_next("malloc_usable_size", 0);
    if (libc)
        dlclose(libc);
}
