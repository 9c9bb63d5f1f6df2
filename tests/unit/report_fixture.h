/* The hand-made snapshots of the report/ unit tests (test_verdict.c, test_report_text.c): stacks whose pcs are
 * real return addresses in the fake_* functions below, so that a report names real functions and lines (this
 * file's), and stderr captured into a memfd so that the text is compared exactly. */
#ifndef LC_REPORT_FIXTURE_H
#define LC_REPORT_FIXTURE_H
#include <check.h>
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

#define UNUSED __attribute__((unused))

/* ---- real code locations ------------------------------------------------------------------------------- */

__attribute__((noinline, unused)) static uintptr_t ra(void)
{
    uintptr_t pc = (uintptr_t)__builtin_return_address(0);
    __asm__ volatile("" ::: "memory");
    return pc;
}

/* Each fake_* function records a pc inside itself (a return address) and the line it is on. */
UNUSED static uintptr_t pc_wait, pc_waiter, pc_main, pc_main2, pc_worker, pc_gomain, pc_make, pc_stop_a, pc_stop_b,
    pc_lock;
UNUSED static int ln_wait, ln_waiter, ln_main, ln_main2, ln_worker, ln_gomain, ln_make, ln_stop_a, ln_stop_b, ln_lock;

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
UNUSED static const int ln_spin = __LINE__ + 1;
__attribute__((noinline)) void *fake_spin(void *arg)
{
    __asm__ volatile("" ::: "memory");
    return arg;
}

UNUSED static stack_id st(uintptr_t a, uintptr_t b)
{
    uintptr_t pcs[2] = { a, b };
    return stack_intern(pcs, b ? 2 : 1);
}

UNUSED static const char *src;      /* this file as DWARF names it */

UNUSED static void setup(void)
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

UNUSED static struct lc_task mk(uint64_t id, int kind, int state, double age_s)
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

UNUSED static void block(struct lc_task *t, const char *what, int ok, uintptr_t obj, stack_id site)
{
    t->what = what;
    t->obj_kind = (uint8_t)ok;
    t->obj = (const void *)obj;
    t->site = site;
}

UNUSED static void created(struct lc_task *t, uint64_t by, stack_id where)
{
    t->anc_id[0] = by;
    t->anc_stack[0] = where;
}

UNUSED static struct lc_snapshot snap(struct lc_task *tasks, size_t n)
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
UNUSED static char out[1 << 20];
UNUSED static const char *capture(const struct lc_snapshot *s, const struct lc_report_ctx *ctx, struct lc_verdict *v)
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

UNUSED static const struct lc_report_ctx exit_ctx = { LC_REASON_EXIT, 0, 0, 0 };

/* "<indent><label><func>" padded to column 31 (at least two spaces), then FILE:line. */
UNUSED static char *frame_line(char *buf, size_t len, const char *indent_label_func, int line)
{
    size_t n = (size_t)snprintf(buf, len, "%s", indent_label_func);
    size_t pad = n < 29 ? 31 - n : 2;
    snprintf(buf + n, len - n, "%*s%s:%d", (int)pad, "", src, line);
    return buf;
}

/* A main thread running, one blocked on a condition variable, one on a mutex, each created by main. */
UNUSED static struct lc_snapshot ignore_snapshot(struct lc_task *t)
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
#endif
