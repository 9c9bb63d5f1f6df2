/* free and realloc: a lock in memory given back is gone. C++ objects' std::mutex members and mutexes in
 * calloc'd memory are never initialised nor destroyed through pthreads, so the lock-order graph learns of their
 * end here (runtime/lockset.h), and the next object at that address is a new lock. Nothing but one load and test
 * (and the jump through the real free's pointer, which a lookup fills) until the graph holds a lock outside the
 * program's variables; then a block outside the span of such locks'
 * addresses costs two compares, and one inside it has its cache lines looked up in a small summary (a thread
 * freeing the block it found clear last time, unchanged, skips even that). The shim's own memory never comes
 * from malloc (runtime/alloc.c). */
#include "resolve.h"
#include "../runtime/lockset.h"
#include <dlfcn.h>
#include <malloc.h>
#include <stdlib.h>

static void free_first(void *p);
/* The real free, called through this pointer with no test: until it is looked up, free_first. */
static void (*real_free)(void *) = free_first;
LC_REAL_DECL(void *, realloc, (void *, size_t));
static size_t (*real_usable)(void *);
static int glibc_heap;                  /* the program's malloc is glibc's: sizes read from the chunk header */

/* What the allocator that made the block knows of it in one word: glibc's chunk header (the word before the
 * block: size and three flag bits), or another malloc's own malloc_usable_size. */
static inline size_t block_word(void *p)
{
    if (__builtin_expect(glibc_heap, 1))
        return ((const size_t *)p)[-1];
    return real_usable ? real_usable(p) : 0;
}

/* The block's size from that word (a mapped glibc chunk has one word more of overhead). */
static inline size_t block_size(size_t w)
{
    if (__builtin_expect(glibc_heap, 1))
        return (w & ~(size_t)7) - (w & 2 ? 16 : 8);
    return w;
}

__attribute__((noinline, cold)) static void freed(void *p, size_t n)
{
    LC_ENTER();
    lockset_freed(p, n);
    LC_LEAVE();
}

/* The last block this thread found clear of watched locks, with its chunk header and the summary's generation
 * then: the same three give the same answer (a program that frees what it just allocated, again and again,
 * looks once). Only glibc's blocks are kept (another allocator's header word is not known to be there). */
static LC_TLS struct { void *p; size_t word; uintptr_t gen; } clear;

static inline int still_clear(void *p, uintptr_t gen)
{
    return clear.p == p && clear.gen == gen && clear.word == ((const size_t *)p)[-1];
}

/* Whether p may hold a watched lock, told to the lock-order graph when it may; remembered when not. */
static void check(void *p, uintptr_t gen)
{
    if (lc_in_shim)
        return;
    size_t w = block_word(p), n = block_size(w);
    if (lockset_may_hold_lock(p, n)) {
        freed(p, n);
    } else if (glibc_heap) {
        clear.p = p;
        clear.word = w;
        clear.gen = gen;
    }
}

__attribute__((noinline)) static void free_checked(void *p, uintptr_t gen)
{
    if (p)
        check(p, gen);
    real_free(p);
}

/* A free before start-up's lookup (or dlsym's own scratch during it, which is kept): the lookup, then the call. */
__attribute__((noinline, cold)) static void free_first(void *p)
{
    if (lc_in_shim)
        return;
    void (*f)(void *) = (void (*)(void *))lc_dlsym_next("free", 1);
    if (!f)
        return;
    __atomic_store_n(&real_free, f, __ATOMIC_RELEASE);
    f(p);
}

LC_EXPORT void free(void *p)
{
    uintptr_t gen = __atomic_load_n(&lc_heap_gen, __ATOMIC_ACQUIRE);
    if (__builtin_expect(gen != 0, 0) && (!p || !still_clear(p, gen)))
        return free_checked(p, gen);
    real_free(p);
}

LC_EXPORT void *realloc(void *p, size_t n)
{
    uintptr_t gen = __atomic_load_n(&lc_heap_gen, __ATOMIC_ACQUIRE);
    if (__builtin_expect(gen != 0, 0) && p)
        check(p, gen);                  /* moved or not, a lock does not survive being copied */
    return LC_REAL(realloc)(p, n);
}

/* Looked up at start-up, before any lookup of ours can free the scratch it made. */
__attribute__((constructor(101))) static void heap_init(void)
{
    free_first(NULL);
    LC_REAL(realloc);
    void *libc = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);
    void *ours = libc ? dlsym(libc, "malloc") : NULL;
    glibc_heap = ours && ours == lc_dlsym_next("malloc", 0);
    real_usable = (size_t (*)(void *))lc_dlsym_next("malloc_usable_size", 0);
    if (libc)
        dlclose(libc);
}
