/* Unit tests for runtime/: task table, stack depot, findings, channel table, allocator. */
#include <check.h>
#include "unit.h"
#include <pthread.h>
#include <string.h>
#include <sys/syscall.h>
#include "../../runtime/alloc.h"
#include "../../runtime/chan.h"
#include "../../runtime/finding.h"
#include "../../runtime/lockset.h"
#include "../../runtime/snapshot.h"
#include "../../runtime/stack.h"
#include "../../runtime/task.h"

static void clear_tasks(void) { task_table_reset_except(~0ull); }

START_TEST(task_new_find_and_chain)
{
    clear_tasks();
    struct lc_task *a = task_new(LC_THREAD, 100, NULL, NULL, 11);
    struct lc_task *b = task_new(LC_THREAD, 200, a, NULL, 22);
    struct lc_task *c = task_new(LC_GOROUTINE, 300, b, NULL, 33);
    ck_assert_ptr_nonnull(c);
    ck_assert_ptr_eq(task_find(200), b);
    ck_assert_uint_eq(task_count(), 3);
    /* chain: own creation stack first, then each creator's */
    ck_assert_uint_eq(c->anc_stack[0], 33);
    ck_assert_uint_eq(c->anc_id[0], b->id);
    ck_assert_uint_eq(c->anc_stack[1], 22);
    ck_assert_uint_eq(c->anc_id[1], a->id);
    ck_assert_uint_eq(c->anc_stack[2], 11);
    ck_assert_uint_eq(c->anc_id[2], 0);
    ck_assert_uint_ne(a->id, b->id);
}
END_TEST

START_TEST(task_block_unblock_finish)
{
    clear_tasks();
    int obj;
    struct lc_task *t = task_new(LC_THREAD, 1, NULL, NULL, 0);
    task_block(t, "pthread_cond_wait", LC_OBJ_COND, &obj, 7);
    ck_assert_int_eq(t->state, LC_BLOCKED);
    ck_assert_str_eq(t->what, "pthread_cond_wait");
    ck_assert_ptr_eq(t->obj, &obj);
    ck_assert_uint_eq(t->site, 7);
    ck_assert_uint_gt(t->since_ns, 0);
    task_unblock(t);
    ck_assert_int_eq(t->state, LC_RUNNING);
    ck_assert_ptr_null(t->what);
    task_exit(t, 9);                    /* not detached: stays, finished */
    ck_assert_ptr_eq(task_find(1), t);
    ck_assert_int_eq(t->state, LC_FINISHED);
}
END_TEST

START_TEST(task_detach_reaps_finished)
{
    clear_tasks();
    struct lc_task *t = task_new(LC_THREAD, 5, NULL, NULL, 0);
    task_exit(t, 0);
    ck_assert_int_eq(task_detach(5), 1);
    ck_assert_ptr_null(task_find(5));
    /* detached first, then exit: reaped by the exit */
    t = task_new(LC_THREAD, 6, NULL, NULL, 0);
    ck_assert_int_eq(task_detach(6), 1);
    ck_assert_ptr_eq(task_find(6), t);
    task_exit(t, 0);
    ck_assert_ptr_null(task_find(6));
}
END_TEST

START_TEST(task_reap_checks_generation)
{
    clear_tasks();
    task_new(LC_THREAD, 7, NULL, NULL, 0);
    uint64_t g1 = task_gen(7);
    struct lc_task *newer = task_new(LC_THREAD, 7, NULL, NULL, 0);   /* handle reused */
    ck_assert_uint_ne(task_gen(7), g1);
    task_reap(7, g1);                   /* stale join must not drop the new thread */
    ck_assert_ptr_eq(task_find(7), newer);
    task_reap(7, task_gen(7));
    ck_assert_ptr_null(task_find(7));
}
END_TEST

START_TEST(task_rekey_pending)
{
    clear_tasks();
    /* two threads being created at once: both provisional, distinct */
    struct lc_task *a = task_new(LC_THREAD, 0, NULL, NULL, 0), *b = task_new(LC_THREAD, 0, NULL, NULL, 0);
    ck_assert_uint_eq(task_count(), 2);
    ck_assert(a->flags & LC_TF_PENDING);
    ck_assert_ptr_eq(task_find(task_provisional_key(a)), a);
    /* b ends detached before its creator re-keys it: kept until the re-key, then reaped */
    task_set_flag(b, LC_TF_DETACHED, 1);
    task_exit(b, 0);
    ck_assert_ptr_eq(task_find(task_provisional_key(b)), b);
    task_rekey(b, 0x2000);
    ck_assert_ptr_null(task_find(0x2000));
    task_rekey(a, 0x1000);
    ck_assert_ptr_eq(task_find(0x1000), a);
    ck_assert(!(a->flags & LC_TF_PENDING));
    ck_assert_uint_eq(task_count(), 1);
}
END_TEST

START_TEST(task_reset_keeps_one)
{
    clear_tasks();
    task_new(LC_THREAD, 1, NULL, NULL, 0);
    task_new(LC_THREAD, 2, NULL, NULL, 0);
    task_table_reset_except(2);
    ck_assert_uint_eq(task_count(), 1);
    ck_assert_ptr_nonnull(task_find(2));
}
END_TEST

/* One reading of a system call for the preload's view and attach's: the call, and what its first argument names. */
START_TEST(syscall_wait_names_the_object)
{
    enum lc_obj_kind ok = LC_OBJ_CHAN;
    const void *obj = &ok;
    ck_assert_str_eq(task_syscall_wait(SYS_accept, 7, &ok, &obj), "accept");
    ck_assert_int_eq(ok, LC_OBJ_FD);
    ck_assert_ptr_eq(obj, (const void *)7);
    ck_assert_str_eq(task_syscall_wait(SYS_futex, 0x1230, &ok, &obj), "futex wait");
    ck_assert_int_eq(ok, LC_OBJ_OTHER);
    ck_assert_ptr_eq(obj, (const void *)0x1230);
    ck_assert_str_eq(task_syscall_wait(SYS_rt_sigtimedwait, 0x7ff0, &ok, &obj), "sigtimedwait");
    ck_assert_int_eq(ok, LC_OBJ_SIGNALS);
    ck_assert_ptr_null(obj);                  /* the set is the program's memory */
    ck_assert_str_eq(task_syscall_wait(SYS_nanosleep, 0x7ff0, &ok, &obj), "nanosleep");
    ck_assert_int_eq(ok, LC_OBJ_NONE);
    ck_assert_ptr_null(obj);
    ok = LC_OBJ_CHAN;
    ck_assert_ptr_null(task_syscall_wait(SYS_getpid, 1, &ok, &obj));
    ck_assert_int_eq(ok, LC_OBJ_CHAN);        /* untouched */
}
END_TEST

/* stack_capture_at as the blocking wrappers call it: from one function (lc_block_begin), called from one place
 * (a wrapper), whose callers vary. */
static __attribute__((noinline)) stack_id capture_at_here(void)
{
    stack_id s = stack_capture_at(0, (uintptr_t)__builtin_return_address(0), (uintptr_t)__builtin_frame_address(0));
    __asm__ volatile("" ::: "memory");      /* not a tail call: this frame stays in the capture */
    return s;
}
static __attribute__((noinline)) stack_id capture_relay(void)
{
    stack_id s = capture_at_here();
    __asm__ volatile("" ::: "memory");
    return s;
}
static volatile int via_calls;
static __attribute__((noinline)) stack_id via_one(void)
{
    stack_id s = capture_relay();
    via_calls++;
    return s;
}
static __attribute__((noinline)) stack_id via_two(void)
{
    stack_id s = capture_relay();
    via_calls += 2;
    return s;
}

/* A capture is reused from the same site at the same depth only while its callers are the same ones: past the
 * thread's first captures (which always walk) the remembered one comes back, and another caller at the same
 * depth gets its own stack. */
START_TEST(capture_at_follows_the_callers)
{
    pthread_attr_t attr;                      /* the thread's stack, as the blocking wrappers give it */
    void *base;
    size_t size;
    ck_assert_int_eq(pthread_getattr_np(pthread_self(), &attr), 0);
    ck_assert_int_eq(pthread_attr_getstack(&attr, &base, &size), 0);
    pthread_attr_destroy(&attr);
    stack_thread_bounds((uintptr_t)base, (uintptr_t)base + size);
    stack_id ids[40];
    for (int i = 0; i < 40; i++)
        ids[i] = via_one();
    stack_id first = ids[0];
    for (int i = 1; i < 40; i++)
        ck_assert_uint_eq(ids[i], first);
    stack_id other = via_two();
    ck_assert_uint_ne(other, first);
    const uintptr_t *a, *b;
    int na = stack_get(first, &a), nb = stack_get(other, &b);
    ck_assert_int_eq(na, nb);
    ck_assert_uint_eq(a[0], b[0]);            /* capture_at_here, from capture_relay, called from ... */
    ck_assert_uint_eq(a[1], b[1]);
    ck_assert_uint_ne(a[2], b[2]);            /* ... via_one, then via_two */
}
END_TEST

START_TEST(depot_dedups)
{
    stack_depot_reset();
    uintptr_t a[] = { 1, 2, 3 }, b[] = { 1, 2, 4 };
    stack_id ia = stack_intern(a, 3), ib = stack_intern(b, 3), ia2 = stack_intern(a, 3);
    ck_assert_uint_ne(ia, 0);
    ck_assert_uint_eq(ia, ia2);
    ck_assert_uint_ne(ia, ib);
    ck_assert_uint_eq(stack_depot_count(), 2);
    const uintptr_t *pcs;
    ck_assert_int_eq(stack_get(ib, &pcs), 3);
    ck_assert_uint_eq(pcs[2], 4);
    ck_assert_int_eq(stack_get(0, &pcs), 0);
    ck_assert_int_eq(stack_intern(a, 0), 0);
}
END_TEST

static stack_id capture_here(void) { return stack_capture(0); }

START_TEST(depot_captures_real_stack)
{
    stack_set_depth(16);
    stack_id s1 = capture_here(), s2 = capture_here();
    ck_assert_uint_ne(s1, 0);
    const uintptr_t *pcs;
    int n = stack_get(s1, &pcs);
    ck_assert_int_gt(n, 1);
    ck_assert_int_le(n, 16);
    /* the top frame lies inside capture_here */
    ck_assert_uint_ge(pcs[0], (uintptr_t)capture_here);
    ck_assert_uint_lt(pcs[0], (uintptr_t)capture_here + 64);
    (void)s2;
}
END_TEST

struct depot_arg { stack_id id; };
static void *intern_many(void *p)
{
    uintptr_t pcs[4] = { 10, 20, 30, 0 };
    for (int i = 0; i < 2000; i++) {
        pcs[3] = (uintptr_t)(i % 100);
        stack_intern(pcs, 4);
    }
    pcs[3] = 99;
    ((struct depot_arg *)p)->id = stack_intern(pcs, 4);
    return NULL;
}

START_TEST(depot_concurrent)
{
    stack_depot_reset();
    pthread_t th[4];
    struct depot_arg args[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&th[i], NULL, intern_many, &args[i]);
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    ck_assert_uint_eq(stack_depot_count(), 100);
    for (int i = 1; i < 4; i++)
        ck_assert_uint_eq(args[i].id, args[0].id);
}
END_TEST

START_TEST(findings_dedup_and_names)
{
    finding_reset();
    int ch;
    finding_add(LC_F_DOUBLE_CLOSE, &ch, 5, 8, 4, 9, NULL);
    finding_add(LC_F_DOUBLE_CLOSE, &ch, 5, 8, 4, 9, NULL);
    finding_add(LC_F_SEND_CLOSED, &ch, 6, 8, 4, 9, "buffered 0");
    struct lc_finding f[4];
    ck_assert_uint_eq(finding_copy(f, 4), 2);
    ck_assert_uint_eq(f[0].count, 2);
    ck_assert_uint_eq(f[0].task[1], 9);
    ck_assert_str_eq(f[1].note, "buffered 0");
    ck_assert_str_eq(finding_kind_name(LC_F_DOUBLE_CLOSE), "double close");
    ck_assert_str_eq(finding_kind_name(LC_F__COUNT), "misuse");
}
END_TEST

START_TEST(chan_close_twice)
{
    chan_table_reset();
    chan_new(LC_CH_GO, 0x1000, 8, 0, 3, 1);
    struct lc_chan prev;
    ck_assert_int_eq(chan_mark_closed(0x1000, 4, 2, &prev), 0);
    ck_assert_int_eq(chan_mark_closed(0x1000, 5, 3, &prev), 1);
    ck_assert_uint_eq(prev.closed, 4);
    ck_assert_uint_eq(prev.closed_by, 2);
    chan_new(LC_CH_GO, 0x1000, 8, 4, 6, 1);   /* address reused: a fresh channel */
    struct lc_chan c;
    ck_assert_int_eq(chan_get(0x1000, &c), 1);
    ck_assert_int_eq(c.is_closed, 0);
    ck_assert_uint_eq(c.cap, 4);
    ck_assert_uint_eq(chan_count(), 1);
}
END_TEST

/* Go channels made at any rate: the table keeps the newest, a bounded number, and a kept one reads back whole. */
START_TEST(chan_go_table_is_bounded)
{
    chan_table_reset();
    const uint64_t n = 200000;
    for (uint64_t i = 1; i <= n; i++)
        chan_new(LC_CH_GO, 0xc000000000ull + 96 * i, 8, (uint32_t)(i & 3), (stack_id)i, i);
    ck_assert_uint_le(chan_count(), 1u << 15);
    ck_assert_uint_ge(chan_count(), (1u << 15) * 3 / 4);
    struct lc_chan c;
    ck_assert_int_eq(chan_get(0xc000000000ull + 96 * n, &c), 1);   /* the newest is there */
    ck_assert_uint_eq(c.made, (stack_id)n);
    ck_assert_uint_eq(c.made_by, n);
    ck_assert_uint_eq(c.cap, n & 3);
    ck_assert_int_eq(c.kind, LC_CH_GO);
    ck_assert_int_eq(c.fds[0], -1);
    ck_assert_int_eq(chan_get(0xc000000000ull + 96, &c), 0);       /* the first is long gone */
    ck_assert_int_eq(chan_mark_closed(0xc000000000ull + 96 * n, 7, 9, NULL), 0);
    ck_assert_int_eq(chan_mark_closed(0xc000000000ull + 96 * n, 8, 10, &c), 1);
    ck_assert_uint_eq(c.closed, 7);
    ck_assert_uint_eq(c.closed_by, 9);
    chan_remove(0xc000000000ull + 96 * n);
    ck_assert_int_eq(chan_get(0xc000000000ull + 96 * n, NULL), 0);
    chan_table_reset();
    ck_assert_uint_eq(chan_count(), 0);
}
END_TEST

START_TEST(snapshot_copies)
{
    clear_tasks();
    chan_table_reset();
    finding_reset();
    struct lc_task *t = task_new(LC_THREAD, 42, NULL, NULL, 0);
    chan_new(LC_CH_PIPE, 3, 0, 0, 0, t->id);
    finding_add(LC_F_FD_DOUBLE_CLOSE, (void *)3, 1, t->id, 2, t->id, "fd 3");
    struct lc_snapshot s;
    ck_assert_int_eq(snapshot_take(&s, 100), 0);
    ck_assert_uint_eq(s.ntasks, 1);
    ck_assert_uint_eq(s.nchans, 1);
    ck_assert_uint_eq(s.nfindings, 1);
    ck_assert_ptr_nonnull(snapshot_task(&s, t->id));
    ck_assert_ptr_nonnull(snapshot_chan(&s, 3));
    ck_assert_ptr_null(snapshot_chan(&s, 4));
    snapshot_free(&s);
}
END_TEST

/* Channels os/signal delivers to: one given (Notify) and taken back (Stop), the whole set replaced (a gc read),
 * no more than LC_NOTIFY_MAX kept; a snapshot marks the goroutine blocked on one, and only that one. */
START_TEST(chan_notify_marks_signal_waits)
{
    chan_notify_replace(NULL, 0);
    ck_assert_int_eq(chan_notified(0xc000), 0);
    chan_notify(0xc000, 1);
    chan_notify(0xc000, 1);
    chan_notify(0xd000, 1);
    ck_assert_uint_eq(chan_notify_count(), 2);
    ck_assert_int_eq(chan_notified(0xc000), 1);
    chan_notify(0xc000, 0);
    ck_assert_int_eq(chan_notified(0xc000), 0);
    ck_assert_int_eq(chan_notified(0xd000), 1);
    uint64_t many[LC_NOTIFY_MAX + 8];
    for (size_t i = 0; i < LC_NOTIFY_MAX + 8; i++)
        many[i] = 0x10000 + 0x100 * i;
    chan_notify_replace(many, LC_NOTIFY_MAX + 8);
    ck_assert_uint_eq(chan_notify_count(), LC_NOTIFY_MAX);
    ck_assert_int_eq(chan_notified(0xd000), 0);
    ck_assert_int_eq(chan_notified(many[LC_NOTIFY_MAX - 1]), 1);
    ck_assert_int_eq(chan_notified(many[LC_NOTIFY_MAX]), 0);

    clear_tasks();
    chan_notify_replace(NULL, 0);
    chan_notify(0xc000, 1);
    struct lc_task *w = task_new(LC_GOROUTINE, 0x100, NULL, NULL, 0), *o = task_new(LC_GOROUTINE, 0x200, NULL, NULL, 0);
    task_block(w, "chan receive", LC_OBJ_CHAN, (void *)0xc000, 0);
    task_block(o, "chan receive", LC_OBJ_CHAN, (void *)0xe000, 0);
    struct lc_snapshot s;
    ck_assert_int_eq(snapshot_take(&s, 100), 0);
    ck_assert_uint_eq(snapshot_task(&s, w->id)->flags & LC_TF_SIGWAIT, LC_TF_SIGWAIT);
    ck_assert_uint_eq(snapshot_task(&s, o->id)->flags & LC_TF_SIGWAIT, 0);
    snapshot_free(&s);
    chan_notify(0xc000, 0);
    ck_assert_int_eq(snapshot_take(&s, 100), 0);
    ck_assert_uint_eq(snapshot_task(&s, w->id)->flags & LC_TF_SIGWAIT, 0);   /* after Stop: any channel */
    snapshot_free(&s);
}
END_TEST

/* Lookups by id go through the snapshot's index: every task found, a thread and a goroutine with one id told
 * apart by kind (snapshot_task: the first in the copy), ids absent or between others not found. */
START_TEST(snapshot_finds_by_id)
{
    clear_tasks();
    enum { N = 3000 };
    for (int i = 0; i < N; i++)                 /* each its own start function: no twins */
        ck_assert_ptr_nonnull(task_new_id(LC_GOROUTINE, 0x20000 + (uint64_t)i * 0x540, (uint64_t)i * 2 + 10, NULL,
                                          (void *)(uintptr_t)(0x1000 + i), 0));
    uint64_t same = 20;                 /* a thread id that is also a goid */
    ck_assert_ptr_nonnull(task_new_id(LC_THREAD, 78, same, NULL, NULL, 0));
    struct lc_snapshot s;
    ck_assert_int_eq(snapshot_take(&s, 100), 0);
    ck_assert_ptr_nonnull(s.by_id);
    for (int i = 0; i < N; i++) {
        const struct lc_task *t = snapshot_task_of(&s, LC_GOROUTINE, (uint64_t)i * 2 + 10);
        ck_assert_ptr_nonnull(t);
        ck_assert_uint_eq(t->id, (uint64_t)i * 2 + 10);
        ck_assert_int_eq(t->kind, LC_GOROUTINE);
        ck_assert_ptr_null(snapshot_task_of(&s, LC_GOROUTINE, (uint64_t)i * 2 + 11));
    }
    const struct lc_task *g = snapshot_task_of(&s, LC_GOROUTINE, same), *t = snapshot_task_of(&s, LC_THREAD, same);
    ck_assert_ptr_nonnull(g);
    ck_assert_ptr_nonnull(t);
    ck_assert_int_eq(t->kind, LC_THREAD);
    ck_assert_ptr_eq(snapshot_task(&s, same), g < t ? g : t);   /* the first in the copy, as a scan finds it */
    ck_assert_ptr_null(snapshot_task(&s, 9));
    ck_assert_ptr_null(snapshot_task(&s, (uint64_t)N * 4 + 10));
    struct lc_snapshot by_hand = s;     /* a snapshot made without the index: the same answers by a scan */
    by_hand.by_id = NULL;
    ck_assert_ptr_eq(snapshot_task(&by_hand, same), snapshot_task(&s, same));
    ck_assert_ptr_eq(snapshot_task_of(&by_hand, LC_GOROUTINE, 30), snapshot_task_of(&s, LC_GOROUTINE, 30));
    snapshot_free(&s);
}
END_TEST

/* Goroutines alike but for id and times are folded as they are copied: one task standing for them all, the
 * oldest, its twins listed with it and found by id; one that differs in its object, one that holds a lock and
 * the main goroutine are copied whole; without twins a snapshot has no twin arrays. */
START_TEST(snapshot_folds_twins)
{
    clear_tasks();
    lockset_reset();
    enum { N = 2000 };
    struct lc_task *t[N];
    for (int i = 0; i < N; i++) {
        ck_assert_ptr_nonnull(t[i] = task_new_id(LC_GOROUTINE, 0x40000 + (uint64_t)i * 0x540, 100 + (uint64_t)i,
                                                 NULL, (void *)0x1234, 5));
        task_block_at(t[i], "chan receive", LC_OBJ_CHAN, (void *)0xc000, 9, 1000000 + (uint64_t)((i * 7919) % N));
    }
    uint64_t oldest = 100 + 0;          /* (i * 7919) % N is 0 for i = 0 only */
    struct lc_task *other = task_new_id(LC_GOROUTINE, 0x9000, 5000, NULL, (void *)0x1234, 5);
    task_block_at(other, "chan receive", LC_OBJ_CHAN, (void *)0xd000, 9, 1000000);
    struct lc_task *holder = task_new_id(LC_GOROUTINE, 0x9100, 5001, NULL, (void *)0x1234, 5);
    task_block_at(holder, "chan receive", LC_OBJ_CHAN, (void *)0xc000, 9, 1000000);
    struct lc_lockset *ls = lockset_new(5001, LC_LS_GOROUTINE);
    ck_assert_ptr_nonnull(ls);
    int lock;
    lockset_push(ls, &lock, LC_LK_MUTEX, 0x77);
    struct lc_task *m = task_new_id(LC_GOROUTINE, 0x9200, 1, NULL, (void *)0x1234, 5);
    task_block_at(m, "chan receive", LC_OBJ_CHAN, (void *)0xc000, 9, 1000000);
    task_set_flag(m, LC_TF_MAIN, 1);

    struct lc_snapshot s;
    ck_assert_int_eq(snapshot_take(&s, 100), 0);
    ck_assert_uint_eq(s.ntasks, 4);
    ck_assert_uint_eq(s.ntwins, N - 1);
    size_t total = 0, folded = s.ntasks;
    for (size_t i = 0; i < s.ntasks; i++) {
        total += snapshot_weight(&s, i);
        if (snapshot_weight(&s, i) > 1)
            folded = i;
    }
    ck_assert_uint_eq(total, N + 3);
    ck_assert_uint_lt(folded, s.ntasks);
    const struct lc_task *e = &s.tasks[folded];
    ck_assert_uint_eq(snapshot_weight(&s, folded), N);
    ck_assert_uint_eq(e->id, oldest);
    ck_assert_uint_eq(e->since_ns, 1000000);
    static char seen[N];
    memset(seen, 0, sizeof seen);
    seen[e->id - 100] = 1;
    struct lc_twin_it it = snapshot_twins(&s, folded);
    size_t n = 0;
    for (const struct lc_twin *tw; (tw = snapshot_twin_next(&it)); n++) {
        ck_assert_uint_ge(tw->id, 100);
        ck_assert_uint_lt(tw->id, 100 + N);
        ck_assert_int_eq(seen[tw->id - 100], 0);
        seen[tw->id - 100] = 1;
        ck_assert_uint_gt(tw->since_ns, e->since_ns);
        ck_assert_ptr_eq(snapshot_task(&s, tw->id), e);      /* a twin's id finds the task it is folded into */
    }
    ck_assert_uint_eq(n, N - 1);
    ck_assert_uint_eq(snapshot_task(&s, 5000)->id, 5000);
    ck_assert_uint_eq(snapshot_task(&s, 5001)->id, 5001);     /* holds a lock: its own record */
    ck_assert_uint_eq(snapshot_task(&s, 1)->id, 1);
    ck_assert_ptr_null(snapshot_task(&s, 99));
    snapshot_free(&s);

    clear_tasks();
    lockset_reset();
    task_new_id(LC_GOROUTINE, 0x100, 7, NULL, (void *)0x1, 0);
    task_new_id(LC_GOROUTINE, 0x200, 8, NULL, (void *)0x2, 0);
    ck_assert_int_eq(snapshot_take(&s, 100), 0);
    ck_assert_uint_eq(s.ntasks, 2);
    ck_assert_ptr_null(s.twins);
    ck_assert_uint_eq(snapshot_weight(&s, 1), 1);
    snapshot_free(&s);
}
END_TEST

/* Tasks stashed for the coming report (not in the table) join the next snapshot, folded with the table's
 * alike, once: the snapshot empties the stash. A stash dropped, or made for too few, still leaves a whole
 * snapshot. */
START_TEST(snapshot_takes_the_stash)
{
    clear_tasks();
    lockset_reset();
    struct lc_task *filed = task_new_id(LC_GOROUTINE, 0x500, 7, NULL, (void *)0x1234, 5);
    task_block_at(filed, "chan receive", LC_OBJ_CHAN, (void *)0xc000, 9, 2000);
    task_new_id(LC_THREAD, 0x600, 8, NULL, (void *)0x99, 0);
    for (int round = 0; round < 2; round++) {
        ck_assert_int_eq(snapshot_stash_begin(round ? 10 : 1000), 0);
        for (int i = 0; i < 100; i++) {
            struct lc_task t = *filed;
            t.key = 0x10000 + (uint64_t)i * 0x540;
            t.id = 100 + (uint64_t)i;
            t.since_ns = 3000 + (uint64_t)i;
            snapshot_stash(&t);
        }
        struct lc_snapshot s;
        ck_assert_int_eq(snapshot_take(&s, 100), 0);
        ck_assert_uint_eq(s.ntasks, 2);                   /* the thread, and the goroutines in one */
        size_t total = 0;
        for (size_t i = 0; i < s.ntasks; i++)
            total += snapshot_weight(&s, i);
        ck_assert_uint_eq(total, 102);
        const struct lc_task *g = snapshot_task(&s, 7);
        ck_assert_ptr_nonnull(g);
        ck_assert_uint_eq(g->id, 7);                      /* the oldest: the filed one */
        ck_assert_ptr_eq(snapshot_task(&s, 150), g);
        snapshot_free(&s);
        ck_assert_int_eq(snapshot_take(&s, 100), 0);      /* the stash was taken */
        ck_assert_uint_eq(s.ntasks, 2);
        ck_assert_uint_eq(snapshot_weight(&s, 0) + snapshot_weight(&s, 1), 2);
        snapshot_free(&s);
    }
    ck_assert_int_eq(snapshot_stash_begin(10), 0);
    struct lc_task t = *filed;
    t.id = 200;
    t.key = 0x700;
    snapshot_stash(&t);
    snapshot_stash_drop();
    struct lc_snapshot s;
    ck_assert_int_eq(snapshot_take(&s, 100), 0);
    ck_assert_ptr_null(snapshot_task(&s, 200));
    snapshot_free(&s);
}
END_TEST

START_TEST(alloc_reuses_and_zeroes)
{
    size_t before = lc_alloc_bytes();
    char *p = lc_calloc(1, 100);
    memset(p, 0xab, 100);
    lc_free(p);
    char *q = lc_calloc(1, 100);
    ck_assert_ptr_eq(p, q);             /* same size class comes back */
    for (int i = 0; i < 100; i++)
        ck_assert_int_eq(q[i], 0);
    char *big = lc_calloc(1, 100000);
    ck_assert_ptr_nonnull(big);
    big[99999] = 1;
    lc_free(big);
    lc_free(q);
    ck_assert_uint_eq(lc_alloc_bytes(), before);
    ck_assert_ptr_null(lc_calloc(SIZE_MAX / 2, 4));
}
END_TEST

static void count_one(struct lc_task *t, void *arg)
{
    (void)t;
    ++*(size_t *)arg;
}

/* Many keys over every shard: each found, counted once by task_foreach, removed, and a recycled record comes
 * back clean. */
START_TEST(task_table_many_keys)
{
    clear_tasks();
    enum { N = 20000 };
    static struct lc_task *rec[N];
    for (int i = 0; i < N; i++) {
        rec[i] = task_new_id(LC_GOROUTINE, 0x10000 + (uint64_t)i * 0x540, (uint64_t)i + 1, NULL, NULL, 0);
        ck_assert_ptr_nonnull(rec[i]);
        ck_assert_uint_eq((uintptr_t)rec[i] % 64, 0);
    }
    ck_assert_uint_eq(task_count(), N);
    for (int i = 0; i < N; i++)
        ck_assert_ptr_eq(task_find(0x10000 + (uint64_t)i * 0x540), rec[i]);
    size_t seen = 0;
    task_foreach(count_one, &seen);
    ck_assert_uint_eq(seen, N);
    for (int i = 0; i < N; i += 2)
        task_remove(rec[i]);
    ck_assert_uint_eq(task_count(), N / 2);
    ck_assert_ptr_null(task_find(0x10000));
    ck_assert_ptr_eq(task_find(0x10000 + 0x540), rec[1]);
    for (int i = 0; i < N; i += 2) {
        struct lc_task *t = task_new(LC_THREAD, 0x10000 + (uint64_t)i * 0x540, NULL, NULL, 0);
        ck_assert_ptr_nonnull(t);
        ck_assert(t->what == NULL && t->site == 0 && t->flags == 0 && t->anc_id[0] == 0);
    }
    ck_assert_uint_eq(task_count(), N);
    clear_tasks();
    ck_assert_uint_eq(task_count(), 0);
}
END_TEST

/* One key's lock held: find, insert, tomb, remove as one step (the gccgo family's spawn protocol). */
START_TEST(task_key_lock_and_tombs)
{
    clear_tasks();
    task_key_lock(0x4242);
    ck_assert_ptr_null(task_find_locked(0x4242));
    task_tomb_locked(0x4242, 9);
    task_key_unlock(0x4242);
    task_key_lock(0x4242);
    ck_assert_int_eq(task_tomb_take_locked(0x4242, 8), 0);
    ck_assert_int_eq(task_tomb_take_locked(0x4242, 9), 1);
    ck_assert_int_eq(task_tomb_take_locked(0x4242, 9), 0);     /* taken once */
    struct lc_task *t = task_new_locked(LC_GOROUTINE, 0x4242, 10, NULL, NULL, 0);
    ck_assert_ptr_eq(task_find_locked(0x4242), t);
    ck_assert_uint_eq(t->id, 10);
    task_remove_locked(t);
    ck_assert_ptr_null(task_find_locked(0x4242));
    task_key_unlock(0x4242);
    ck_assert_uint_eq(task_count(), 0);
}
END_TEST

/* Threads creating and reaping records at once, each under its own keys, while another walks the table. */
static void *churn(void *arg)
{
    uint64_t base = (uint64_t)(uintptr_t)arg;
    for (int round = 0; round < 2000; round++) {
        struct lc_task *t = task_new(LC_THREAD, 0, NULL, NULL, 0);
        if (!t)
            return (void *)1;
        task_rekey(t, base + (uint64_t)(round % 50) * 16);
        if (task_find(base + (uint64_t)(round % 50) * 16) != t)
            return (void *)1;
        task_exit(t, 0);
        task_reap(base + (uint64_t)(round % 50) * 16, task_gen(base + (uint64_t)(round % 50) * 16));
    }
    return NULL;
}

START_TEST(task_table_concurrent)
{
    clear_tasks();
    pthread_t th[4];
    for (int i = 0; i < 4; i++)
        ck_assert_int_eq(pthread_create(&th[i], NULL, churn, (void *)(uintptr_t)(0x100000 * (i + 1))), 0);
    for (int k = 0; k < 200; k++) {
        size_t seen = 0;
        task_foreach(count_one, &seen);
        ck_assert_uint_le(seen, 4);
    }
    for (int i = 0; i < 4; i++) {
        void *r;
        ck_assert_int_eq(pthread_join(th[i], &r), 0);
        ck_assert_ptr_null(r);
    }
    ck_assert_uint_eq(task_count(), 0);
}
END_TEST

START_TEST(task_record_is_small)
{
    /* memory per live task: two cache lines, within the 256-byte budget with its share of the buckets */
    ck_assert_uint_eq(sizeof(struct lc_task), 128);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("runtime");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, task_new_find_and_chain);
    tcase_add_test(tc, task_block_unblock_finish);
    tcase_add_test(tc, task_detach_reaps_finished);
    tcase_add_test(tc, task_reap_checks_generation);
    tcase_add_test(tc, task_rekey_pending);
    tcase_add_test(tc, task_reset_keeps_one);
    tcase_add_test(tc, syscall_wait_names_the_object);
    tcase_add_test(tc, capture_at_follows_the_callers);
    tcase_add_test(tc, task_table_many_keys);
    tcase_add_test(tc, task_key_lock_and_tombs);
    tcase_add_test(tc, task_table_concurrent);
    tcase_add_test(tc, depot_dedups);
    tcase_add_test(tc, depot_captures_real_stack);
    tcase_add_test(tc, depot_concurrent);
    tcase_add_test(tc, findings_dedup_and_names);
    tcase_add_test(tc, chan_close_twice);
    tcase_add_test(tc, chan_go_table_is_bounded);
    tcase_add_test(tc, snapshot_copies);
    tcase_add_test(tc, chan_notify_marks_signal_waits);
    tcase_add_test(tc, snapshot_finds_by_id);
    tcase_add_test(tc, snapshot_folds_twins);
    tcase_add_test(tc, snapshot_takes_the_stash);
    tcase_add_test(tc, alloc_reuses_and_zeroes);
    tcase_add_test(tc, task_record_is_small);
    suite_add_tcase(s, tc);
    return unit_run(s);
}
