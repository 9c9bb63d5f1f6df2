/* The task table: one record per live (or finished, not yet reaped) task, keyed by the runtime's own handle
 * (a pthread_t, a g pointer). The runtime knows nothing of pthreads or Go: interpose/ hands it static strings
 * naming what a task blocks in ("pthread_cond_wait", "chan receive") and opaque object addresses.
 *
 * The table is sharded by key: each shard has its own lock, hash chains and pool of recycled records, on its
 * own cache line, so tasks starting and ending on different cores take no common lock and the records of a
 * spawn/exit churn cycle within their shard without the allocator. Readers of the whole table (task_foreach,
 * snapshots, fork) take every shard's lock, in index order. */
#ifndef LC_TASK_H
#define LC_TASK_H
#include <stdint.h>
#include <sys/types.h>
#include "stack.h"

enum lc_task_kind { LC_THREAD = 0, LC_GOROUTINE = 1 };
enum lc_task_state { LC_RUNNING = 0, LC_BLOCKED = 1, LC_FINISHED = 2 };

/* What kind of object a blocked task waits on (objects.inc): lets the wait-for analysis follow it and reports
 * name it. */
enum lc_obj_kind {
#define OBJECT(id, name, plural) LC_OBJ_##id,
#include "objects.inc"
#undef OBJECT
    LC_OBJ__COUNT
};
/* The name of an object kind ("mutex"), or its plural ("mutexes"); NULL for an unknown kind. */
const char *task_obj_name(unsigned kind, int plural);

enum lc_task_flags {
    LC_TF_MAIN = 1 << 0,      /* the program's main thread / main goroutine: never a leak */
    LC_TF_DETACHED = 1 << 1,  /* detached: a finished one is reaped at once */
    LC_TF_JOINED = 1 << 2,    /* someone joined it */
    LC_TF_INTERNAL = 1 << 3,  /* the shim's or the language runtime's own task: never reported */
    LC_TF_EXITING = 1 << 4,   /* the task that called exit(): not a leak */
    LC_TF_NILCHAN = 1 << 5,   /* blocked forever on a nil channel */
    LC_TF_PENDING = 1 << 6,   /* created, its creator has not re-keyed it yet: never freed meanwhile */
    LC_TF_AGE_UNKNOWN = 1 << 7,   /* since when it is in its state is not known (seen once, from outside) */
    LC_TF_SIGWAIT = 1 << 8,   /* waits for a signal: on a channel os/signal delivers to, or in sigwait and kin
                               * (set in snapshots): not a leak */
};

#define LC_CHAIN 4            /* ancestors remembered for the "created by" chain */

/* 128 bytes, two cache lines: what finds a task and says who it is, then what its own thread writes as it
 * blocks and wakes. Records are laid out on 64-byte boundaries (task.c). */
struct lc_task {
    uint64_t key;             /* runtime handle (pthread_t, g pointer) */
    struct lc_task *next;     /* hash chain of its shard, or its shard's pool once removed */
    uint64_t id;              /* user-visible id: thread number or goid; never reused (keys are) */
    void *start_fn;           /* start routine / goroutine entry */
    uint64_t anc_id[LC_CHAIN];      /* creator, creator's creator, ... (0 = none) */
    /* second line */
    const char *what;         /* static string: what it is blocked in, NULL when not blocked */
    union {
        const void *obj;      /* object waited on */
        void *start_arg;      /* until a thread starts: its argument, for the shim's start trampoline */
    };
    uint64_t started_ns;      /* creation time */
    uint64_t since_ns;        /* blocked since / finished at */
    stack_id anc_stack[LC_CHAIN];   /* anc_stack[0] = this task's creation stack, [i] = anc_id[i-1]'s */
    stack_id site;            /* blocking stack (or, finished, where it ended) */
    pid_t tid;                /* kernel thread id (threads only) */
    uint16_t flags;
    uint8_t kind, state, obj_kind;
    uint8_t runs;             /* a goroutine read from outside (gc): how often it had stopped running, mod 256,
                               * when last read; the same wait read again with another count is a new wait */
};

/* Create and insert a task. parent may be NULL. created is this task's creation stack. Replaces a stale
 * record with the same key (reused handle). key 0: the handle is not known yet (see task_rekey). Returns NULL
 * only when out of memory. */
struct lc_task *task_new(enum lc_task_kind kind, uint64_t key, const struct lc_task *parent, void *start_fn,
                         stack_id created);
/* The same with the task's user-visible id given (a goid), not the next thread number. */
struct lc_task *task_new_id(enum lc_task_kind kind, uint64_t key, uint64_t id, const struct lc_task *parent,
                            void *start_fn, stack_id created);
struct lc_task *task_find(uint64_t key);
/* The wait task (key, id) is in now, when its record says it is blocked: what, obj, obj_kind, site and since_ns
 * copied into out. 0 when it is not blocked (or gone). */
int task_wait_now(uint64_t key, uint64_t id, struct lc_task *out);

/* One key's shard, for a family that must look up and insert or remove under a key as one step (a record
 * that the task itself and its creator may each make first). Between task_key_lock(key) and
 * task_key_unlock(key) only the _locked calls below, for that key, may touch the table. */
void task_key_lock(uint64_t key);
void task_key_unlock(uint64_t key);
struct lc_task *task_find_locked(uint64_t key);
struct lc_task *task_new_locked(enum lc_task_kind kind, uint64_t key, uint64_t id, const struct lc_task *parent,
                                void *start_fn, stack_id created);
void task_remove_locked(struct lc_task *t);
/* The task (key, id) ended before its creator could file it (the creator learns the key only afterwards): a
 * tomb tells the creator to file nothing. A shard keeps its last few tombs. Key locked. */
void task_tomb_locked(uint64_t key, uint64_t id);
/* Whether (key, id) has a tomb, which is then gone. Key locked. */
int task_tomb_take_locked(uint64_t key, uint64_t id);
void task_block(struct lc_task *t, const char *what, enum lc_obj_kind ok, const void *obj, stack_id site);
/* The same with the time it blocked given (a leaf: stores only). */
void task_block_at(struct lc_task *t, const char *what, enum lc_obj_kind ok, const void *obj, stack_id site,
                   uint64_t since_ns);
void task_unblock(struct lc_task *t);
/* When t entered the state it is in, as its age counts from: started (running) or since (blocked, finished). */
static inline uint64_t task_state_since(const struct lc_task *t)
{
    return t->state == LC_RUNNING ? t->started_ns : t->since_ns;
}
void task_remove(struct lc_task *t);
/* Thread end: mark finished and, when detached, reap at once. The record may be freed on return. */
void task_exit(struct lc_task *t, stack_id where);
/* Detach: flag it, and reap it if it already finished. Returns 1 when a record was found. */
int task_detach(uint64_t key);
/* Join completed: reap the record of generation gen, task_gen's answer (a reused handle's newer task is left
 * alone). */
void task_reap(uint64_t key, uint64_t gen);
/* Give t its real key (a thread's handle is known only once pthread_create returned; until then t is keyed by
 * task_provisional_key(t)). Drops a stale record under the new key; reaps t if it already ended detached. */
void task_rekey(struct lc_task *t, uint64_t key);
#define task_provisional_key(t) ((uint64_t)(uintptr_t)(t) | 1u)
/* Generation of the task now under key (its id), or 0. */
uint64_t task_gen(uint64_t key);
void task_set_flag(struct lc_task *t, uint16_t flag, int on);
/* Apply fn to every task with every shard locked (fn must not call back into the table). */
void task_foreach(void (*fn)(struct lc_task *, void *), void *arg);
/* Same, but gives up (returns -1) when the lock cannot be had within timeout_ms (< 0: waits). */
int task_foreach_timed(void (*fn)(struct lc_task *, void *), void *arg, int timeout_ms);
size_t task_count(void);
/* Whether the kernel still has thread tid in process pid (0: this one; errno kept). */
int task_thread_alive(pid_t pid, int tid);
/* What a thread asleep in system call nr, first argument arg0, waits in (syscalls.inc): the call's name, and
 * the object the argument names (*ok, *obj: a file descriptor, a futex word; for a wait for signals
 * LC_OBJ_SIGNALS with no set, which is the program's memory). NULL, *ok and *obj untouched, for a call not
 * there. The preload's view of its threads in calls it does not follow and attach's of every thread. */
const char *task_syscall_wait(long nr, long arg0, enum lc_obj_kind *ok, const void **obj);
/* The system call thread tid of this process sleeps in, from the kernel (/proc/self/task/TID/syscall, read
 * with raw system calls; errno kept): its number and first argument. 0 when it sleeps in none (it runs, or
 * waits in user space, or is gone). */
int task_thread_syscall(int tid, long *nr, long *arg0);
/* Drop every task except keep (fork child). Called with nothing locked. */
void task_table_reset_except(uint64_t keep_key);
/* Every shard's lock, in index order: fork handlers. */
void task_table_lock(void);
void task_table_unlock(void);
#endif
