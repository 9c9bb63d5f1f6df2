/* gccgo_sync.c: package sync's parks and misuse. Split-stack code only (gccgo_int.h). */
#ifndef LC_GCCGO_SYNC_H
#define LC_GCCGO_SYNC_H
#include <stdint.h>
#include "resolve.h"

void go_sync_init(void);              /* where sync's semaphore callers are */
/* A sync wrapper, for the split-stack check. */
void go_semacquire(uint32_t *addr) __asm__(GO_WRAPPER_NAME(go_semacquire));
#endif
