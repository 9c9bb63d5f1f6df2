/* Calling a function on another stack: the shim's deep work (a stack walk, a goroutine's bookkeeping) runs on
 * stacks it owns instead of the task's own, so a blocked task costs its record only. */
#ifndef LC_ON_STACK_H
#define LC_ON_STACK_H

/* Call fn(arg) with the stack pointer at top (rounded down to 16 bytes) and return what it returns. The
 * split-stack guard (%fs:0x70) is 0 during the call, as on any thread of a C program, so split-stack code
 * (gccgo's) runs there without asking for a segment; it is put back after. Unwinders walk through it to the
 * caller's frames (its frame is described by %rbp). Defined in on_stack.c, an object marked as split-stack
 * code: split-stack callers call it as they are, without a segment switch. Not reentrant for one stack: a
 * caller that may already be on it checks first. */
long lc_on_stack(long (*fn)(void *), void *arg, void *top);
#endif
