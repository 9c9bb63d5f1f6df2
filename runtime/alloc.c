/* Internal allocator: power-of-two size classes carved from mmap'd arenas, large blocks mapped directly.
 * Keeps the shim off the program's malloc (no reentrancy, no change to its heap layout). */
#include "alloc.h"
#include "lock.h"
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#define MIN_SHIFT 4                     /* 16 bytes */
#define MAX_SHIFT 12                    /* 4096 bytes; larger blocks get their own mapping */
#define NCLASS (MAX_SHIFT - MIN_SHIFT + 1)
#define ARENA (1u << 20)
#define HDR 16u                         /* header before each block: its class, or its mapping size */

struct free_block { struct free_block *next; };

static lc_lock_t alloc_lock = LC_LOCK_INIT;
static struct free_block *free_list[NCLASS];
static char *arena_cur, *arena_end;
static size_t bytes_held;

static void *map(size_t n)
{
    void *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

static int class_of(size_t total)
{
    int c = 0;
    while (((size_t)1 << (c + MIN_SHIFT)) < total)
        c++;
    return c;
}

void *lc_calloc(size_t n, size_t size)
{
    if (size && n > (SIZE_MAX - HDR) / size)
        return NULL;
    size_t total = n * size + HDR;
    if (total > ((size_t)1 << MAX_SHIFT)) {
        size_t len = (total + 4095) & ~(size_t)4095;
        char *p = map(len);
        if (!p)
            return NULL;
        *(size_t *)p = len;
        __atomic_add_fetch(&bytes_held, len, __ATOMIC_RELAXED);
        return p + HDR;                 /* fresh mappings are zeroed */
    }
    int c = class_of(total);
    size_t bsize = (size_t)1 << (c + MIN_SHIFT);
    char *p = NULL;
    lc_lock(&alloc_lock);
    if (free_list[c]) {
        p = (char *)free_list[c];
        free_list[c] = free_list[c]->next;
    } else {
        if (arena_cur == NULL || (size_t)(arena_end - arena_cur) < bsize) {
            char *a = map(ARENA);
            if (a) {
                arena_cur = a;
                arena_end = a + ARENA;
            }
        }
        if (arena_cur && (size_t)(arena_end - arena_cur) >= bsize) {
            p = arena_cur;
            arena_cur += bsize;
        }
    }
    if (p)
        __atomic_add_fetch(&bytes_held, bsize, __ATOMIC_RELAXED);
    lc_unlock(&alloc_lock);
    if (!p)
        return NULL;
    memset(p, 0, bsize);
    *(size_t *)p = (size_t)c;
    return p + HDR;
}

void lc_free(void *ptr)
{
    if (!ptr)
        return;
    char *p = (char *)ptr - HDR;
    size_t tag = *(size_t *)p;
    if (tag >= NCLASS) {                /* a direct mapping: tag is its length */
        __atomic_sub_fetch(&bytes_held, tag, __ATOMIC_RELAXED);
        munmap(p, tag);
        return;
    }
    lc_lock(&alloc_lock);
    struct free_block *b = (struct free_block *)p;
    b->next = free_list[tag];
    free_list[tag] = b;
    __atomic_sub_fetch(&bytes_held, (size_t)1 << (tag + MIN_SHIFT), __ATOMIC_RELAXED);
    lc_unlock(&alloc_lock);
}

void lc_alloc_lock(void) { lc_lock(&alloc_lock); }
void lc_alloc_unlock(void) { lc_unlock(&alloc_lock); }

size_t lc_alloc_bytes(void)
{
    return __atomic_load_n(&bytes_held, __ATOMIC_RELAXED);
}
