/* Unit tests for report/symbolize.c and report/goname.c: real addresses of this binary give their names and
 * this file's lines; gccgo names come out the way Go prints them. */
#include <check.h>
#include "unit.h"
#include <dlfcn.h>
#include <pthread.h>
#include <unistd.h>
#include <stdint.h>
#include <string.h>
#include "../../report/goname.h"
#include "../../report/symbolize.h"

/* Returns its own return address: a pc inside the caller, on the line of the call. */
__attribute__((noinline)) static uintptr_t return_address(void)
{
    uintptr_t pc = (uintptr_t)__builtin_return_address(0);
    __asm__ volatile("" ::: "memory");   /* not a tail call */
    return pc;
}

static const int known_line = __LINE__ + 1;
__attribute__((noinline)) int lc_known_function(int x)
{
    __asm__ volatile("" ::: "memory");
    return x * 3 + 1;
}

static int call_line_in_caller;
__attribute__((noinline)) uintptr_t lc_known_caller(void)
{
    uintptr_t pc = return_address(); call_line_in_caller = __LINE__;
    return pc;
}

/* Inlined into its caller: a pc in it belongs to two functions. */
static int inlined_line, inline_call_line;
static inline __attribute__((always_inline)) uintptr_t lc_inlined_part(void)
{
    uintptr_t pc = return_address(); inlined_line = __LINE__;
    return pc;
}
__attribute__((noinline)) uintptr_t lc_outer_part(void)
{
    uintptr_t pc = lc_inlined_part(); inline_call_line = __LINE__;
    return pc;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t a = s ? strlen(s) : 0, b = strlen(suffix);
    return s && a >= b && strcmp(s + a - b, suffix) == 0;
}

START_TEST(function_address_gives_name_file_line)
{
    struct lc_frame f;
    symbolize((uintptr_t)lc_known_function, 1, &f);
    ck_assert_str_eq(f.func, "lc_known_function");
    ck_assert_msg(ends_with(f.file, "tests/unit/test_symbolize.c"), "file %s", f.file ? f.file : "(null)");
    ck_assert_msg(f.file[0] == '/' && !strstr(f.file, "/./") && !strstr(f.file, "/../"), "not absolute: %s",
                  f.file);
    ck_assert_int_eq(f.line, known_line);
    ck_assert_ptr_nonnull(f.module);
    ck_assert_uint_eq(f.pc, (uintptr_t)lc_known_function);
}
END_TEST

START_TEST(return_address_gives_line_of_the_call)
{
    uintptr_t pc = lc_known_caller();
    struct lc_frame f;
    symbolize(pc, 0, &f);
    ck_assert_str_eq(f.func, "lc_known_caller");
    ck_assert_msg(ends_with(f.file, "test_symbolize.c"), "file %s", f.file ? f.file : "(null)");
    ck_assert_int_eq(f.line, call_line_in_caller);
    /* cached: the same answer, the same strings */
    struct lc_frame g;
    symbolize(pc, 0, &g);
    ck_assert_ptr_eq(f.func, g.func);
    ck_assert_int_eq(g.line, f.line);
}
END_TEST

START_TEST(inlined_calls_are_expanded)
{
    uintptr_t pc = lc_outer_part();
    struct lc_frame f[8];
    int n = symbolize_inline(pc, 0, f, 8);
    ck_assert_int_eq(n, 2);
    ck_assert_str_eq(f[0].func, "lc_inlined_part");
    ck_assert_int_eq(f[0].line, inlined_line);
    ck_assert_str_eq(f[1].func, "lc_outer_part");
    ck_assert_int_eq(f[1].line, inline_call_line);
    ck_assert_msg(ends_with(f[1].file, "test_symbolize.c"), "file %s", f[1].file ? f[1].file : "(null)");
    /* symbolize() gives the innermost, whose line it is */
    struct lc_frame g;
    symbolize(pc, 0, &g);
    ck_assert_str_eq(g.func, "lc_inlined_part");
}
END_TEST

START_TEST(unknown_address)
{
    struct lc_frame f;
    symbolize(0x10, 0, &f);
    ck_assert_str_eq(f.func, "??");
    ck_assert_ptr_null(f.file);
    ck_assert_int_eq(f.line, 0);
}
END_TEST

START_TEST(libc_function_has_its_symbol)
{
    struct lc_frame f;
    /* libc's own getpid (a sanitizer build may intercept the one this binary links to) */
    void *libc = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);
    ck_assert_ptr_nonnull(libc);
    void *fn = dlsym(libc, "getpid");
    ck_assert_ptr_nonnull(fn);
    symbolize((uintptr_t)fn, 1, &f);
    ck_assert_ptr_nonnull(f.module);
    ck_assert_msg(strstr(f.module, "libc.so") != NULL, "module %s", f.module);
    ck_assert_msg(strstr(f.func, "getpid") != NULL, "func %s", f.func);   /* or its alias __getpid */
    dlclose(libc);
}
END_TEST

/* A library's frame by its symbol table alone (no file:line: no DWARF read); the executable's: not so. */
START_TEST(library_symbol_without_dwarf)
{
    struct lc_frame f;
    void *libc = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);
    ck_assert_ptr_nonnull(libc);
    void *fn = dlsym(libc, "getpid");
    ck_assert_ptr_nonnull(fn);
    ck_assert_int_eq(symbolize_library_symbol((uintptr_t)fn + 1, &f), 1);    /* a return address in it */
    ck_assert_msg(strstr(f.func, "getpid") != NULL, "func %s", f.func);
    ck_assert_ptr_null(f.file);
    ck_assert_msg(strstr(f.module, "libc.so") != NULL, "module %s", f.module);
    ck_assert_int_eq(symbolize_library_symbol(lc_known_caller(), &f), 0);
    dlclose(libc);
}
END_TEST

/* A pc in a function the library does not export (libc's start_thread, below every thread's start routine) is
 * named by the full symbol table or not at all, never as the exported function the loader knows before it. */
static void *start_ra;
static void *record_return(void *arg)
{
    start_ra = __builtin_return_address(0);
    __asm__ volatile("" ::: "memory");
    return arg;
}

START_TEST(library_local_function_not_named_as_its_neighbour)
{
    pthread_t t;
    ck_assert_int_eq(pthread_create(&t, NULL, record_return, NULL), 0);
    ck_assert_int_eq(pthread_join(t, NULL), 0);
    struct lc_frame f;
    ck_assert_int_eq(symbolize_library_symbol((uintptr_t)start_ra, &f), 1);
    /* with libc's separate debug info (libc6-dbg) its full symbol table names it */
    int debug = access("/usr/lib/debug/.build-id", F_OK) == 0;
    ck_assert_msg(strcmp(f.func, "start_thread") == 0 || (!debug && strcmp(f.func, "??") == 0), "func %s", f.func);
}
END_TEST

START_TEST(reset_then_again)
{
    struct lc_frame f;
    symbolize((uintptr_t)lc_known_function, 1, &f);
    symbolize_reset();
    symbolize((uintptr_t)lc_known_function, 1, &f);
    ck_assert_str_eq(f.func, "lc_known_function");
    ck_assert_int_eq(f.line, known_line);
}
END_TEST

START_TEST(shim_is_not_the_executable)
{
    /* linked into the test executable, the shim's code cannot be told apart: nothing is "shim" */
    ck_assert_int_eq(symbolize_is_shim((uintptr_t)symbolize), 0);
    ck_assert_int_eq(symbolize_is_shim((uintptr_t)lc_known_function), 0);
}
END_TEST

START_TEST(go_symbols_demangled)
{
    char out[256];
    goname_demangle("example_0com_1app_1sub.S.P..func1", out, sizeof out);
    ck_assert_str_eq(out, "example.com/app/sub.S.P..func1");
    goname_demangle("main.my__func", out, sizeof out);
    ck_assert_str_eq(out, "main.my_func");
    goname_demangle("main.h_u00e9llo", out, sizeof out);
    ck_assert_str_eq(out, "main.h\xc3\xa9llo");
    goname_demangle("os_1signal.loop", out, sizeof out);
    ck_assert_str_eq(out, "os/signal.loop");
    ck_assert_int_eq(goname_is_go_symbol("main.worker"), 1);
    ck_assert_int_eq(goname_is_go_symbol("os_1signal.loop"), 1);
    ck_assert_int_eq(goname_is_go_symbol("worker"), 0);
    ck_assert_int_eq(goname_is_go_symbol("worker.part.0"), 0);
    ck_assert_int_eq(goname_is_go_symbol("worker.cold"), 0);
    ck_assert_int_eq(goname_is_go_symbol("__go_go"), 0);
}
END_TEST

START_TEST(go_names_pretty)
{
    char out[256], recv[64], base[256];
    goname_pretty("main.T.emit", 1, out, sizeof out);
    ck_assert_str_eq(out, "main.(*T).emit");
    goname_pretty("main.T.val", 0, out, sizeof out);
    ck_assert_str_eq(out, "main.T.val");
    goname_pretty("main.main..func1", 0, out, sizeof out);
    ck_assert_str_eq(out, "main.main.func1");
    goname_pretty("example.com/app/sub.S.P..func2", 1, out, sizeof out);
    ck_assert_str_eq(out, "example.com/app/sub.(*S).P.func2");
    goname_pretty("main.go..thunk0", 1, out, sizeof out);
    ck_assert_str_eq(out, "main.go..thunk0");
    goname_pretty("main.worker", 1, out, sizeof out);
    ck_assert_str_eq(out, "main.worker");
    ck_assert_int_eq(goname_method("sync.WaitGroup.Wait", recv, sizeof recv, base, sizeof base), 1);
    ck_assert_str_eq(recv, "WaitGroup");
    ck_assert_str_eq(base, "sync.WaitGroup.Wait");
    ck_assert_int_eq(goname_method("main.main..func1", recv, sizeof recv, base, sizeof base), 0);
    ck_assert_int_eq(goname_method("main.T.m..func3", recv, sizeof recv, base, sizeof base), 1);
    ck_assert_str_eq(base, "main.T.m");
    ck_assert_int_eq(goname_method("main._61024_7uint8..eq", recv, sizeof recv, base, sizeof base), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("symbolize");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, function_address_gives_name_file_line);
    tcase_add_test(tc, return_address_gives_line_of_the_call);
    tcase_add_test(tc, inlined_calls_are_expanded);
    tcase_add_test(tc, unknown_address);
    tcase_add_test(tc, libc_function_has_its_symbol);
    tcase_add_test(tc, library_symbol_without_dwarf);
    tcase_add_test(tc, library_local_function_not_named_as_its_neighbour);
    tcase_add_test(tc, reset_then_again);
    tcase_add_test(tc, shim_is_not_the_executable);
    tcase_add_test(tc, go_symbols_demangled);
    tcase_add_test(tc, go_names_pretty);
    suite_add_tcase(s, tc);
    return unit_run(s);
}
