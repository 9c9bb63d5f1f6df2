/* Patching the Go runtime's code at start-up, before the runtime runs: only after the bytes at the site are
 * exactly the ones expected, and through a stub within a 32-bit jump of the site, so that a patch is a
 * one-byte no-op and a five-byte jump (the fake return address of a yield, site + 1, is that jump). */
#include "gc_patch.h"
#include "gc_hooks.h"
#include "../report/pclntab.h"
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
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

/* Room for a stub of n bytes within a 32-bit jump of site, writable until stub_done(). */
static uint8_t *stub_begin(uint64_t site, size_t n)
{
    if (!near_page || !within(site, (uint64_t)(uintptr_t)near_page) || near_used + n > NEAR_SIZE) {
        uint8_t *p = near_alloc(site);
        if (!p)
            return NULL;
        if (near_page)
            mprotect(near_page, NEAR_SIZE, PROT_READ | PROT_EXEC);
        near_page = p;
        near_used = 0;
    } else if (mprotect(near_page, NEAR_SIZE, PROT_READ | PROT_WRITE) != 0) {
        return NULL;
    }
    uint8_t *stub = near_page + near_used;
    near_used += (n + 15) & ~(size_t)15;
    return stub;
}

static void stub_done(void)
{
    mprotect(near_page, NEAR_SIZE, PROT_READ | PROT_EXEC);
}

static void put_rel32(uint8_t *at, uint64_t from_end, uint64_t to)
{
    int32_t rel = (int32_t)((int64_t)to - (int64_t)from_end);
    memcpy(at, &rel, 4);
}

/* Write code over the site (text pages are made writable for the moment). */
static int write_site(uint64_t site, const uint8_t *code, size_t n)
{
    if (set_prot(site, n, PROT_READ | PROT_WRITE | PROT_EXEC) != 0)
        return -1;
    memcpy((void *)(uintptr_t)site, code, n);
    set_prot(site, n, PROT_READ | PROT_EXEC);
    __builtin___clear_cache((char *)(uintptr_t)site, (char *)(uintptr_t)site + n);
    return 0;
}

/* The protection of the mapping that holds addr, from /proc/self/maps; -1 when not found. */
static int prot_of(uint64_t addr)
{
    int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC), prot = -1;
    if (fd < 0)
        return -1;
    char buf[8192], line[512];
    size_t ll = 0;
    ssize_t n;
    while (prot < 0 && (n = read(fd, buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < n && prot < 0; i++) {
            if (buf[i] != '\n') {
                if (ll < sizeof line - 1)
                    line[ll++] = buf[i];
                continue;
            }
            line[ll] = 0;
            ll = 0;
            unsigned long lo, hi;
            char perms[8];
            if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) == 3 && addr >= lo && addr < hi)
                prot = (perms[0] == 'r' ? PROT_READ : 0) | (perms[1] == 'w' ? PROT_WRITE : 0) |
                       (perms[2] == 'x' ? PROT_EXEC : 0);
        }
    }
    close(fd);
    return prot;
}

int gc_patch_word(uint64_t addr, uint32_t expect, uint32_t value)
{
    int prot = prot_of(addr);
    if (prot < 0 || !(prot & PROT_READ) || *(const volatile uint32_t *)(uintptr_t)addr != expect)
        return -1;
    long pg = sysconf(_SC_PAGESIZE);
    uint64_t lo = addr & ~(uint64_t)(pg - 1);
    if (mprotect((void *)(uintptr_t)lo, (size_t)pg, prot | PROT_WRITE) != 0)
        return -1;
    *(volatile uint32_t *)(uintptr_t)addr = value;
    mprotect((void *)(uintptr_t)lo, (size_t)pg, prot);   /* as it was */
    return 0;
}

int gc_patch_jump(uint64_t site, const uint8_t *expect, size_t n, void *target)
{
    if (n < 6 || memcmp((const void *)(uintptr_t)site, expect, n) != 0)
        return -1;
    /* the stub: movabs $target, %rax; jmp *%rax (rax is free at a function's entry in Go's ABI0) */
    uint8_t *stub = stub_begin(site, 12);
    if (!stub)
        return -1;
    uint64_t t = (uint64_t)(uintptr_t)target;
    stub[0] = 0x48, stub[1] = 0xb8;
    memcpy(stub + 2, &t, 8);
    stub[10] = 0xff, stub[11] = 0xe0;
    stub_done();
    /* the site: nop; jmp rel32 stub */
    uint8_t code[6] = { 0x90, 0xe9 };
    put_rel32(code + 2, site + 6, (uint64_t)(uintptr_t)stub);
    return write_site(site, code, sizeof code);
}

/* movabs $hook, %r13; movabs $tramp, %r12; jmp *%r12 (r12 and r13 are scratch in Go's ABIInternal) */
static size_t put_call(uint8_t *p, const struct gc_hook *h, void (*tramp)(void))
{
    uint64_t hv = (uint64_t)(uintptr_t)h, tv = (uint64_t)(uintptr_t)tramp;
    p[0] = 0x49, p[1] = 0xbd;
    memcpy(p + 2, &hv, 8);
    p[10] = 0x49, p[11] = 0xbc;
    memcpy(p + 12, &tv, 8);
    p[20] = 0x41, p[21] = 0xff, p[22] = 0xe4;
    return 23;
}

/* The stack-bound check every Go function (but the smallest) begins with: its length (the bytes a patch may
 * displace), the bytes of the comparison to repeat, and where the function grows its stack. */
static size_t stack_check(const uint8_t *c, uint64_t fn, size_t *cmp_len, uint64_t *grow)
{
    static const uint8_t cmp_sp[] = { 0x49, 0x3b, 0x66, 0x10 }, cmp_r12[] = { 0x4d, 0x3b, 0x66, 0x10 };
    size_t at = 0;
    if (c[0] == 0x4c && c[1] == 0x8d && c[2] == 0x64 && c[3] == 0x24 && memcmp(c + 5, cmp_r12, 4) == 0)
        at = 9;                           /* leaq -N(%rsp), %r12; cmpq 16(%r14), %r12 */
    else if (c[0] == 0x4c && c[1] == 0x8d && c[2] == 0xa4 && c[3] == 0x24 && memcmp(c + 8, cmp_r12, 4) == 0)
        at = 12;
    else if (memcmp(c, cmp_sp, 4) == 0)
        at = 4;                           /* cmpq 16(%r14), %rsp */
    else
        return 0;
    *cmp_len = at;
    if (c[at] == 0x0f && c[at + 1] == 0x86) {           /* jbe rel32 */
        int32_t rel;
        memcpy(&rel, c + at + 2, 4);
        *grow = fn + at + 6 + (uint64_t)(int64_t)rel;
        return at + 6;
    }
    if (c[at] == 0x76) {                                /* jbe rel8 */
        *grow = fn + at + 2 + (uint64_t)(int64_t)(int8_t)c[at + 1];
        return at + 2 >= 5 ? at + 2 : 0;
    }
    return 0;
}

int gc_hook_entry(uint64_t fn, struct gc_hook *h)
{
    const uint8_t *c = (const uint8_t *)(uintptr_t)fn;
    size_t cmp_len;
    uint64_t grow;
    size_t len = stack_check(c, fn, &cmp_len, &grow);
    if (!len)
        return -1;
    uint8_t *stub = stub_begin(fn, cmp_len + 6 + 23);
    if (!stub)
        return -1;
    /* the check again (a function that must grow its stack comes back to its entry: hooked once), then the hook */
    memcpy(stub, c, cmp_len);
    stub[cmp_len] = 0x0f, stub[cmp_len + 1] = 0x86;
    put_rel32(stub + cmp_len + 2, (uint64_t)(uintptr_t)stub + cmp_len + 6, grow);
    put_call(stub + cmp_len + 6, h, lc_gc_entry_tramp);
    stub_done();
    h->resume = fn + len;
    uint8_t code[5] = { 0xe9 };
    put_rel32(code + 1, fn + 5, (uint64_t)(uintptr_t)stub);
    return write_site(fn, code, sizeof code);
}

/* A function without a stack check (//go:nosplit): its first instructions, moved to the stub, must be the
 * frame set-up (subq $N, %rsp; movq %rbp, N-8(%rsp)), which runs the same anywhere. */
int gc_hook_nosplit_entry(uint64_t fn, struct gc_hook *h)
{
    const uint8_t *c = (const uint8_t *)(uintptr_t)fn;
    size_t len;
    if (c[0] == 0x48 && c[1] == 0x83 && c[2] == 0xec && c[4] == 0x48 && c[5] == 0x89 && c[6] == 0x6c &&
        c[7] == 0x24 && c[8] == (uint8_t)(c[3] - 8))
        len = 9;
    else
        return -1;
    uint8_t *stub = stub_begin(fn, 23 + len + 5);
    if (!stub)
        return -1;
    put_call(stub, h, lc_gc_entry_tramp);
    memcpy(stub + 23, c, len);
    stub[23 + len] = 0xe9;
    put_rel32(stub + 24 + len, (uint64_t)(uintptr_t)stub + 28 + len, fn + len);
    stub_done();
    h->resume = (uint64_t)(uintptr_t)stub + 23;     /* the displaced instructions, then back */
    uint8_t code[5] = { 0xe9 };
    put_rel32(code + 1, fn + 5, (uint64_t)(uintptr_t)stub);
    return write_site(fn, code, sizeof code);
}

/* The epilogue at ret: movq N-8(%rsp), %rbp; addq $N, %rsp; ret, in its 8- or 32-bit displacement forms.
 * Returns the offset of its first byte before ret, 0 when the bytes are not that. */
static size_t epilogue(const uint8_t *c, size_t ret)
{
    if (ret >= 9 && c[ret - 4] == 0x48 && c[ret - 3] == 0x83 && c[ret - 2] == 0xc4 &&
        c[ret - 9] == 0x48 && c[ret - 8] == 0x8b && c[ret - 7] == 0x6c && c[ret - 6] == 0x24 &&
        c[ret - 5] == (uint8_t)(c[ret - 1] - 8))
        return ret - 9;
    if (ret >= 15 && c[ret - 7] == 0x48 && c[ret - 6] == 0x81 && c[ret - 5] == 0xc4 &&
        c[ret - 15] == 0x48 && c[ret - 14] == 0x8b && c[ret - 13] == 0xac && c[ret - 12] == 0x24) {
        int32_t add, mov;
        memcpy(&add, c + ret - 4, 4);
        memcpy(&mov, c + ret - 11, 4);
        return mov == add - 8 ? ret - 15 : 0;
    }
    return 0;
}

int gc_hook_returns(const struct lc_pcln *p, uint64_t fn, struct gc_hook *h)
{
    struct lc_pcln_func f;
    if (!pcln_func(p, fn, &f) || f.entry != fn || f.end - fn > 65536)
        return -1;
    const uint8_t *c = (const uint8_t *)(uintptr_t)fn;
    size_t size = f.end - fn, found[8];
    int n = 0;
    /* a ret is where the frame is gone again (the function table's frame size is 0 past the entry), right
     * after the standard epilogue */
    for (size_t i = 8; i < size; i++) {
        size_t e = c[i] == 0xc3 ? epilogue(c, i) : 0;
        if (!e || pcln_spdelta(p, &f, fn + i) != 0)
            continue;
        if (n == 8)
            return -1;
        found[n++] = e;
    }
    if (n == 0)
        return -1;
    for (int k = 0; k < n; k++) {
        size_t e = found[k], len = 0;
        while (c[e + len] != 0xc3)
            len++;                        /* the mov and the add */
        uint8_t *stub = stub_begin(fn, len + 23);
        if (!stub)
            return -1;
        memcpy(stub, c + e, len);
        put_call(stub + len, h, lc_gc_ret_tramp);
        stub_done();
        uint8_t code[5] = { 0xe9 };
        put_rel32(code + 1, fn + e + 5, (uint64_t)(uintptr_t)stub);
        if (write_site(fn + e, code, sizeof code) != 0)
            return -1;
    }
    return n;
}
