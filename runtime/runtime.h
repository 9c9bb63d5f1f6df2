/* Whole-runtime operations: set-up from options, and the fork protocol (every lock held across fork(), in
 * one fixed order, so the child starts with consistent tables). */
#ifndef LC_RUNTIME_H
#define LC_RUNTIME_H
#include <stdint.h>

void runtime_lock_all(void);
void runtime_unlock_all(void);
/* In a fork child, after runtime_unlock_all(): keep only the forking thread's task. */
void runtime_child_reset(uint64_t keep_key);
#endif
