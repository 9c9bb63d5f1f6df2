/* The goroutines of a gc-built Go process in runtime/'s task table: each walk of the runtime's tables
 * (gc_goroutines.c) brings the table up to date, with what the hooks' records (gc_records.h) add when the
 * process has them (the preload) — who started each goroutine, where each channel was made and closed. Shared
 * by the preload (gc_family.c), which walks again and again, and the attach tool, which walks once from
 * outside the process. */
#ifndef LC_GC_TASKS_H
#define LC_GC_TASKS_H
#include "gc_goroutines.h"
#include "gc_records.h"

struct gc_tasks {
    const struct gc_bin *bin;
    struct gc_mem *mem;
    struct gc_reader *reader;
    uint64_t last_walk_ns;        /* the last complete walk (before the first: when reading began) */
    uint64_t last_file_ns;        /* the last complete walk that filed every goroutine it read (GC_SYNC_FILE) */
    unsigned count_filed;         /* waiting goroutines the GC_SYNC_COUNT walks filed since then */
    int one_walk;                 /* a single walk (attach): "blocked since" is Go's own g.waitsince, when the
                                   * collector has set it, else unknown; "running since" is unknown */
    uint64_t prev_walk_ns;        /* one_walk: when the walk before this one read the process (a traced run's
                                   * live reports), 0 none: a goroutine it saw in the same wait, of unknown age
                                   * then, has waited at least since */
};

/* What a walk does with a goroutine that has no record yet. Goroutines that have one are brought up to date,
 * and records of goroutines gone dropped, whatever the mode. */
enum gc_sync_mode {
    GC_SYNC_FILE,                 /* gives it one (the slow tick, attach) */
    GC_SYNC_REPORT,               /* a report follows: stashed for its snapshot (snapshot_stash), not filed */
    GC_SYNC_COUNT,                /* the exit's grace period: filed when it runs (the grace waits for those),
                                   * and the first 4096 that wait (over all such walks since the last FILE);
                                   * the others are left for the report's walk */
};
/* Walk the goroutines into the task table; exiting_g is the goroutine that exits the process (not a leak), 0
 * when none. Returns the number of user goroutines still running, -1 when the runtime's table could not be
 * read. */
int gc_tasks_sync(struct gc_tasks *c, uint64_t exiting_g, enum gc_sync_mode mode);
/* A channel in runtime/'s table with what the records know of it (r may be NULL). */
void gc_tasks_chan(struct gc_tasks *c, uint64_t key, const struct gc_chanrec *r);
/* runtime/'s id of a stack of the records' depot (0 when there is none). */
stack_id gc_tasks_stack(gc_sid id);
#endif
