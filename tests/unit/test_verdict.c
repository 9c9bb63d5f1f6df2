/* Unit tests for report/'s verdict: which tasks count, how they group and order, suppressions and ignore rules,
 * misuse and deadlock text, on hand-made snapshots (report_fixture.h). */
#include "unit.h"
#include "report_fixture.h"
#include <errno.h>
#include <signal.h>
#include "../../runtime/alloc.h"

/* ---- tests ----------------------------------------------------------------------------------------------- */

START_TEST(thread_blocked_exact_text)
{
    struct lc_task t[2] = { mk(1, LC_THREAD, LC_RUNNING, 3), mk(2, LC_THREAD, LC_BLOCKED, 1.2) };
    t[0].flags = LC_TF_MAIN;
    block(&t[1], "pthread_cond_wait", LC_OBJ_COND, 0x55d0c0a4e040, st(pc_wait, pc_waiter));
    created(&t[1], 1, st(pc_main, 0));
    struct lc_snapshot s = snap(t, 2);
    struct lc_verdict v;
    const char *got = capture(&s, &exit_ctx, &v);
    char l1[512], l2[512], l3[512], want[4096];
    snprintf(want, sizeof want,
             "leakcheck: found unexpected threads (1 leaked in 1 groups)\n"
             "\n"
             "[1 thread blocked for 1.20s in pthread_cond_wait on cond 0x55d0c0a4e040]\n"
             "%s\n%s\n%s  (thread 1)\n"
             "\n"
             "leakcheck: 1 leaked, 0 misuse; exit status 66\n",
             frame_line(l1, sizeof l1, "    fake_wait_forever", ln_wait),
             frame_line(l2, sizeof l2, "    fake_waiter", ln_waiter),
             frame_line(l3, sizeof l3, "  created by fake_main", ln_main));
    ck_assert_str_eq(got, want);
    ck_assert_uint_eq(v.leaked, 1);
    ck_assert_uint_eq(v.groups, 1);
    ck_assert_uint_eq(v.misuse, 0);
}
END_TEST

START_TEST(goroutines_grouped_on_a_channel)
{
    struct lc_task t[4] = { mk(1, LC_GOROUTINE, LC_BLOCKED, 3), mk(5, LC_GOROUTINE, LC_BLOCKED, 1.99),
                            mk(6, LC_GOROUTINE, LC_BLOCKED, 2.01), mk(7, LC_GOROUTINE, LC_BLOCKED, 2.0) };
    t[0].flags = LC_TF_MAIN;
    block(&t[0], "select", LC_OBJ_NONE, 0, st(pc_gomain, 0));
    for (int i = 1; i < 4; i++) {
        block(&t[i], "chan receive", LC_OBJ_CHAN, 0xc000012060, st(pc_worker, 0));
        created(&t[i], 1, st(pc_gomain, 0));
    }
    struct lc_chan ch;
    memset(&ch, 0, sizeof ch);
    ch.key = 0xc000012060;
    ch.kind = LC_CH_GO;
    ch.made = st(pc_make, 0);
    struct lc_snapshot s = snap(t, 4);
    s.chans = &ch;
    s.nchans = 1;
    struct lc_verdict v;
    const char *got = capture(&s, &exit_ctx, &v);
    char l1[512], l2[512], l3[512], want[4096];
    snprintf(want, sizeof want,
             "leakcheck: found unexpected goroutines (3 leaked in 1 groups)\n"
             "\n"
             "[3 goroutines blocked for 2.01s (newest 1.99s) in chan receive on chan 0xc000012060 "
             "(unbuffered, never closed)]\n"
             "%s\n%s  (goroutine 1)\n%s\n"
             "\n"
             "leakcheck: 3 leaked, 0 misuse; exit status 66\n",
             frame_line(l1, sizeof l1, "    fake_worker", ln_worker),
             frame_line(l2, sizeof l2, "  created by fake_go_main", ln_gomain),
             frame_line(l3, sizeof l3, "  channel made at fake_make_chan", ln_make));
    ck_assert_str_eq(got, want);
    ck_assert_uint_eq(v.leaked, 3);
    ck_assert_uint_eq(v.groups, 1);

    /* buffered and closed */
    ch.cap = 4;
    ch.is_closed = 1;
    got = capture(&s, &exit_ctx, NULL);
    ck_assert_ptr_nonnull(strstr(got, "on chan 0xc000012060 (buffered cap 4, closed)]\n"));
}
END_TEST

/* The same goroutines with two of them folded into the third as the snapshot's twins: the same report, counts
 * and ages (the newest from a twin) included; a rule that silences them counts a hit for each. */
START_TEST(twins_report_as_their_tasks)
{
    struct lc_task t[2] = { mk(1, LC_GOROUTINE, LC_BLOCKED, 3), mk(6, LC_GOROUTINE, LC_BLOCKED, 2.01) };
    struct lc_task a = mk(5, LC_GOROUTINE, LC_BLOCKED, 1.99), b = mk(7, LC_GOROUTINE, LC_BLOCKED, 2.0);
    t[0].flags = LC_TF_MAIN;
    block(&t[0], "select", LC_OBJ_NONE, 0, st(pc_gomain, 0));
    block(&t[1], "chan receive", LC_OBJ_CHAN, 0xc000012060, st(pc_worker, 0));
    created(&t[1], 1, st(pc_gomain, 0));
    struct lc_twins twins[2] = { { 0, 0, 0 }, { 1, 2, 2 } };
    struct lc_twin twin[2] = { { a.id, a.started_ns, a.since_ns }, { b.id, b.started_ns, b.since_ns } };
    uint32_t next[2] = { 2, 0 };
    struct lc_snapshot s = snap(t, 2);
    s.twins = twins;
    s.twin = twin;
    s.twin_next = next;
    s.ntwins = 2;
    struct lc_verdict v;
    const char *got = capture(&s, &exit_ctx, &v);
    ck_assert_ptr_nonnull(strstr(got, "leakcheck: found unexpected goroutines (3 leaked in 1 groups)\n"));
    ck_assert_ptr_nonnull(strstr(got, "[3 goroutines blocked for 2.01s (newest 1.99s) in chan receive on chan "
                                      "0xc000012060]\n"));
    ck_assert_ptr_nonnull(strstr(got, "leakcheck: 3 leaked, 0 misuse; exit status 66\n"));
    ck_assert_uint_eq(v.leaked, 3);
    ck_assert_uint_eq(v.groups, 1);
    ck_assert_ptr_eq(snapshot_task(&s, 7), &t[1]);
    ck_assert_ptr_eq(snapshot_task(&s, 5), &t[1]);
    ck_assert_ptr_null(snapshot_task(&s, 8));
    lc_free(s.twin_ids);                /* made by the lookups */
    s.twin_ids = NULL;

    lc_opt.ignore_top = "fake_worker";
    struct lc_judgement j;
    verdict_judge(&s, &exit_ctx, &j);
    ck_assert_uint_eq(j.v.leaked, 0);
    ck_assert_uint_eq(j.v.suppressed, 3);
    verdict_free(&j);
    lc_opt.ignore_top = "";
}
END_TEST

/* Which tasks count, and the order groups come in: blocked, then running, then finished; larger, then older. */
START_TEST(states_flags_and_order)
{
    struct lc_task t[11] = {
        mk(1, LC_THREAD, LC_RUNNING, 10),       /* main */
        mk(2, LC_THREAD, LC_BLOCKED, 5),        /* A: cond, alone */
        mk(3, LC_THREAD, LC_BLOCKED, 1),        /* B: mutex, two of them */
        mk(4, LC_THREAD, LC_BLOCKED, 2),
        mk(5, LC_THREAD, LC_RUNNING, 9),        /* C: running */
        mk(6, LC_THREAD, LC_FINISHED, 0.5),     /* D: finished, never joined */
        mk(7, LC_THREAD, LC_FINISHED, 1),       /* joined: fine */
        mk(8, LC_THREAD, LC_FINISHED, 1),       /* detached: fine */
        mk(9, LC_THREAD, LC_BLOCKED, 1),        /* the shim's own */
        mk(10, LC_THREAD, LC_BLOCKED, 1),       /* called exit() */
        mk(11, LC_THREAD, LC_BLOCKED, 1),       /* ctx->exiting_task */
    };
    t[0].flags = LC_TF_MAIN;
    block(&t[1], "pthread_cond_wait", LC_OBJ_COND, 0x10, st(pc_wait, pc_waiter));
    block(&t[2], "pthread_mutex_lock", LC_OBJ_MUTEX, 0x20, st(pc_lock, 0));
    block(&t[3], "pthread_mutex_lock", LC_OBJ_MUTEX, 0x20, st(pc_lock, 0));
    t[4].start_fn = (void *)fake_spin;
    t[5].start_fn = (void *)fake_spin;
    t[5].site = st(pc_stop_a, 0);
    t[6].flags = LC_TF_JOINED;
    t[7].flags = LC_TF_DETACHED;
    t[8].flags = LC_TF_INTERNAL;
    t[9].flags = LC_TF_EXITING;
    for (int i = 8; i < 11; i++)
        block(&t[i], "pthread_cond_wait", LC_OBJ_COND, 0x30, st(pc_wait, 0));
    for (int i = 1; i < 11; i++)
        created(&t[i], 1, st(pc_main, 0));
    struct lc_snapshot s = snap(t, 11);
    struct lc_report_ctx ctx = exit_ctx;
    ctx.exiting_task = 11;

    struct lc_judgement j;
    verdict_judge(&s, &ctx, &j);
    ck_assert_uint_eq(j.v.leaked, 5);
    ck_assert_uint_eq(j.v.groups, 4);
    ck_assert_uint_eq(j.ngroups, 4);
    ck_assert_uint_eq(j.groups[0].n, 2);
    ck_assert_uint_eq(j.groups[0].rep->id, 4);          /* the older of the two */
    ck_assert_uint_eq(j.groups[1].rep->id, 2);
    ck_assert_uint_eq(j.groups[2].rep->id, 5);
    ck_assert_uint_eq(j.groups[3].rep->id, 6);
    verdict_free(&j);

    const char *got = capture(&s, &ctx, NULL);
    const char *b = strstr(got, "[2 threads blocked for 2.00s (newest 1.00s) in pthread_mutex_lock on mutex 0x20]\n");
    const char *a = strstr(got, "[1 thread blocked for 5.00s in pthread_cond_wait on cond 0x10]\n");
    const char *c = strstr(got, "[1 thread still running for 9.00s]\n");
    const char *d = strstr(got, "[1 thread finished 0.50s ago, never joined nor detached]\n");
    ck_assert_msg(a && b && c && d, "got:\n%s", got);
    ck_assert(b < a && a < c && c < d);
    char l[512];
    ck_assert_ptr_nonnull(strstr(c, frame_line(l, sizeof l, "    start routine fake_spin", ln_spin)));
    ck_assert_ptr_nonnull(strstr(got, "leakcheck: found unexpected threads (5 leaked in 4 groups)\n"));

    lc_opt.report_running = 0;
    lc_opt.report_finished = 0;
    verdict_judge(&s, &ctx, &j);
    ck_assert_uint_eq(j.v.leaked, 3);
    ck_assert_uint_eq(j.v.groups, 2);
    verdict_free(&j);
}
END_TEST

START_TEST(misuse_double_close_exact_text)
{
    struct lc_task t[1] = { mk(1, LC_GOROUTINE, LC_RUNNING, 1) };
    t[0].flags = LC_TF_MAIN;
    struct lc_chan ch;
    memset(&ch, 0, sizeof ch);
    ch.key = 0xc0000140c0;
    ch.made = st(pc_make, 0);
    ch.is_closed = 1;
    struct lc_finding f;
    memset(&f, 0, sizeof f);
    f.kind = LC_F_DOUBLE_CLOSE;
    f.obj = (const void *)0xc0000140c0;
    f.site[0] = st(pc_stop_b, 0);
    f.site[1] = st(pc_stop_a, 0);
    f.task[0] = 9;
    f.task[1] = 8;
    f.count = 1;
    struct lc_snapshot s = snap(t, 1);
    s.chans = &ch;
    s.nchans = 1;
    s.findings = &f;
    s.nfindings = 1;
    struct lc_verdict v;
    const char *got = capture(&s, &exit_ctx, &v);
    char l1[512], l2[512], l3[512], want[4096];
    snprintf(want, sizeof want,
             "leakcheck: found misuse (0 leaked in 0 groups, 1 misuse)\n"
             "\n"
             "[double close of chan 0xc0000140c0]\n"
             "%s  (goroutine 9)\n%s  (goroutine 8)\n%s\n"
             "\n"
             "leakcheck: 0 leaked, 1 misuse; exit status 66\n",
             frame_line(l1, sizeof l1, "  second close: fake_stop_b", ln_stop_b),
             frame_line(l2, sizeof l2, "  first close:  fake_stop_a", ln_stop_a),
             frame_line(l3, sizeof l3, "  channel made at fake_make_chan", ln_make));
    ck_assert_str_eq(got, want);
    ck_assert_uint_eq(v.misuse, 1);
    ck_assert_uint_eq(v.leaked, 0);

    f.count = 3;
    got = capture(&s, &exit_ctx, NULL);
    ck_assert_ptr_nonnull(strstr(got, "[double close of chan 0xc0000140c0 (3 times)]\n"));

    /* fd flavour, sites are threads */
    f.kind = LC_F_FD_DOUBLE_CLOSE;
    f.obj = (const void *)5;
    f.count = 1;
    got = capture(&s, &exit_ctx, NULL);
    ck_assert_msg(strstr(got, "[double close of fd 5]\n") != NULL, "got:\n%s", got);
    ck_assert_ptr_nonnull(strstr(got, "(thread 9)\n"));

    f.kind = LC_F_EPIPE;
    f.obj = (const void *)4;
    got = capture(&s, &exit_ctx, NULL);
    ck_assert_msg(strstr(got, "[write with no reader (EPIPE) on fd 4]\n") != NULL, "got:\n%s", got);
    ck_assert_ptr_nonnull(strstr(got, "  write:              fake_stop_b"));
    ck_assert_ptr_nonnull(strstr(got, "  read end closed at: fake_stop_a"));
}
END_TEST

START_TEST(clean_run_prints_nothing)
{
    struct lc_task t[2] = { mk(1, LC_THREAD, LC_RUNNING, 1), mk(2, LC_THREAD, LC_FINISHED, 1) };
    t[0].flags = LC_TF_MAIN;
    t[1].flags = LC_TF_JOINED;
    struct lc_snapshot s = snap(t, 2);
    struct lc_verdict v;
    const char *got = capture(&s, &exit_ctx, &v);
    ck_assert_str_eq(got, "");
    ck_assert_uint_eq(v.leaked + v.misuse + v.groups + v.deadlocks, 0);
    lc_opt.verbosity = 2;
    got = capture(&s, &exit_ctx, &v);
    ck_assert_ptr_nonnull(strstr(got, "leakcheck: no leaks"));
    s.ntasks = 0;
    got = capture(&s, &exit_ctx, &v);
    ck_assert_ptr_nonnull(strstr(got, "leakcheck: no leaks"));
}
END_TEST

START_TEST(ignore_rules)
{
    struct lc_task t[3];
    struct lc_snapshot s = ignore_snapshot(t);
    struct lc_judgement j;

    verdict_judge(&s, &exit_ctx, &j);
    ck_assert_uint_eq(j.v.leaked, 2);
    verdict_free(&j);

    lc_opt.ignore_top = "nothing, fake_wait*";
    verdict_judge(&s, &exit_ctx, &j);
    ck_assert_uint_eq(j.v.leaked, 1);
    ck_assert_uint_eq(j.v.suppressed, 1);
    ck_assert_uint_eq(j.groups[0].rep->id, 3);
    verdict_free(&j);

    lc_opt.ignore_top = "fake_waiter";                  /* not the top frame */
    verdict_judge(&s, &exit_ctx, &j);
    ck_assert_uint_eq(j.v.leaked, 2);
    verdict_free(&j);

    lc_opt.ignore_top = "";
    lc_opt.ignore_any = "fake_waiter";                  /* any frame */
    verdict_judge(&s, &exit_ctx, &j);
    ck_assert_uint_eq(j.v.leaked, 1);
    verdict_free(&j);

    lc_opt.ignore_any = "fake_main";                    /* creation stacks count for ignore_any */
    verdict_judge(&s, &exit_ctx, &j);
    ck_assert_uint_eq(j.v.leaked, 0);
    ck_assert_uint_eq(j.v.suppressed, 2);
    verdict_free(&j);

    lc_opt.ignore_any = "";
    lc_opt.ignore_created_by = "fake_ma?n";
    struct lc_verdict v;
    const char *got = capture(&s, &exit_ctx, &v);
    ck_assert_str_eq(got, "");
    ck_assert_uint_eq(v.leaked, 0);
    ck_assert_uint_eq(v.suppressed, 2);
}
END_TEST

START_TEST(match_list)
{
    ck_assert_int_eq(verdict_match_list("a, b*,c", "bcd"), 1);
    ck_assert_int_eq(verdict_match_list("a, b*,c", "c"), 1);
    ck_assert_int_eq(verdict_match_list("a, b*,c", "d"), 0);
    ck_assert_int_eq(verdict_match_list("main.(*T).*", "main.(*T).emit"), 1);
    ck_assert_int_eq(verdict_match_list("", "x"), 0);
    ck_assert_int_eq(verdict_match_list(",,", "x"), 0);
}
END_TEST

START_TEST(quiet_and_deadlock_counts)
{
    struct lc_task t[3];
    struct lc_snapshot s = ignore_snapshot(t);
    struct lc_verdict v;
    lc_opt.verbosity = 0;                               /* quiet: nothing written, the verdict all the same */
    ck_assert_str_eq(capture(&s, &exit_ctx, &v), "");
    ck_assert_uint_eq(v.leaked, 2);
    lc_opt.verbosity = 1;

    struct lc_finding f;
    memset(&f, 0, sizeof f);
    f.kind = LC_F_DEADLOCK;
    f.site[0] = st(pc_lock, 0);
    f.site[1] = st(pc_wait, 0);
    f.task[0] = 7;
    f.task[1] = 8;
    f.count = 1;
    snprintf(f.note, sizeof f.note, "threads 7 -> 8 -> 7");
    s.ntasks = 1;                                       /* main only: no leak, one deadlock */
    s.findings = &f;
    s.nfindings = 1;
    const char *got = capture(&s, &exit_ctx, &v);
    ck_assert_uint_eq(v.deadlocks, 1);
    ck_assert_uint_eq(v.misuse, 0);
    ck_assert_msg(strncmp(got, "leakcheck: found deadlock (0 leaked in 0 groups, 1 deadlocks)\n\n", 63) == 0,
                  "got:\n%s", got);
    ck_assert_ptr_nonnull(strstr(got, "\nleakcheck: 0 leaked, 0 misuse, 1 deadlocks; exit status 66\n"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("verdict");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, thread_blocked_exact_text);
    tcase_add_test(tc, goroutines_grouped_on_a_channel);
    tcase_add_test(tc, twins_report_as_their_tasks);
    tcase_add_test(tc, states_flags_and_order);
    tcase_add_test(tc, misuse_double_close_exact_text);
    tcase_add_test(tc, clean_run_prints_nothing);
    tcase_add_test(tc, ignore_rules);
    tcase_add_test(tc, match_list);
    tcase_add_test(tc, quiet_and_deadlock_counts);
    suite_add_tcase(s, tc);
    return unit_run(s);
}
