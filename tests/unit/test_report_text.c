/* Unit tests for report/'s text and files: the exit status line, report formats and log files, live dumps,
 * fd channels and thread objects, creator chains, bounded output, on hand-made snapshots (report_fixture.h). */
#include "unit.h"
#include "report_fixture.h"
#include <errno.h>
#include <signal.h>

/* ---- tests ----------------------------------------------------------------------------------------------- */

START_TEST(exit_status_line)
{
    struct lc_task t[3];
    struct lc_snapshot s = ignore_snapshot(t);
    struct lc_report_ctx ctx = exit_ctx;
    ctx.exit_status = 3;
    const char *got = capture(&s, &ctx, NULL);
    ck_assert_ptr_nonnull(strstr(got, "\nleakcheck: 2 leaked, 0 misuse; exit status 3\n"));
    ctx.reason = LC_REASON_SIGNAL;
    ctx.signo = SIGTERM;
    got = capture(&s, &ctx, NULL);
    ck_assert_ptr_nonnull(strstr(got, "\nleakcheck: 2 leaked, 0 misuse; exit status 143\n"));
    lc_opt.exitcode = 7;
    got = capture(&s, &exit_ctx, NULL);
    ck_assert_ptr_nonnull(strstr(got, "\nleakcheck: 2 leaked, 0 misuse; exit status 7\n"));
}
END_TEST

START_TEST(report_formats)
{
    struct lc_task t[3];
    struct lc_snapshot s = ignore_snapshot(t);
    lc_opt.report = "text,xml";
    const char *got = capture(&s, &exit_ctx, NULL);
    ck_assert_ptr_nonnull(strstr(got, "leakcheck: found unexpected threads (2 leaked in 2 groups)\n"));
    ck_assert_ptr_nonnull(strstr(got, "leakcheck: unknown report format 'xml' (valid: text,json,pprof,folded)\n"));
    lc_opt.report = "folded";
    char dir[] = "/tmp/lc_unit_XXXXXX", base[64], file[128];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(base, sizeof base, "%s/lc", dir);
    lc_opt.log_path = base;               /* where a build with the folded writer puts its file */
    struct lc_verdict v;
    got = capture(&s, &exit_ctx, &v);
    ck_assert_ptr_null(strstr(got, "found unexpected"));
    ck_assert_uint_eq(v.leaked, 2);                     /* judged all the same */
    snprintf(file, sizeof file, "%s.%d.folded", base, (int)getpid());
    unlink(file);
    ck_assert_int_eq(rmdir(dir), 0);                    /* nothing else was created */
}
END_TEST

START_TEST(log_path)
{
    struct lc_task t[3];
    struct lc_snapshot s = ignore_snapshot(t);
    char dir[] = "/tmp/lc_unit_XXXXXX", path[256], file[300];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/lc", dir);
    lc_opt.log_path = path;
    const char *got = capture(&s, &exit_ctx, NULL);
    ck_assert_str_eq(got, "");
    snprintf(file, sizeof file, "%s.%d", path, (int)getpid());
    FILE *fp = fopen(file, "r");
    ck_assert_ptr_nonnull(fp);
    static char buf[65536];
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    buf[n] = 0;
    fclose(fp);
    ck_assert_ptr_nonnull(strstr(buf, "leakcheck: found unexpected threads (2 leaked in 2 groups)\n"));
    unlink(file);
    rmdir(dir);

    lc_opt.log_path = "/nonexistent-lc-dir/x";
    got = capture(&s, &exit_ctx, NULL);
    char want[256];                       /* the message names the file it tried: log_path.PID */
    snprintf(want, sizeof want, "leakcheck: cannot open log_path '/nonexistent-lc-dir/x.%d': No such file or "
             "directory; reporting to stderr\nleakcheck: found unexpected threads", (int)getpid());
    ck_assert_msg(strstr(got, want) != NULL, "got:\n%s", got);
}
END_TEST

START_TEST(live_dump_lists_every_task)
{
    struct lc_task t[4];
    struct lc_snapshot s = ignore_snapshot(t);
    t[3] = mk(4, LC_THREAD, LC_BLOCKED, 1);
    t[3].flags = LC_TF_INTERNAL;
    s.ntasks = 4;
    struct lc_report_ctx ctx = { LC_REASON_DUMP, 0, 0, 0 };
    char want[128];
    snprintf(want, sizeof want, "leakcheck: live report (pid %d, 3 tasks)\n\n", (int)getpid());
    const char *got = capture(&s, &ctx, NULL);
    ck_assert_msg(strncmp(got, want, strlen(want)) == 0, "got:\n%s", got);
    ck_assert_ptr_nonnull(strstr(got, "[1 thread still running for 1.00s]\n    (main thread)\n"));
    ck_assert_ptr_null(strstr(got, "exit status"));
}
END_TEST

START_TEST(fd_channel_and_thread_objects)
{
    struct lc_task t[3] = { mk(1, LC_THREAD, LC_RUNNING, 1), mk(2, LC_THREAD, LC_BLOCKED, 1),
                            mk(3, LC_THREAD, LC_BLOCKED, 2) };
    t[0].flags = LC_TF_MAIN;
    block(&t[1], "read", LC_OBJ_FD, 3, st(pc_worker, 0));
    block(&t[2], "pthread_join", LC_OBJ_THREAD, t[1].key, st(pc_wait, 0));
    struct lc_chan ch;
    memset(&ch, 0, sizeof ch);
    ch.kind = LC_CH_PIPE;
    ch.key = 3;
    ch.fds[0] = ch.orig_fds[0] = 3;
    ch.fds[1] = ch.orig_fds[1] = 4;
    ch.nopen[0] = ch.nopen[1] = 1;
    ch.made = st(pc_make, 0);
    struct lc_snapshot s = snap(t, 3);
    s.chans = &ch;
    s.nchans = 1;
    const char *got = capture(&s, &exit_ctx, NULL);
    char want[512];
    snprintf(want, sizeof want, "[1 thread blocked for 1.00s in read on pipe fd 3 (made at fake_make_chan %s:%d)]\n",
             src, ln_make);
    ck_assert_msg(strstr(got, want) != NULL, "got:\n%s", got);
    ck_assert_ptr_nonnull(strstr(got, "[1 thread blocked for 2.00s in pthread_join on thread 2]\n"));
}
END_TEST

START_TEST(creator_chain_and_nouns)
{
    struct lc_task t[3] = { mk(1, LC_THREAD, LC_RUNNING, 1), mk(2, LC_THREAD, LC_BLOCKED, 1),
                            mk(3, LC_GOROUTINE, LC_BLOCKED, 1) };
    t[0].flags = LC_TF_MAIN;
    block(&t[1], "sem_wait", LC_OBJ_SEM, 0x40, st(pc_wait, 0));
    t[1].anc_id[0] = 5;
    t[1].anc_stack[0] = st(pc_waiter, 0);
    t[1].anc_id[1] = 1;
    t[1].anc_stack[1] = st(pc_main, 0);
    block(&t[2], "chan send", LC_OBJ_CHAN, 0, st(pc_worker, 0));
    t[2].flags = LC_TF_NILCHAN;
    struct lc_snapshot s = snap(t, 3);
    const char *got = capture(&s, &exit_ctx, NULL);
    char l1[512], l2[512], want[2048];
    snprintf(want, sizeof want, "%s  (thread 5)\n%s  (thread 1)\n",
             frame_line(l1, sizeof l1, "  created by fake_waiter", ln_waiter),
             frame_line(l2, sizeof l2, "  created by fake_main", ln_main));
    ck_assert_msg(strstr(got, want) != NULL, "got:\n%s\nwant:\n%s", got, want);
    ck_assert_ptr_nonnull(strstr(got, "leakcheck: found unexpected tasks (2 leaked in 2 groups)\n"));
    ck_assert_ptr_nonnull(strstr(got, "[1 goroutine blocked for 1.00s in chan send on nil chan]\n"));
}
END_TEST

START_TEST(bounded_output)
{
    enum { N = 1100 };
    static struct lc_task t[N];
    static char what[N][24];              /* groups that read differently: each blocks in its own call */
    for (int i = 0; i < N; i++) {
        snprintf(what[i], sizeof what[i], "wait_%d", i);
        t[i] = mk((uint64_t)i + 2, LC_THREAD, LC_BLOCKED, 1);
        block(&t[i], what[i], LC_OBJ_COND, 0x10, st(pc_wait, (uintptr_t)i + 1));
    }
    struct lc_snapshot s = snap(t, N);
    lc_opt.stack_depth = 1;
    struct lc_verdict v;
    const char *got = capture(&s, &exit_ctx, &v);
    ck_assert_uint_eq(v.groups, N);
    ck_assert_ptr_nonnull(strstr(got, "leakcheck: 100 more groups not shown\n"));
    size_t headers = 0;
    for (const char *p = got; (p = strstr(p, "\n[1 thread blocked")); p++)
        headers++;
    ck_assert_uint_eq(headers, 1000);
    ck_assert_ptr_null(strstr(got, "??"));               /* depth 1: the second, bogus frame is not shown */
}
END_TEST

int main(void)
{
    Suite *s = suite_create("report_text");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, exit_status_line);
    tcase_add_test(tc, report_formats);
    tcase_add_test(tc, log_path);
    tcase_add_test(tc, live_dump_lists_every_task);
    tcase_add_test(tc, fd_channel_and_thread_objects);
    tcase_add_test(tc, creator_chain_and_nouns);
    tcase_add_test(tc, bounded_output);
    suite_add_tcase(s, tc);
    return unit_run(s);
}
