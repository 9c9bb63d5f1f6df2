/* Stack capture (libunwind) and the stack depot: each distinct stack is stored once and named by a 32-bit id. */
#ifndef LC_STACK_H
#define LC_STACK_H
#include <stdint.h>
#include <stddef.h>

typedef uint32_t stack_id;          /* 0 means "no stack" */
#define LC_MAX_FRAMES 64

/* Capture the caller's stack, dropping `skip` innermost frames (the shim's own), and intern it. */
stack_id stack_capture(int skip);
/* The same, for a caller that asks again and again from one place: ra and fp are its return address and frame
 * address, which fix the frames above the ones kept. A thread that keeps capturing remembers its last few
 * captures by them and reuses one while every return address it holds is still where it was read (stack.c). */
stack_id stack_capture_at(int skip, uintptr_t ra, uintptr_t fp);
/* The calling thread's own stack, [lo, hi): stack_capture_at remembers only captures made on it. Until it is
 * given, every capture walks. */
void stack_thread_bounds(uintptr_t lo, uintptr_t hi);
/* The calling thread ends: what it remembered goes (later captures on it walk). */
void stack_thread_end(void);
/* Capture the caller's stack, dropping the innermost frames that lie in [lo, hi) (the shim's own code,
 * however deep in it the capture is made), and intern it. */
stack_id stack_capture_below(uintptr_t lo, uintptr_t hi);
/* Raw walk of the stack into buf (at most max pcs; buf[0] lies in stack_walk itself, buf[1] in its caller):
 * serialized, made on a stack of the shim's (the caller's own stack gains one small frame), and cheap in
 * memory for threads that rarely capture. Use this, never libunwind directly. The captures above work the
 * same way. */
int stack_walk(void **buf, int max);
/* The same, with each frame's stack pointer in sps (a frame's pc was returned to from the word at sp - 8): the
 * slower walk, for a caller that proves a capture later by the words its frames left (see stack_capture_at). */
int stack_walk_sp(void **buf, uintptr_t *sps, int max);
/* A capture's proof: where the return addresses of its frames lie on the stack, and what they are. A capture
 * remembered by the place that asked for it (stack_capture_at; gccgo's parks and go statements) stands for a
 * later one from there while its proof holds: each return address is still where its frame's call put it, so
 * the chain of calls is the same. */
struct stack_proof { int n; uintptr_t slot[LC_MAX_FRAMES], word[LC_MAX_FRAMES]; };
/* Fill pf from a walk's pcs and sps (stack_walk_sp, n frames): the longest run of frames from the first whose
 * return address is in the word just below its sp, each word within [lo, hi) and above the one before, by at
 * most max_gap bytes (0: any). Returns pf->n. */
int stack_proof_fill(struct stack_proof *pf, void *const *pcs, const uintptr_t *sps, int n, uintptr_t lo,
                     uintptr_t hi, uintptr_t max_gap);
/* Whether pf still holds; one with no frame proves nothing. Call-free (gccgo's fast park runs it). */
static inline __attribute__((always_inline)) int stack_proof_holds(const struct stack_proof *pf)
{
    if (!pf || pf->n == 0)
        return 0;
    for (int k = 0; k < pf->n; k++)
        if (*(const volatile uintptr_t *)pf->slot[k] != pf->word[k])
            return 0;
    return 1;
}
/* A proof costs the slower walk: a thread's proofs made and reused, and whether it has stopped proving (its
 * proofs were not reused ten times each on the whole). stack_proof_afford counts one proof about to be made;
 * 0 once stopped. Count each reuse in hits. */
struct stack_proof_budget { unsigned proves, hits, off; };
static inline int stack_proof_afford(struct stack_proof_budget *b)
{
    if (b->off)
        return 0;
    if (++b->proves > 32 && b->hits < 10 * b->proves)
        b->off = 1;
    return 1;
}
/* Intern an explicit list of return addresses. */
stack_id stack_intern(const uintptr_t *pcs, int n);
/* Frames of a stored stack; returns the count and points *pcs at them (valid for the process lifetime). */
int stack_get(stack_id id, const uintptr_t **pcs);
/* Depth limit for captures (option stack_depth), clamped to [1, LC_MAX_FRAMES]. */
void stack_set_depth(int depth);
size_t stack_depot_count(void);
/* Forget everything (unit tests). */
void stack_depot_reset(void);
void stack_depot_lock(void);
void stack_depot_unlock(void);
#endif
