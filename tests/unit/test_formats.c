/* Unit tests for the machine formats and suppressions: suppression file parsing and matching, Go test
 * attribution, and the json/folded/pprof writers on a hand-made snapshot whose stacks are real return addresses
 * in this file (the encoders themselves: test_encoding.c). */
#include <check.h>
#include "unit.h"
#include "capture.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>
#include "../../report/attribution.h"
#include "../../report/json.h"
#include "../../report/proto.h"
#include "../../report/suppress.h"
#include "../../report/verdict.h"
#include "../../runtime/options.h"
#include "../../runtime/stack.h"

/* The writers, declared here without formats.h's weak attribute: a strong reference links them in from the
 * static library. */
typedef void (*format_fn)(struct lc_bufw *w, const struct lc_snapshot *s, const struct lc_report_ctx *ctx,
                          const struct lc_judgement *j);
void report_json(struct lc_bufw *, const struct lc_snapshot *, const struct lc_report_ctx *,
                 const struct lc_judgement *);
void report_pprof(struct lc_bufw *, const struct lc_snapshot *, const struct lc_report_ctx *,
                  const struct lc_judgement *);
void report_pprof_contention(struct lc_bufw *, const struct lc_snapshot *, const struct lc_report_ctx *,
                             const struct lc_judgement *);
void report_folded(struct lc_bufw *, const struct lc_snapshot *, const struct lc_report_ctx *,
                   const struct lc_judgement *);

/* ---- helpers ----------------------------------------------------------------------------------------------- */

/* ---- suppressions and attribution ------------------------------------------------------------------------- */

START_TEST(suppression_parsing)
{
    char err[2048];
    const char *text = "# known noise\n"
                       "\n"
                       "leak:main.worker\n"
                       "  leak_top : pkg.(*Pool).wait*  \r\n"
                       "lek:foo\n"
                       "double_close:main.stop\n"
                       "no colon here\n"
                       "fd_double_close:\n"
                       "lock_order:*/vendor/*\n"
                       "misuse:x";
    int bad = suppress_parse("lc.supp", text, err, sizeof err);
    ck_assert_int_eq(bad, 3);
    ck_assert_uint_eq(suppress_nrules(), 5);
    ck_assert_str_eq(suppress_rule(0)->kind, "leak");
    ck_assert_str_eq(suppress_rule(0)->pattern, "main.worker");
    ck_assert_int_eq(suppress_rule(0)->line, 3);
    ck_assert_str_eq(suppress_rule(1)->kind, "leak_top");
    ck_assert_str_eq(suppress_rule(1)->pattern, "pkg.(*Pool).wait*");
    ck_assert_str_eq(suppress_rule(2)->kind, "double_close");
    ck_assert_str_eq(suppress_rule(3)->pattern, "*/vendor/*");
    ck_assert_int_eq(suppress_rule(4)->line, 10);
    ck_assert_ptr_null(suppress_rule(5));
    ck_assert_msg(strncmp(err, "leakcheck: lc.supp:5: unknown kind 'lek' (valid: leak, leak_top, leak_created_by, "
                               "misuse, double_close, ", 95) == 0, "got: %s", err);
    ck_assert_ptr_nonnull(strstr(err, ", lock_order, deadlock, busy_spin)\n"));
    ck_assert_ptr_nonnull(strstr(err, "\nleakcheck: lc.supp:7: missing ':' in 'no colon here' (expected "
                                      "kind:pattern)\n"));
    ck_assert_ptr_nonnull(strstr(err, "\nleakcheck: lc.supp:8: empty pattern after 'fd_double_close:'"));
    ck_assert_ptr_null(strchr(strstr(err, "lc.supp:8"), '\n'));   /* no trailing newline */

    ck_assert_int_eq(suppress_parse("x", "", err, sizeof err), 0);
    ck_assert_uint_eq(suppress_nrules(), 0);
    ck_assert_str_eq(err, "");
    ck_assert_int_eq(suppress_parse("x", "a\nb\nc\nd\n", err, 60), 4);     /* bounded messages */
    ck_assert_uint_le(strlen(err), 59);
    ck_assert_str_eq(suppress_kind_id(LC_F_FD_DOUBLE_CLOSE), "fd_double_close");
    ck_assert_str_eq(suppress_kind_id(LC_F_SEND_CLOSED), "send_closed");
    suppress_clear();
}
END_TEST

START_TEST(test_names)
{
    char n[64];
    ck_assert_int_eq(attrib_test_name("example.com/m.TestLeaky", n, sizeof n), 1);
    ck_assert_str_eq(n, "TestLeaky");
    ck_assert_int_eq(attrib_test_name("m_test.TestLeaky..func1", n, sizeof n), 1);
    ck_assert_str_eq(n, "TestLeaky");
    ck_assert_int_eq(attrib_test_name("pkg.TestX.func2", n, sizeof n), 1);
    ck_assert_str_eq(n, "TestX");
    ck_assert_int_eq(attrib_test_name("pkg.Test_under", n, sizeof n), 1);
    ck_assert_str_eq(n, "Test_under");
    ck_assert_int_eq(attrib_test_name("a.b/c.BenchmarkPush", n, sizeof n), 1);
    ck_assert_str_eq(n, "BenchmarkPush");
    ck_assert_int_eq(attrib_test_name("pkg.Test", n, sizeof n), 1);
    ck_assert_str_eq(n, "Test");
    ck_assert_int_eq(attrib_test_name("pkg.TestVeryLongNameThatIsCut", n, 8), 1);
    ck_assert_str_eq(n, "TestVer");
    ck_assert_int_eq(attrib_test_name("pkg.Testing", n, sizeof n), 0);      /* Go's rule: not a test */
    ck_assert_int_eq(attrib_test_name("testing.tRunner", n, sizeof n), 0);
    ck_assert_int_eq(attrib_test_name("pkg.(*T).TestX", n, sizeof n), 0);  /* a method */
    ck_assert_int_eq(attrib_test_name("TestLeaky", n, sizeof n), 0);       /* C: no package */
    ck_assert_int_eq(attrib_test_name("main.helper", n, sizeof n), 0);
    ck_assert_int_eq(attrib_test_name(NULL, n, sizeof n), 0);
}
END_TEST

/* ---- writers on a hand-made snapshot ---------------------------------------------------------------------- */

__attribute__((noinline)) static uintptr_t ra(void)
{
    uintptr_t pc = (uintptr_t)__builtin_return_address(0);
    __asm__ volatile("" ::: "memory");
    return pc;
}

static uintptr_t pc_recv, pc_worker, pc_test, pc_stop, pc_other;
__attribute__((noinline)) void fake_recv(void) { pc_recv = ra(); }
__attribute__((noinline)) void fake_worker(void) { pc_worker = ra(); }
/* A Go test function as gccgo names its symbol (a C identifier cannot hold the dot): a few instructions with no
 * debug information of their own, so the report names them from the symbol table. */
__asm__(".pushsection .text\n"
        ".globl \"m.TestLeaky\"\n"
        ".type \"m.TestLeaky\", @function\n"
        "\"m.TestLeaky\":\n"
        "  nop\n  nop\n  nop\n  nop\n  ret\n"
        ".size \"m.TestLeaky\", .-\"m.TestLeaky\"\n"
        ".popsection\n");
extern const char go_test_fn[] __asm__("m.TestLeaky");
static void fake_test(void) { pc_test = (uintptr_t)go_test_fn + 2; }   /* a return address inside it */
__attribute__((noinline)) void fake_stop(void) { pc_stop = ra(); }
__attribute__((noinline)) void fake_other(void) { pc_other = ra(); }

static stack_id st(uintptr_t a, uintptr_t b)
{
    uintptr_t pcs[2] = { a, b };
    return stack_intern(pcs, b ? 2 : 1);
}

#define NOW 100000000000ull

static struct lc_task tasks[4];
static struct lc_finding finding;
static struct lc_snapshot snap;
static struct lc_report_ctx ctx = { LC_REASON_EXIT, 0, 0, 0 };
static struct lc_judgement judged;

static void setup(void)
{
    options_defaults(&lc_opt);
    suppress_clear();
    fake_recv(); fake_worker(); fake_test(); fake_stop(); fake_other();
    memset(tasks, 0, sizeof tasks);
    for (int i = 0; i < 4; i++) {
        tasks[i].id = (uint64_t)i + 1;
        tasks[i].key = 0x100 + (uint64_t)i;
        tasks[i].kind = LC_GOROUTINE;
        tasks[i].state = LC_BLOCKED;
        tasks[i].started_ns = tasks[i].since_ns = NOW - (uint64_t)(i + 1) * 1000000000ull;
        tasks[i].what = "chan receive";
        tasks[i].obj_kind = LC_OBJ_CHAN;
        tasks[i].obj = (const void *)0xc000012060;
        tasks[i].site = st(pc_recv, pc_worker);
        tasks[i].anc_id[0] = 1;
        tasks[i].anc_stack[0] = st(pc_test, 0);
    }
    tasks[0].flags = LC_TF_MAIN;
    tasks[0].anc_id[0] = 0;
    tasks[0].anc_stack[0] = 0;
    tasks[3].site = st(pc_other, 0);                         /* another group, created elsewhere */
    tasks[3].anc_stack[0] = st(pc_stop, 0);
    memset(&finding, 0, sizeof finding);
    finding.kind = LC_F_DOUBLE_CLOSE;
    finding.obj = (const void *)0xc0000140c0;
    finding.site[0] = st(pc_stop, 0);
    finding.site[1] = st(pc_worker, 0);
    finding.task[0] = 3;
    finding.task[1] = 2;
    finding.count = 1;
    memset(&snap, 0, sizeof snap);
    snap.now_ns = NOW;
    snap.pid = getpid();
    snap.tasks = tasks;
    snap.ntasks = 4;
    snap.findings = &finding;
    snap.nfindings = 1;
}

static void teardown(void)
{
    suppress_clear();
}

static void run_format(struct lc_bufw *w, void *arg)
{
    format_fn fn = (format_fn)(uintptr_t)arg;
    verdict_judge(&snap, &ctx, &judged);
    fn(w, &snap, &ctx, &judged);
    verdict_free(&judged);
}

START_TEST(folded_lines)
{
    const char *got = collect(run_format, (void *)(uintptr_t)report_folded, NULL);
    ck_assert_str_eq(got, "fake_worker;fake_recv 2\nfake_other 1\n");
}
END_TEST

START_TEST(json_document)
{
    const char *got = collect(run_format, (void *)(uintptr_t)report_json, NULL);
    const char *want[] = {
        "{\n  \"schema\":\"leakcheck/1\",\n  \"process\":{\n",
        "\"reason\":\"exit\",\n  \"signal\":null,\n  \"live\":false,\n",
        "\"summary\":{\n    \"leaked\":3,\n    \"groups\":2,\n    \"misuse\":1,\n    \"deadlocks\":0,\n"
        "    \"suppressed\":0,\n",
        "\"exit_status\":66,\n",
        "\"count\":2,\n      \"kind\":\"goroutine\",\n      \"state\":\"blocked\",\n      \"what\":\"chan receive\",",
        "\"test\":\"TestLeaky\",\n      \"tasks\":[2,3]",
        "\"id\":1,\n      \"parent\":null,\n      \"kind\":\"goroutine\",\n      \"state\":\"blocked\",\n"
        "      \"main\":true,\n      \"runtime\":false,\n      \"leaked\":false,",
        "\"object\":{\"kind\":\"chan\",\"address\":\"0xc000012060\",\"nil\":false,\"signal_notify\":false}",
        "\"duration_ns\":3000000000,",
        "\"blocking_stack\":[{\"function\":\"fake_recv\",\"file\":\"",
        "\"created_by\":[{\"task\":1,\"at\":{\"function\":\"m.TestLeaky\",",
        "\"kind\":\"double_close\",\n      \"title\":\"double close\",\n      \"suppressed\":false,\n"
        "      \"object\":{\"kind\":\"chan\",\"address\":\"0xc0000140c0\"},",
        "\"sites\":[{\"label\":\"second close\",\"task\":3,\"stack\":[{\"function\":\"fake_stop\"",
        "{\"label\":\"first close\",\"task\":2,",
        "\"suppressions\":[]\n}\n",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        ck_assert_msg(strstr(got, want[i]), "missing: %s\nin:\n%s", want[i], got);
}
END_TEST

/* Inflates a gzip stream into buf; returns its length. */
static size_t gunzip(const char *in, size_t n, char *buf, size_t cap)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    ck_assert_int_eq(inflateInit2(&z, 15 + 16), Z_OK);
    z.next_in = (Bytef *)in;
    z.avail_in = (uInt)n;
    z.next_out = (Bytef *)buf;
    z.avail_out = (uInt)cap;
    ck_assert_int_eq(inflate(&z, Z_FINISH), Z_STREAM_END);
    size_t got = z.total_out;
    inflateEnd(&z);
    return got;
}

static int has(const char *buf, size_t n, const void *needle, size_t m)
{
    return memmem(buf, n, needle, m) != NULL;
}

START_TEST(pprof_profiles)
{
    static char raw[1 << 16];
    size_t n;
    const char *gz = collect(run_format, (void *)(uintptr_t)report_pprof, &n);
    ck_assert_int_eq((unsigned char)gz[0], 0x1f);              /* gzip magic */
    ck_assert_int_eq((unsigned char)gz[1], 0x8b);
    size_t m = gunzip(gz, n, raw, sizeof raw);
    /* sample_type {type: 1, unit: 2}, then string_table[0] = "", "goroutine", "count" */
    ck_assert(has(raw, m, "\x0a\x04\x08\x01\x10\x02", 6));
    ck_assert(has(raw, m, "\x32\x00\x32\x09goroutine\x32\x05" "count", 20));
    ck_assert(has(raw, m, "\x32\x09" "fake_recv", 11));
    ck_assert(has(raw, m, "\x32\x09TestLeaky", 11));            /* the test label */
    ck_assert(has(raw, m, "\x32\x0c" "chan receive", 14));
    /* a sample: location ids packed, value 1 */
    ck_assert(has(raw, m, "\x12", 1) && has(raw, m, "\x0a\x02\x01\x02\x12\x01\x01", 7));

    gz = collect(run_format, (void *)(uintptr_t)report_pprof_contention, &n);
    m = gunzip(gz, n, raw, sizeof raw);
    ck_assert(has(raw, m, "\x32\x0b" "contentions", 13));
    ck_assert(has(raw, m, "\x32\x05" "delay\x32\x0bnanoseconds", 20));
    /* the 3 s blocked task: values {1, 3000000000} */
    ck_assert(has(raw, m, "\x12\x06\x01\x80\xbc\xc1\x96\x0b", 8));
}
END_TEST

START_TEST(suppressed_findings_and_leaks)
{
    char err[512];
    ck_assert_int_eq(suppress_parse("t.supp", "double_close:fake_stop\nleak_top:fake_other\nleak:nomatch\n",
                                    err, sizeof err), 0);
    verdict_judge(&snap, &ctx, &judged);
    ck_assert_uint_eq(judged.v.leaked, 2);
    ck_assert_uint_eq(judged.v.misuse, 0);
    ck_assert_uint_eq(judged.v.suppressed, 2);
    ck_assert_int_eq(verdict_finding_shown(&judged, 0), 0);
    ck_assert_int_eq(judged.task_mark[3], LC_TM_IGNORED);
    ck_assert_int_eq(judged.task_mark[1], LC_TM_REPORTED);
    ck_assert_uint_eq(suppress_rule(0)->hits, 1);
    ck_assert_uint_eq(suppress_rule(1)->hits, 1);
    ck_assert_uint_eq(suppress_rule(2)->hits, 0);
    verdict_free(&judged);

    /* the text report lists the rules used, before its closing line, and no longer the finding */
    int fd = memfd_create("text", 0), saved = dup(2);
    dup2(fd, 2);
    struct lc_verdict v = report_write(&snap, &ctx);
    dup2(saved, 2);
    close(saved);
    ssize_t r = pread(fd, out, sizeof out - 1, 0);
    close(fd);
    out[r > 0 ? r : 0] = 0;
    ck_assert_uint_eq(v.suppressed, 2);
    ck_assert_ptr_null(strstr(out, "double close"));
    ck_assert_msg(strstr(out, "\nleakcheck: used suppressions:\n  1 double_close:fake_stop\n  1 leak_top:fake_other\n"
                              "\nleakcheck: 2 leaked, 0 misuse; exit status 66\n"), "got:\n%s", out);
    ck_assert_ptr_nonnull(strstr(out, "\n  test: TestLeaky\n"));

    /* leak_created_by matches the creating function; everything silenced: exit status 0 */
    ck_assert_int_eq(suppress_parse("t.supp", "leak_created_by:m.Test*\nmisuse:fake_worker\nleak:fake_other\n",
                                    err, sizeof err), 0);
    verdict_judge(&snap, &ctx, &judged);
    ck_assert_uint_eq(judged.v.leaked, 0);
    ck_assert_uint_eq(judged.v.misuse, 0);
    ck_assert_int_eq(verdict_exit_status(&judged.v, &ctx), 0);
    ck_assert_uint_eq(suppress_rule(0)->hits, 2);
    ck_assert_uint_eq(suppress_rule(1)->hits, 1);
    ck_assert_uint_eq(suppress_rule(2)->hits, 1);
    verdict_free(&judged);

    /* a default rule matches a frame by its module, the path a report prints for a frame without a line */
    ck_assert_int_eq(suppress_parse("t.supp", "", err, sizeof err), 0);
    ck_assert_int_eq(suppress_parse_defaults("d.supp", "leak:*/unit/test_formats\n", err, sizeof err), 0);
    verdict_judge(&snap, &ctx, &judged);
    ck_assert_uint_eq(judged.v.leaked, 0);
    ck_assert_uint_eq(judged.v.suppressed, 3);
    verdict_free(&judged);
    ck_assert_int_eq(suppress_parse_defaults("d.supp", "", err, sizeof err), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("formats");
    TCase *tc = tcase_create("formats");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, suppression_parsing);
    tcase_add_test(tc, test_names);
    tcase_add_test(tc, folded_lines);
    tcase_add_test(tc, json_document);
    tcase_add_test(tc, pprof_profiles);
    tcase_add_test(tc, suppressed_findings_and_leaks);
    suite_add_tcase(s, tc);
    return unit_run(s);
}
