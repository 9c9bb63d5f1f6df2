/* The frames a report shows for a stored stack: symbolized, inlined calls expanded, the shim's own frames and
 * the runtimes' plumbing left out. */
#ifndef LC_FRAMES_H
#define LC_FRAMES_H
#include "symbolize.h"
#include "../runtime/stack.h"

#define LC_FRAMES_MAX (LC_MAX_FRAMES * 2)

/* The shown frames of stack id into out (at most max); returns how many. */
int frames_of(stack_id id, struct lc_frame *out, int max);
/* The first shown frame of stack id; returns 0 (and out->func "??") when there is none. */
int frames_top(stack_id id, struct lc_frame *out);
/* The first frame of stack id in the program's own code (known source file outside the toolchain's headers),
 * else the first shown frame: where a task was created, a channel made, a misuse done. 0 when none. */
int frames_origin(stack_id id, struct lc_frame *out);
/* Whether module is gccgo's runtime library (libgo.so). */
int frames_in_libgo(const char *module);
#endif
