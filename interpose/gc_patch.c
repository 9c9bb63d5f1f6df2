/* Patching the Go runtime's code at start-up, before the runtime runs: only after the bytes at the site are
 * exactly the ones expected, and through a stub within a 32-bit jump of the site, so that a patch is a
 * one-byte no-op and a five-byte jump (the fake return address of a yield, site + 1, is that jump). */
#include "gc_patch.h"
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define NEAR_SIZE 4096
#define SPAN (1ull << 30)                 /* stubs stay within 1 GiB of the code */

static uint8_t *near_page;
static size_t near_used;

/* A page for stubs within SPAN of addr, or NULL. */
static uint8_t *near_alloc(uint64_t addr)
{
    for (uint64_t step = 1; step < 256; step++) {
        uint64_t dist = step << 22;       /* 4 MiB apart */
        for (int side = 0; side < 2; side++) {
            uint64_t want = side ? addr + dist : addr - dist;
            if (dist >= SPAN || (!side && dist > addr))
                continue;
            want &= ~(uint64_t)(NEAR_SIZE - 1);
            void *p = mmap((void *)(uintptr_t)want, NEAR_SIZE, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
            if (p == MAP_FAILED)
                continue;
            if ((uint64_t)(uintptr_t)p == want)
                return p;
            munmap(p, NEAR_SIZE);         /* an old kernel took the address as a hint only */
        }
    }
    return NULL;
}

static int within(uint64_t from, uint64_t to)
{
    int64_t d = (int64_t)(to - from);
    return d > INT32_MIN && d < INT32_MAX;
}

static int set_prot(uint64_t addr, size_t n, int prot)
{
    long pg = sysconf(_SC_PAGESIZE);
    uint64_t lo = addr & ~(uint64_t)(pg - 1), hi = (addr + n + (uint64_t)pg - 1) & ~(uint64_t)(pg - 1);
    return mprotect((void *)(uintptr_t)lo, hi - lo, prot);
}

int gc_patch_jump(uint64_t site, const uint8_t *expect, size_t n, void *target)
{
    if (n < 6 || memcmp((const void *)(uintptr_t)site, expect, n) != 0)
        return -1;
    if (!near_page || !within(site, (uint64_t)(uintptr_t)near_page) || near_used + 16 > NEAR_SIZE) {
        uint8_t *p = near_alloc(site);
        if (!p)
            return -1;
        if (near_page)
            mprotect(near_page, NEAR_SIZE, PROT_READ | PROT_EXEC);
        near_page = p;
        near_used = 0;
    } else if (mprotect(near_page, NEAR_SIZE, PROT_READ | PROT_WRITE) != 0) {
        return -1;
    }
    /* the stub: movabs $target, %rax; jmp *%rax (rax is free at a function's entry in Go's ABI0) */
    uint8_t *stub = near_page + near_used;
    uint64_t t = (uint64_t)(uintptr_t)target;
    stub[0] = 0x48, stub[1] = 0xb8;
    memcpy(stub + 2, &t, 8);
    stub[10] = 0xff, stub[11] = 0xe0;
    near_used += 16;
    mprotect(near_page, NEAR_SIZE, PROT_READ | PROT_EXEC);
    /* the site: nop; jmp rel32 stub */
    uint8_t code[6] = { 0x90, 0xe9 };
    int32_t rel = (int32_t)((int64_t)(uintptr_t)stub - (int64_t)(site + 6));
    memcpy(code + 2, &rel, 4);
    if (set_prot(site, sizeof code, PROT_READ | PROT_WRITE | PROT_EXEC) != 0)
        return -1;
    memcpy((void *)(uintptr_t)site, code, sizeof code);
    set_prot(site, sizeof code, PROT_READ | PROT_EXEC);
    __builtin___clear_cache((char *)(uintptr_t)site, (char *)(uintptr_t)site + sizeof code);
    return 0;
}
