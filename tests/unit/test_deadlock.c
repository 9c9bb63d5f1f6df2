/* Unit tests for report/deadlock (the wait-for graph of a snapshot) and runtime/fdtab (fd channel ends). */
#include <check.h>
#include "unit.h"
#include <pthread.h>
#include <string.h>
#include "../../report/deadlock.h"
#include "../../runtime/alloc.h"
#include "../../runtime/fdtab.h"

static struct lc_task tasks[8];
static struct lc_snapshot snap;

static struct lc_task *task(int i, uint64_t id, pid_t tid)
{
    struct lc_task *t = &tasks[i];
    memset(t, 0, sizeof *t);
    t->id = id;
    t->key = 0x1000 + id;
    t->tid = tid;
    t->kind = LC_THREAD;
    t->state = LC_RUNNING;
    if ((size_t)i + 1 > snap.ntasks)
        snap.ntasks = (size_t)i + 1;
    return t;
}

static void block(struct lc_task *t, const char *what, enum lc_obj_kind k, const void *obj, uint64_t since)
{
    t->state = LC_BLOCKED;
    t->what = what;
    t->obj_kind = (uint8_t)k;
    t->obj = obj;
    t->site = (stack_id)(100 + t->id);
    t->since_ns = since;
}

static void setup(void)
{
    memset(&snap, 0, sizeof snap);
    memset(tasks, 0, sizeof tasks);
    snap.tasks = tasks;
}

START_TEST(abba_mutex_cycle)
{
    pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
    a.__data.__owner = 101;             /* held by thread 1, which waits for b */
    b.__data.__owner = 102;
    block(task(0, 1, 101), "pthread_mutex_lock", LC_OBJ_MUTEX, &b, 5);
    block(task(1, 2, 102), "pthread_mutex_lock", LC_OBJ_MUTEX, &a, 6);
    task(2, 3, 103)->flags = LC_TF_MAIN;
    block(&tasks[2], "pthread_join", LC_OBJ_THREAD, (void *)(uintptr_t)tasks[0].key, 7);
    ck_assert_ptr_eq(deadlock_waits_for(&snap, &tasks[0]), &tasks[1]);
    ck_assert_ptr_eq(deadlock_waits_for(&snap, &tasks[2]), &tasks[0]);
    struct lc_finding f[4];
    ck_assert_uint_eq(deadlock_find(&snap, f, 4), 1);
    ck_assert_int_eq(f[0].kind, LC_F_DEADLOCK);
    ck_assert_uint_eq(f[0].task[0], 1);
    ck_assert_uint_eq(f[0].task[1], 2);
    ck_assert_uint_eq(f[0].site[0], 101);
    ck_assert_uint_eq(f[0].site[1], 102);
    ck_assert_ptr_eq(f[0].obj, &b);
    ck_assert_str_eq(f[0].note, "threads 1 -> 2 -> 1");
    ck_assert_uint_eq(deadlock_stuck(&snap), 1);
    ck_assert_int_eq(deadlock_all_asleep(&snap), 1);
}
END_TEST

START_TEST(chain_without_cycle_is_no_deadlock)
{
    pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER;
    a.__data.__owner = 102;
    block(task(0, 1, 101), "pthread_mutex_lock", LC_OBJ_MUTEX, &a, 5);
    task(1, 2, 102);                    /* the owner runs: it can still unlock */
    ck_assert_uint_eq(deadlock_find(&snap, NULL, 0), 0);
    ck_assert_int_eq(deadlock_all_asleep(&snap), 0);
    a.__data.__owner = 999;             /* owned by a thread we do not know */
    ck_assert_ptr_null(deadlock_waits_for(&snap, &tasks[0]));
}
END_TEST

START_TEST(join_cycle_and_self_wait)
{
    block(task(0, 4, 104), "pthread_join", LC_OBJ_THREAD, (void *)(uintptr_t)0x1005, 1);
    block(task(1, 5, 105), "pthread_join", LC_OBJ_THREAD, (void *)(uintptr_t)0x1004, 1);
    pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
    m.__data.__owner = 106;
    block(task(2, 6, 106), "pthread_mutex_lock", LC_OBJ_MUTEX, &m, 1);
    struct lc_finding f[4];
    ck_assert_uint_eq(deadlock_find(&snap, f, 4), 1);   /* the self wait is LC_F_SELF_DEADLOCK's */
    ck_assert_str_eq(f[0].note, "threads 4 -> 5 -> 4");
    ck_assert_uint_eq(deadlock_stuck(&snap), 2);
}
END_TEST

START_TEST(asleep_needs_every_live_task_blocked_for_good)
{
    pthread_cond_t c = PTHREAD_COND_INITIALIZER;
    block(task(0, 1, 101), "pthread_cond_wait", LC_OBJ_COND, &c, 1);
    block(task(1, 2, 102), "pthread_join", LC_OBJ_THREAD, (void *)(uintptr_t)0x1001, 1);
    task(2, 3, 103)->state = LC_FINISHED;                /* gone: does not count */
    task(3, 4, 104)->flags = LC_TF_INTERNAL;             /* the shim's own */
    ck_assert_int_eq(deadlock_all_asleep(&snap), 1);
    uint64_t sig = deadlock_signature(&snap);
    tasks[0].what = "pthread_cond_timedwait";             /* a timeout ends it */
    ck_assert_int_eq(deadlock_all_asleep(&snap), 0);
    tasks[0].what = "pthread_cond_wait";
    tasks[0].since_ns = 2;                                /* it woke and slept again */
    ck_assert_uint_ne(deadlock_signature(&snap), sig);
    tasks[1].state = LC_RUNNING;
    ck_assert_int_eq(deadlock_all_asleep(&snap), 0);
}
END_TEST

START_TEST(asleep_on_fd_channels_unless_shared_by_fork)
{
    struct lc_chan ch;
    memset(&ch, 0, sizeof ch);
    ch.kind = LC_CH_PIPE;
    ch.fds[0] = 3;
    ch.fds[1] = 4;
    ch.nopen[0] = ch.nopen[1] = 1;
    ch.fork_gen = fdtab_forks();
    snap.chans = &ch;
    snap.nchans = 1;
    block(task(0, 1, 101), "read", LC_OBJ_FD, (void *)(intptr_t)3, 1);
    ck_assert_int_eq(deadlock_all_asleep(&snap), 1);
    block(task(1, 2, 102), "read", LC_OBJ_FD, (void *)(intptr_t)9, 1);   /* not a channel: anything may come */
    ck_assert_int_eq(deadlock_all_asleep(&snap), 0);
    snap.ntasks = 1;
    ch.fork_gen = fdtab_forks() + 1;                                     /* a child may hold the write end */
    ck_assert_int_eq(deadlock_all_asleep(&snap), 0);
}
END_TEST

START_TEST(augment_appends_once)
{
    pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
    a.__data.__owner = 101;
    b.__data.__owner = 102;
    block(task(0, 1, 101), "pthread_mutex_lock", LC_OBJ_MUTEX, &b, 5);
    block(task(1, 2, 102), "pthread_mutex_lock", LC_OBJ_MUTEX, &a, 6);
    snap.findings = lc_calloc(1, sizeof *snap.findings);
    snap.findings[0].kind = LC_F_FD_BAD_CLOSE;
    snap.nfindings = 1;
    ck_assert_uint_eq(deadlock_augment(&snap, 1), 1);
    ck_assert_uint_eq(snap.nfindings, 2);
    ck_assert_int_eq(snap.findings[0].kind, LC_F_FD_BAD_CLOSE);
    ck_assert_int_eq(snap.findings[1].kind, LC_F_DEADLOCK);
    ck_assert_uint_eq(deadlock_augment(&snap, 1), 0);
    ck_assert_uint_eq(snap.nfindings, 2);
    lc_free(snap.findings);
}
END_TEST

/* ---- fdtab ------------------------------------------------------------------------------------------------ */

static struct lc_chan chan_of(int fd)
{
    struct lc_fdent *x = fdtab_get(fd);
    struct lc_chan c;
    memset(&c, 0, sizeof c);
    ck_assert_ptr_nonnull(x);
    ck_assert_int_eq(x->state, LC_FD_OPEN);
    chan_table_lock();
    c = *x->ch;
    chan_table_unlock();
    return c;
}

START_TEST(fdtab_pipe_ends_dups_and_closes)
{
    chan_table_reset();
    fdtab_reset();
    ck_assert_ptr_null(fdtab_get(30));
    fdtab_made(LC_CH_PIPE, 30, 31, 0, 7, 1);
    struct lc_chan c = chan_of(30);
    ck_assert_uint_eq(c.key, 30);
    ck_assert_int_eq(c.nopen[0], 1);
    ck_assert_int_eq(fdtab_get(31)->end, 1);
    ck_assert_int_eq(fdtab_get(31)->nonblock, LC_FD_NB_BLOCKING);
    fdtab_dup(31, 40);                                  /* a second write end */
    ck_assert_int_eq(chan_of(30).nopen[1], 2);
    stack_id site;
    uint64_t by;
    fdtab_closed(31, 55, 2);
    ck_assert_int_eq(fdtab_get(31)->state, LC_FD_CLOSED);
    ck_assert_int_eq(chan_of(30).fds[1], 40);           /* the dup stands for the end now */
    ck_assert_int_eq(fdtab_peer_closed(30, &site, &by), 0);
    fdtab_closed(40, 56, 2);
    ck_assert_int_eq(chan_of(30).fds[1], -1);
    ck_assert_int_eq(fdtab_peer_closed(30, &site, &by), 1);
    ck_assert_uint_eq(site, 56);
    ck_assert_uint_eq(by, 2);
    fdtab_closed(30, 57, 1);
    struct lc_chan dead;
    ck_assert_int_eq(chan_get(30, &dead), 1);           /* kept for the report, keyed by its fd */
    ck_assert_int_eq(dead.is_closed, 1);
    ck_assert_uint_eq(fdtab_get(30)->closed, 57);
    fdtab_forget(30);                                   /* reused behind our back */
    ck_assert_ptr_null(fdtab_get(30));
}
END_TEST

START_TEST(fdtab_key_reuse_and_eventfd)
{
    chan_table_reset();
    fdtab_reset();
    fdtab_made(LC_CH_PIPE, 30, 31, 0, 1, 1);
    fdtab_closed(30, 2, 1);                             /* 31 still open: key 30 is still in use */
    fdtab_made(LC_CH_SOCKETPAIR, 30, 32, 1, 3, 1);
    struct lc_chan c = chan_of(32);
    ck_assert_uint_ge(c.key, LC_FDCHAN_KEY_UNIQUE);
    ck_assert_int_eq(c.kind, LC_CH_SOCKETPAIR);
    ck_assert_int_eq(fdtab_get(32)->nonblock, LC_FD_NB_NONBLOCKING);
    ck_assert_int_eq(chan_of(31).kind, LC_CH_PIPE);     /* the old pair is untouched */
    fdtab_made(LC_CH_EVENTFD, 33, -1, 0, 4, 1);
    ck_assert_int_eq(fdtab_peer(LC_CH_EVENTFD, 0), 0);
    stack_id site;
    uint64_t by;
    ck_assert_int_eq(fdtab_peer_closed(33, &site, &by), 0);
    fdtab_wrote(33, 9);
    ck_assert_uint_eq(chan_of(33).last_writer[0], 9);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("deadlock");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, abba_mutex_cycle);
    tcase_add_test(tc, chain_without_cycle_is_no_deadlock);
    tcase_add_test(tc, join_cycle_and_self_wait);
    tcase_add_test(tc, asleep_needs_every_live_task_blocked_for_good);
    tcase_add_test(tc, asleep_on_fd_channels_unless_shared_by_fork);
    tcase_add_test(tc, augment_appends_once);
    tcase_add_test(tc, fdtab_pipe_ends_dups_and_closes);
    tcase_add_test(tc, fdtab_key_reuse_and_eventfd);
    suite_add_tcase(s, tc);
    return unit_run(s);
}
