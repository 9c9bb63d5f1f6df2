/* Attribution shared by the formats: the Go test a task belongs to, the stack a profile charges a task to, and
 * the creation sites with the most tasks (the max_tasks alert). */
#ifndef LC_ATTRIBUTION_H
#define LC_ATTRIBUTION_H
#include <stddef.h>
#include "frames.h"
#include "verdict.h"

/* The Go test function named by func ("pkg.TestLeaky", "example.com/m.TestLeaky.func1" -> "TestLeaky"; also
 * Benchmark, Fuzz and Example functions) into out; 0 when func is none. */
int attrib_test_name(const char *func, char *out, size_t len);
/* The Go test t belongs to: the first test function in its creation chain (creation stacks, creator's ...),
 * else in its own blocking stack. 0 when none. */
int attrib_test(const struct lc_task *t, char *out, size_t len);

/* The stack a profile charges t to, innermost first: a blocked task's blocking stack; otherwise (running,
 * finished) its start routine on top of its creation stack. Returns the number of frames (at most max). */
int attrib_profile_stack(const struct lc_task *t, struct lc_frame *out, int max);

struct lc_site {
    struct lc_frame where;    /* the creation stack's origin frame (frames_origin) */
    unsigned count;           /* tasks created there */
};
/* The creation sites of the judged tasks, most tasks first, at most max; returns how many. */
size_t attrib_creation_sites(const struct lc_judgement *j, struct lc_site *out, size_t max);
#endif
