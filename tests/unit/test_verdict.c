/* Unit tests for report/: hand-made snapshots whose stacks are real return addresses in this file, so the
 * report names real functions and lines; the text is captured from stderr (a memfd) and compared exactly. */
#include <check.h>
#include "unit.h"
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "../../report/report.h"
#include "../../report/symbolize.h"
#include "../../report/verdict.h"
#include "../../runtime/options.h"
#include "../../runtime/stack.h"

/* ---- real code locations ------------------------------------------------------------------------------- */

__attribute__((noinline)) static uintptr_t ra(void)
{
    uintptr_t pc = (uintptr_t)__builtin_return_address(0);
    __asm__ volatile("" ::: "memory");
    return pc;
}

/* Each fake_* function records a pc inside itself (a return address) and the line it is on. */
static uintptr_t pc_wait, pc_waiter, pc_main, pc_main2, pc_worker, pc_gomain, pc_make, pc_stop_a, pc_stop_b,
    pc_lock;
static int ln_wait, ln_waiter, ln_main, ln_main2, ln_worker, ln_gomain, ln_make, ln_stop_a, ln_stop_b, ln_lock;

__attribute__((noinline)) void fake_wait_forever(void) { pc_wait = ra(); ln_wait = __LINE__; }
__attribute__((noinline)) void fake_waiter(void) { pc_waiter = ra(); ln_waiter = __LINE__; }
__attribute__((noinline)) void fake_main(void)
{
    pc_main = ra(); ln_main = __LINE__;
    pc_main2 = ra(); ln_main2 = __LINE__;
}
__attribute__((noinline)) void fake_worker(void) { pc_worker = ra(); ln_worker = __LINE__; }
__attribute__((noinline)) void fake_go_main(void) { pc_gomain = ra(); ln_gomain = __LINE__; }
__attribute__((noinline)) void fake_make_chan(void) { pc_make = ra(); ln_make = __LINE__; }
__attribute__((noinline)) void fake_stop_a(void) { pc_stop_a = ra(); ln_stop_a = __LINE__; }
__attribute__((noinline)) void fake_stop_b(void) { pc_stop_b = ra(); ln_stop_b = __LINE__; }
__attribute__((noinline)) void fake_lock(void) { pc_lock = ra(); ln_lock = __LINE__; }
static const int ln_spin = __LINE__ + 1;
__attribute__((noinline)) void *fake_spin(void *arg)
{
    __asm__ volatile("" ::: "memory");
    return arg;
}

static stack_id st(uintptr_t a, uintptr_t b)
{
    uintptr_t pcs[2] = { a, b };
    return stack_intern(pcs, b ? 2 : 1);
}

static const char *src;      /* this file as DWARF names it */

static void setup(void)
{
    options_defaults(&lc_opt);
    fake_wait_forever(); fake_waiter(); fake_main(); fake_worker(); fake_go_main();
    fake_make_chan(); fake_stop_a(); fake_stop_b(); fake_lock();
    struct lc_frame f;
    symbolize(pc_main, 0, &f);
    src = f.file;
}

#define NOW 100000000000ull
#define SEC 1000000000ull

static struct lc_task mk(uint64_t id, int kind, int state, double age_s)
{
    struct lc_task t;
    memset(&t, 0, sizeof t);
    t.id = id;
    t.key = 0x1000 + id;
    t.kind = (uint8_t)kind;
    t.state = (uint8_t)state;
    t.started_ns = NOW - (uint64_t)(age_s * 1e9);
    t.since_ns = NOW - (uint64_t)(age_s * 1e9);
    return t;
}

static void block(struct lc_task *t, const char *what, int ok, uintptr_t obj, stack_id site)
{
    t->what = what;
    t->obj_kind = (uint8_t)ok;
    t->obj = (const void *)obj;
    t->site = site;
}

static void created(struct lc_task *t, uint64_t by, stack_id where)
{
    t->anc_id[0] = by;
    t->anc_stack[0] = where;
}

static struct lc_snapshot snap(struct lc_task *tasks, size_t n)
{
    struct lc_snapshot s;
    memset(&s, 0, sizeof s);
    s.now_ns = NOW;
    s.pid = getpid();
    s.tasks = tasks;
    s.ntasks = n;
    return s;
}

/* Runs report_write with stderr going to a memfd; returns what was written (static buffer). */
static char out[1 << 20];
static const char *capture(const struct lc_snapshot *s, const struct lc_report_ctx *ctx, struct lc_verdict *v)
{
    int mfd = memfd_create("report", 0);
    ck_assert_int_ge(mfd, 0);
    int saved = dup(2);
    dup2(mfd, 2);
    struct lc_verdict r = report_write(s, ctx);
    dup2(saved, 2);
    close(saved);
    if (v)
        *v = r;
    ssize_t n = pread(mfd, out, sizeof out - 1, 0);
    close(mfd);
    out[n > 0 ? n : 0] = 0;
    if (getenv("LC_UNIT_SHOW"))            /* LC_UNIT_SHOW=1: see every report the tests make */
        printf("----\n%s", out);
    return out;
}

static const struct lc_report_ctx exit_ctx = { LC_REASON_EXIT, 0, 0, 0 };

/* "<indent><label><func>" padded to column 31 (at least two spaces), then FILE:line. */
static char *frame_line(char *buf, size_t len, const char *indent_label_func, int line)
{
    size_t n = (size_t)snprintf(buf, len, "%s", indent_label_func);
    size_t pad = n < 29 ? 31 - n : 2;
    snprintf(buf + n, len - n, "%*s%s:%d", (int)pad, "", src, line);
    return buf;
}

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

static struct lc_snapshot ignore_snapshot(struct lc_task *t)
{
    t[0] = mk(1, LC_THREAD, LC_RUNNING, 1);
    t[0].flags = LC_TF_MAIN;
    t[1] = mk(2, LC_THREAD, LC_BLOCKED, 1);
    block(&t[1], "pthread_cond_wait", LC_OBJ_COND, 0x10, st(pc_wait, pc_waiter));
    created(&t[1], 1, st(pc_main, 0));
    t[2] = mk(3, LC_THREAD, LC_BLOCKED, 1);
    block(&t[2], "pthread_mutex_lock", LC_OBJ_MUTEX, 0x20, st(pc_lock, 0));
    created(&t[2], 1, st(pc_main2, 0));
    return snap(t, 3);
}

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
    tcase_add_test(tc, states_flags_and_order);
    tcase_add_test(tc, misuse_double_close_exact_text);
    tcase_add_test(tc, clean_run_prints_nothing);
    tcase_add_test(tc, ignore_rules);
    tcase_add_test(tc, match_list);
    tcase_add_test(tc, exit_status_line);
    tcase_add_test(tc, report_formats);
    tcase_add_test(tc, log_path);
    tcase_add_test(tc, live_dump_lists_every_task);
    tcase_add_test(tc, fd_channel_and_thread_objects);
    tcase_add_test(tc, creator_chain_and_nouns);
    tcase_add_test(tc, bounded_output);
    tcase_add_test(tc, quiet_and_deadlock_counts);
    suite_add_tcase(s, tc);
    return unit_run(s);
}
