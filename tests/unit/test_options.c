/* Unit tests for the LEAKCHECK_OPTIONS parser. */
#include <check.h>
#include "unit.h"
#include <string.h>
#include "../../runtime/options.h"

static struct lc_options o;
static char err[4096];

START_TEST(defaults)
{
    options_defaults(&o);
    ck_assert_int_eq(o.exitcode, 66);
    ck_assert_int_eq(o.grace_ms, 200);
    ck_assert_str_eq(o.report, "text");
    ck_assert_str_eq(o.log_path, "");
    ck_assert_int_eq(o.dump_signal, 10);
}
END_TEST

START_TEST(parses_every_type)
{
    options_defaults(&o);
    int bad = options_parse(&o, "exitcode=42:log_path=/tmp/x report=text,json:report_running=0:grace_ms=2s:"
                                "interval=250ms:verbosity=2:fatal_signals=false", err, sizeof err);
    ck_assert_int_eq(bad, 0);
    ck_assert_str_eq(err, "");
    ck_assert_int_eq(o.exitcode, 42);
    ck_assert_str_eq(o.log_path, "/tmp/x");
    ck_assert_str_eq(o.report, "text,json");
    ck_assert_int_eq(o.report_running, 0);
    ck_assert_int_eq(o.grace_ms, 2000);
    ck_assert_int_eq(o.interval, 250);
    ck_assert_int_eq(o.verbosity, 2);
    ck_assert_int_eq(o.fatal_signals, 0);
}
END_TEST

START_TEST(unknown_option_named_rest_applies)
{
    options_defaults(&o);
    int bad = options_parse(&o, "nosuch=1:exitcode=7", err, sizeof err);
    ck_assert_int_eq(bad, 1);
    ck_assert_ptr_nonnull(strstr(err, "unknown option 'nosuch'"));
    ck_assert_ptr_nonnull(strstr(err, "exitcode"));   /* lists the valid ones */
    ck_assert_int_eq(o.exitcode, 7);
}
END_TEST

START_TEST(malformed_values)
{
    options_defaults(&o);
    int bad = options_parse(&o, "exitcode=abc:grace_ms=5h:report_running=2:verbosity:stack_depth=99999999999", err,
                            sizeof err);
    ck_assert_int_eq(bad, 5);
    ck_assert_ptr_nonnull(strstr(err, "bad value in 'exitcode=abc' (expected an integer 0-255)"));
    ck_assert_ptr_nonnull(strstr(err, "grace_ms=5h"));
    ck_assert_ptr_nonnull(strstr(err, "report_running=2"));
    ck_assert_ptr_nonnull(strstr(err, "option 'verbosity' has no value"));
    ck_assert_int_eq(o.exitcode, 66);   /* defaults kept */
    ck_assert_int_eq(o.grace_ms, 200);
    /* one line per problem */
    int lines = 1;
    for (const char *p = err; *p; p++)
        lines += *p == '\n';
    ck_assert_int_eq(lines, 5);
}
END_TEST

START_TEST(ranges_one_line_each_default_kept)
{
    options_defaults(&o);
    int bad = options_parse(&o, "exitcode=256:stack_depth=0:stack_depth=65:dump_signal=11:dump_signal=65:"
                                "max_tasks=-1:report=:children=maybe:verbosity=7:grace_ms=-5", err, sizeof err);
    ck_assert_int_eq(bad, 10);
    ck_assert_ptr_nonnull(strstr(err, "bad value in 'exitcode=256' (expected an integer 0-255), ignored"));
    ck_assert_ptr_nonnull(strstr(err, "'stack_depth=0' (expected an integer 1-64)"));
    ck_assert_ptr_nonnull(strstr(err, "'dump_signal=11' (expected an integer 0-64 except "));
    ck_assert_ptr_nonnull(strstr(err, "'max_tasks=-1' (expected an integer 0-)"));
    ck_assert_ptr_nonnull(strstr(err, "'report=' (expected a value)"));
    ck_assert_ptr_nonnull(strstr(err, "'children=maybe' (expected off|report|status)"));
    int lines = 1;
    for (const char *p = err; *p; p++)
        lines += *p == '\n';
    ck_assert_int_eq(lines, 10);
    ck_assert_int_eq(o.exitcode, 66);
    ck_assert_int_eq(o.stack_depth, 32);
    ck_assert_int_eq(o.dump_signal, 10);
    ck_assert_int_eq(o.max_tasks, 0);
    ck_assert_str_eq(o.report, "text");
    ck_assert_str_eq(o.children, "off");
    ck_assert_int_eq(o.verbosity, 1);
    /* the bounds themselves are in range */
    ck_assert_int_eq(options_parse(&o, "exitcode=0:exitcode=255:stack_depth=1:stack_depth=64:dump_signal=0:"
                                       "dump_signal=12:dump_signal=64:children=status", err, sizeof err), 0);
    ck_assert_int_eq(o.dump_signal, 64);
    ck_assert_str_eq(o.children, "status");
}
END_TEST

START_TEST(empty_and_null)
{
    options_defaults(&o);
    ck_assert_int_eq(options_parse(&o, NULL, err, sizeof err), 0);
    ck_assert_int_eq(options_parse(&o, "", err, sizeof err), 0);
    ck_assert_int_eq(options_parse(&o, ":::  :", err, sizeof err), 0);
    ck_assert_int_eq(options_parse(&o, "exitcode=1", NULL, 0), 0);
}
END_TEST

START_TEST(error_buffer_bounded)
{
    char small[16];
    options_defaults(&o);
    ck_assert_int_eq(options_parse(&o, "aaaaaaaaaaaaaaaaaaaaaaaaa=1:bbbbbbbbbbbbbbbbbbbb=2", small, sizeof small), 2);
    ck_assert_uint_lt(strlen(small), sizeof small);
}
END_TEST

START_TEST(help_lists_all)
{
    char buf[8192];
    size_t n = options_help(buf, sizeof buf);
    ck_assert_uint_gt(n, 100);
    ck_assert_ptr_nonnull(strstr(buf, "exitcode"));
    ck_assert_ptr_nonnull(strstr(buf, "grace_ms"));
    ck_assert_ptr_nonnull(strstr(buf, "dump_signal"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("options");
    TCase *tc = tcase_create("parse");
    tcase_add_test(tc, defaults);
    tcase_add_test(tc, parses_every_type);
    tcase_add_test(tc, unknown_option_named_rest_applies);
    tcase_add_test(tc, malformed_values);
    tcase_add_test(tc, ranges_one_line_each_default_kept);
    tcase_add_test(tc, empty_and_null);
    tcase_add_test(tc, error_buffer_bounded);
    tcase_add_test(tc, help_lists_all);
    suite_add_tcase(s, tc);
    return unit_run(s);
}
