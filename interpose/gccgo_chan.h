/* gccgo_chan.c: Go channels. Split-stack code only (gccgo_int.h). */
#ifndef LC_GCCGO_CHAN_H
#define LC_GCCGO_CHAN_H
#include <stdint.h>
#include "resolve.h"

/* Non-blocking channel operations (select with default) of the goroutine running on this thread since it last
 * parked. Per thread is enough: a goroutine changes thread only by parking, which resets the count (so does
 * another goroutine showing up on the thread, which can only undercount). */
struct go_spin { void *g; uint32_t nb, drops; };
extern LC_TLS struct go_spin go_spin;
static inline void go_spin_reset(void) { go_spin.g = NULL; }
/* A channel wrapper, for the split-stack check. */
void go_chansend1(void *c, void *elem) __asm__("runtime.chansend1");
#endif
