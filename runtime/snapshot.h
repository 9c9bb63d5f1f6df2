/* A consistent copy of the runtime tables, taken under their locks, for report/ to read at leisure. */
#ifndef LC_SNAPSHOT_H
#define LC_SNAPSHOT_H
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "task.h"
#include "chan.h"
#include "finding.h"
#include "lockset.h"

/* What the lock a task is blocked on said when the snapshot was taken (runtime/deadlock.c reads it). */
struct lc_wait {
    int32_t owner_tid;        /* glibc's owner of the mutex, or writer of the rwlock: a thread id, 0 none */
    uint8_t held;             /* a registered lockset holds the lock: holder says whose */
    uint8_t holder_site;      /* the task this one waits for took the lock at holder_pc */
    struct lc_holder holder;
    uintptr_t holder_pc;
};

typedef int (*lc_peek_fn)(const void *addr, void *buf, size_t n);

/* Twins: goroutines whose records match one already copied in everything but their id and times (the same
 * wait, object, stacks, creator, flags; no lock held) are folded into it as the snapshot is taken, so that a
 * report over 100,000 goroutines parked alike holds one record and 24 bytes for each of the others. The task
 * copied is the oldest of its kind (its age is the one a group shows); its twins are listed with it. */
struct lc_twin { uint64_t id, started_ns, since_ns; };
struct lc_twins { uint32_t head, tail, n; };  /* a list through twin_next: indices + 1, 0 none */
struct lc_twin_it { const struct lc_snapshot *s; uint32_t k; };
struct lc_twin_ref;

struct lc_snapshot {
    uint64_t now_ns;
    pid_t pid;                                   /* the process the tables describe (snapshot_set_process) */
    struct lc_task *tasks; size_t ntasks;       /* copies; their hh fields are meaningless */
    struct lc_chan *chans; size_t nchans;
    struct lc_finding *findings; size_t nfindings;
    struct lc_wait *waits;                       /* per task (NULL: none recorded) */
    uint32_t *by_id;                             /* task indices by id, then index (NULL: none, search all) */
    uint32_t forks;                              /* fdtab_forks(): fd channels older than this may be shared */
    const char *runtime, *runtime_version;       /* the tasks' runtime ("c", "gccgo", "gc") and its release */
    lc_peek_fn peek;                             /* reads lock words (NULL: the process's memory) */
    struct lc_twins *twins;                      /* per task: its twins (NULL: none anywhere) */
    struct lc_twin *twin;                        /* every twin, ntwins of them (the snapshot holds ntasks +
                                                  * ntwins tasks) */
    uint32_t *twin_next;                         /* the next twin of the same task + 1, 0 none */
    size_t ntwins;
    struct lc_twin_ref *twin_ids;                /* twins by id, made by the first lookup that needs one */
};

/* Which runtime the process's tasks belong to, for the reports (static strings; set once at start-up). */
void snapshot_set_runtime(const char *name, const char *version);

/* The tables describe another process, whose memory holds the objects tasks wait on (the attach tool fills
 * them from outside it): snapshots carry its pid, and lock words are read from it, through peek when given
 * (a copy made while that process was stopped; peek returns 0 when it has n bytes at addr). 0: this
 * process. */
void snapshot_set_process(pid_t pid, lc_peek_fn peek);
/* The shim's own static data, [lo, hi): every lock of the shim's lies there. A thread the wrappers know to be
 * running that sleeps in a futex wait on a word there waits a moment for the shim itself (a task table lock a
 * report holds), not for the program: it is left running, not shown blocked in "futex wait". */
void snapshot_set_shim_data(uintptr_t lo, uintptr_t hi);
/* The stash: tasks a family read for the coming report without filing them in the task table (a gc program's
 * goroutines that no earlier reading filed), folded as a snapshot folds them. The next snapshot_take takes them
 * in with the table's, and empties it. snapshot_stash_begin makes room for max (dropping what was there; -1:
 * out of memory, then snapshot_stash keeps nothing); snapshot_stash_drop empties it (the table was brought up to
 * date meanwhile: a task stashed may now have a record). */
int snapshot_stash_begin(size_t max);
void snapshot_stash(const struct lc_task *t);
void snapshot_stash_drop(void);
/* The stash's lock, for the fork protocol (runtime.h: the first). */
void snapshot_stash_lock(void);
void snapshot_stash_unlock(void);
/* Copies the tables and records the waits. Returns 0, or -1 when a lock could not be had within timeout_ms (a
 * report must never hang). */
int snapshot_take(struct lc_snapshot *s, int timeout_ms);
void snapshot_free(struct lc_snapshot *s);
/* The task with this id in the snapshot (the first of them: thread ids and goids may coincide), or NULL. A twin's
 * id finds the task it was folded into (the same record but for its id and times). */
const struct lc_task *snapshot_task(const struct lc_snapshot *s, uint64_t id);
/* The same among tasks of one kind. */
const struct lc_task *snapshot_task_of(const struct lc_snapshot *s, enum lc_task_kind kind, uint64_t id);
const struct lc_chan *snapshot_chan(const struct lc_snapshot *s, uint64_t key);
/* How many tasks task i stands for: itself and its twins. */
static inline size_t snapshot_weight(const struct lc_snapshot *s, size_t i)
{
    return 1 + (s->twins ? s->twins[i].n : 0);
}
/* Task i's twins, in the order they were copied: it = snapshot_twins(s, i); while ((tw = snapshot_twin_next(&it)))
 * ... */
struct lc_twin_it snapshot_twins(const struct lc_snapshot *s, size_t i);
const struct lc_twin *snapshot_twin_next(struct lc_twin_it *it);
/* t as its twin tw: the same record with tw's id and times. */
void snapshot_as_twin(const struct lc_task *t, const struct lc_twin *tw, struct lc_task *out);
#endif
