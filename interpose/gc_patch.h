/* Redirecting a Go runtime function to the shim, at start-up only (see gc_patch.c). */
#ifndef LC_GC_PATCH_H
#define LC_GC_PATCH_H
#include <stddef.h>
#include <stdint.h>

/* If the n (>= 6) bytes at site are exactly expect, make site jump to target: site + 0 is a one-byte no-op and
 * site + 1 a jump that ends at target with rax clobbered. Returns 0, or -1 (nothing changed). */
int gc_patch_jump(uint64_t site, const uint8_t *expect, size_t n, void *target);

/* The 32-bit word at addr becomes value, if it is expect. Returns 0, or -1 (nothing changed). */
int gc_patch_word(uint64_t addr, uint32_t expect, uint32_t value);

struct gc_hook;
struct lc_pcln;
/* Call h on entry to the Go function at fn, after its stack check (its first instructions must be one).
 * Returns 0, or -1 (nothing changed). */
int gc_hook_entry(uint64_t fn, struct gc_hook *h);
/* The same for a function without a stack check (//go:nosplit) that begins by setting its frame up. */
int gc_hook_nosplit_entry(uint64_t fn, struct gc_hook *h);
/* Call h at every return of the Go function at fn (each must be the standard epilogue). Returns how many
 * returns were hooked, or -1 (nothing changed). */
int gc_hook_returns(const struct lc_pcln *p, uint64_t fn, struct gc_hook *h);
#endif
