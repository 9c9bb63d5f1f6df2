/* Unit tests for the gc family's readers: report/pclntab.c (Go's function table), interpose/gc_binary.c (build
 * info, symbols, layout from DWARF and the built-in table) and interpose/gc_goroutines.c (the goroutines of a
 * running gc-built program, read from outside it as the attach tool does). The program read is
 * tests/unit/go/target.go, built by make in two ways: plain (TARGET) and stripped PIE (TARGET_STRIPPED). */
#include <check.h>
#include "unit.h"
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../../interpose/gc_binary.h"
#include "../../interpose/gc_goroutines.h"
#include "../../interpose/gc_hooks.h"
#include "../../interpose/gc_patch.h"
#include <sys/mman.h>

static const char *target, *target_stripped;

static int ends_with(const char *s, const char *suffix)
{
    size_t a = s ? strlen(s) : 0, b = strlen(suffix);
    return s && a >= b && strcmp(s + a - b, suffix) == 0;
}

START_TEST(build_info_and_layout)
{
    struct gc_bin b;
    char err[256] = "";
    ck_assert_msg(gc_bin_open(&b, target, 0, err, sizeof err) == 0, "open: %s", err);
    ck_assert_msg(strncmp(b.version, "go1.", 4) == 0, "version %s", b.version);
    ck_assert_int_eq(b.stripped, 0);
    ck_assert_int_eq(b.layout_from_dwarf, 1);
    ck_assert_int_eq(b.cgo, 0);
    ck_assert(b.allglen && b.allgptr && b.allm && b.wait_strings);
    /* the DWARF layout agrees with the built-in table where both exist (Go 1.19) */
    if (b.major == 1 && b.minor == 19)
        for (int f = 0; f < GF__COUNT; f++)
            if (b.off[f] >= 0 && strncmp(gc_layout_struct(f), "runtime.", 8) == 0)
                ck_assert_msg(b.off[f] == gc_layout_off119(f), "field %d: dwarf %d, table %d", f, b.off[f],
                              gc_layout_off119(f));
    gc_bin_close(&b);
}
END_TEST

START_TEST(fast_open_takes_the_built_in_layout)
{
    struct gc_bin b, full;
    char err[256] = "";
    ck_assert_msg(gc_bin_open_fast(&b, target, 0, err, sizeof err) == 0, "open: %s", err);
    ck_assert_msg(gc_bin_open(&full, target, 0, err, sizeof err) == 0, "open: %s", err);
    if (b.major == 1 && b.minor == 19) {
        ck_assert_int_eq(b.layout_from_dwarf, 0);          /* no DWARF read at start */
        ck_assert_int_eq(b.layout_checked, strcmp(b.version, "go1.19.8") == 0);
    }
    ck_assert_int_eq(gc_bin_verify_layout(&b, err, sizeof err), 0);
    for (int f = 0; f < GF__COUNT; f++)
        if (full.off[f] >= 0)
            ck_assert_msg(b.off[f] == full.off[f], "field %d: fast %d, dwarf %d", f, b.off[f], full.off[f]);
    gc_bin_close(&full);
    gc_bin_close(&b);
}
END_TEST

START_TEST(stripped_binary_still_readable)
{
    struct gc_bin b, full;
    char err[256] = "";
    ck_assert_msg(gc_bin_open(&b, target_stripped, 0, err, sizeof err) == 0, "open: %s", err);
    ck_assert_int_eq(b.stripped, 1);
    ck_assert_int_eq(b.layout_from_dwarf, 0);
    ck_assert(b.allglen && b.allgptr);          /* found from runtime.forEachGRace's code */
    ck_assert_msg(gc_bin_open(&full, target, 0, err, sizeof err) == 0, "open: %s", err);
    ck_assert(gc_bin_func(&b, "main.twice") != 0);
    ck_assert(b.pcln.gofunc != NULL);          /* inline tree through runtime.firstmoduledata */
    gc_bin_close(&full);
    gc_bin_close(&b);
}
END_TEST

START_TEST(not_go)
{
    struct gc_bin b;
    char err[256] = "", ver[32];
    ck_assert_int_eq(gc_bin_is_go("/bin/sh", ver, sizeof ver), 0);
    ck_assert_int_eq(gc_bin_open(&b, "/bin/sh", 0, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "not a Go executable") != NULL, "err: %s", err);
    ck_assert_int_eq(gc_bin_open(&b, "/nonexistent/x", 0, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "cannot read") != NULL, "err: %s", err);
    ck_assert_int_eq(gc_bin_is_go(target, ver, sizeof ver), 1);
    ck_assert_msg(strncmp(ver, "go1.", 4) == 0, "version %s", ver);
}
END_TEST

static void check_functions(const char *path)
{
    struct gc_bin b;
    char err[256] = "";
    ck_assert_msg(gc_bin_open(&b, path, 0, err, sizeof err) == 0, "open: %s", err);
    struct lc_pcln_func fn;
    ck_assert(pcln_lookup(&b.pcln, "main.receiver", &fn));
    ck_assert_str_eq(pcln_name(&b.pcln, &fn), "main.receiver");
    const char *file;
    ck_assert_int_eq(pcln_line(&b.pcln, &fn, fn.entry, &file), 22);
    ck_assert_msg(ends_with(file, "tests/unit/go/target.go"), "file %s", file);
    ck_assert(pcln_spdelta(&b.pcln, &fn, fn.entry) == 0);
    ck_assert(fn.end > fn.entry);
    /* an inlined call: some pc of twice is in (*counter).add, inlined at line 18 */
    ck_assert(pcln_lookup(&b.pcln, "main.twice", &fn));
    int found = 0;
    for (uint64_t pc = fn.entry; pc < fn.end && !found; pc++) {
        struct lc_pcln_frame f[4];
        int n = pcln_frames(&b.pcln, pc, f, 4);
        if (n == 2 && strcmp(f[0].func, "main.(*counter).add") == 0) {
            ck_assert_int_eq(f[0].line, 14);
            ck_assert_str_eq(f[1].func, "main.twice");
            ck_assert_msg(f[1].line == 18 || f[1].line == 19, "call line %d", f[1].line);
            found = 1;
        }
    }
    ck_assert_msg(found, "no inlined frame in main.twice");
    struct lc_pcln_frame f[2];
    ck_assert_int_eq(pcln_frames(&b.pcln, 1, f, 2), 0);   /* outside every function */
    gc_bin_close(&b);
}

START_TEST(function_table)
{
    check_functions(target);
    check_functions(target_stripped);
}
END_TEST

/* ---- a live program ------------------------------------------------------------------------------------- */

struct seen { int receivers, mutex, sleep, read, main; char err[256]; };

static void on_goroutine(const struct gc_goroutine *o, void *arg)
{
    struct seen *s = arg;
    if (o->system)
        return;
    const char *w = o->what ? o->what : "";
    if (strcmp(w, "chan receive") == 0 && o->obj_kind == GO_CHAN && o->chan_cap == 3 && !o->chan_closed)
        s->receivers++;
    else if (strcmp(w, "sync.Mutex.Lock") == 0 && o->obj_kind == GO_MUTEX && o->obj)
        s->mutex++;
    else if (strcmp(w, "sleep") == 0)
        s->sleep++;
    if (o->npcs > o->top && o->goid == 1)
        s->main++;
    if (o->state == GS_SYSCALL)
        s->read++;
}

static void walk_live(const char *path)
{
    int in[2], out[2];
    ck_assert(pipe(in) == 0 && pipe(out) == 0);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        close(in[1]);
        close(out[0]);
        execl(path, path, (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    FILE *f = fdopen(out[0], "r");
    char line[64];
    while (fgets(line, sizeof line, f) && strcmp(line, "ready\n") != 0)
        ;
    struct gc_bin b;
    struct gc_mem mem;
    struct gc_reader r;
    char err[256] = "";
    uint64_t bias;
    ck_assert(gc_load_bias(pid, path, &bias) == 0);
    ck_assert_msg(gc_bin_open(&b, path, bias, err, sizeof err) == 0, "open: %s", err);
    gc_mem_init(&mem, pid);
    ck_assert_msg(gc_reader_init(&r, &b, &mem, err, sizeof err) == 0, "reader: %s", err);
    struct seen s = { 0 };
    int n = gc_walk(&r, on_goroutine, &s);
    ck_assert_msg(n >= 5, "%d goroutines", n);
    ck_assert_int_eq(s.receivers, 2);
    ck_assert_int_eq(s.mutex, 1);
    ck_assert_int_eq(s.sleep, 1);
    ck_assert_int_eq(s.main, 1);
    gc_reader_free(&r);
    gc_mem_close(&mem);
    gc_bin_close(&b);
    close(in[1]);                           /* the program's read returns: it exits */
    int st;
    waitpid(pid, &st, 0);
    fclose(f);
    ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

START_TEST(goroutines_of_a_live_program)
{
    walk_live(target);
    walk_live(target_stripped);
}
END_TEST

/* ---- patching: only the code expected ------------------------------------------------------------------ */

static void noop_hook(struct gc_hook *h, uint64_t *regs) { (void)h, (void)regs; }

START_TEST(hooks_refuse_unexpected_code)
{
    uint8_t *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ck_assert(page != MAP_FAILED);
    /* a Go function's stack check: cmpq 16(%r14), %rsp; jbe +0x40; subq $0x28, %rsp */
    static const uint8_t prologue[] = { 0x49, 0x3b, 0x66, 0x10, 0x0f, 0x86, 0x40, 0, 0, 0, 0x48, 0x83, 0xec, 0x28 };
    static const uint8_t other[] = { 0x55, 0x48, 0x89, 0xe5, 0x48, 0x83, 0xec, 0x28, 0x90, 0x90, 0x90, 0x90 };
    struct gc_hook h = { noop_hook, 0 };
    memcpy(page, other, sizeof other);
    ck_assert_int_eq(gc_hook_entry((uint64_t)(uintptr_t)page, &h), -1);
    ck_assert(memcmp(page, other, sizeof other) == 0);       /* untouched */
    memcpy(page + 256, prologue, sizeof prologue);
    ck_assert_int_eq(gc_hook_entry((uint64_t)(uintptr_t)(page + 256), &h), 0);
    ck_assert_int_eq(page[256], 0xe9);                        /* a jump to the stub now */
    ck_assert(h.resume == (uint64_t)(uintptr_t)(page + 256 + 10));
    mprotect(page, 4096, PROT_READ | PROT_WRITE | PROT_EXEC);   /* a patch leaves code pages read and execute */
    /* runtime.exit's twelve bytes, or nothing */
    static const uint8_t exit_code[] = { 0x8b, 0x7c, 0x24, 0x08, 0xb8, 0xe7, 0, 0, 0, 0x0f, 0x05, 0xc3 };
    memcpy(page + 512, other, sizeof other);
    ck_assert_int_eq(gc_patch_jump((uint64_t)(uintptr_t)(page + 512), exit_code, sizeof exit_code, noop_hook), -1);
    ck_assert(memcmp(page + 512, other, sizeof other) == 0);
    /* a 32-bit word only when it holds what is expected */
    uint32_t *w = (uint32_t *)(page + 1024);
    *w = 4;
    ck_assert_int_eq(gc_patch_word((uint64_t)(uintptr_t)w, 5, 0), -1);
    ck_assert_int_eq(*w, 4);
    ck_assert_int_eq(gc_patch_word((uint64_t)(uintptr_t)w, 4, 0), 0);
    ck_assert_int_eq(*w, 0);
    munmap(page, 4096);
}
END_TEST

/* Many objects in few system calls: absent ones (address 0, as a goroutine without a sudog has) are not asked
 * for, an unreadable one costs one call of its own, and every readable one is read. */
START_TEST(read_many_in_few_calls)
{
    enum { N = 1024, LEN = 48 };
    static uint64_t addrs[N];
    static uint8_t src[N][LEN], out[N * LEN], ok[N];
    uint8_t *hole = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ck_assert(hole != MAP_FAILED);
    for (int i = 0; i < N; i++) {
        memset(src[i], i & 0xff, LEN);
        addrs[i] = i % 3 == 1 ? 0 : (uint64_t)(uintptr_t)src[i];
    }
    addrs[500] = (uint64_t)(uintptr_t)hole;
    struct gc_mem m;
    gc_mem_init(&m, getpid());
    memset(ok, 0xff, sizeof ok);
    size_t got = gc_read_many(&m, addrs, N, LEN, out, ok);
    size_t want = 0;
    for (int i = 0; i < N; i++) {
        int readable = addrs[i] && i != 500;
        ck_assert_int_eq(ok[i], readable);
        if (readable)
            ck_assert(memcmp(out + (size_t)i * LEN, src[i], LEN) == 0);
        want += readable;
    }
    ck_assert_uint_eq(got, want);
    /* one call per run of present addresses (341 of them here, between the absent ones), the hole's own */
    ck_assert_uint_le(m.calls, N / 3 + 3);
    for (int i = 0; i < N; i++)
        addrs[i] = i < N / 2 ? 0 : (uint64_t)(uintptr_t)src[i];
    m.calls = 0;
    gc_read_many(&m, addrs, N, LEN, out, ok);
    ck_assert_uint_eq(m.calls, 1);      /* the absent first half: no call at all */
    /* objects side by side, read as ranges: every one in its place, whatever the order and the gaps; one on a
     * page that cannot be read, right after one that can, spoils neither its neighbour nor the rest */
    static uint8_t block[64 * LEN + 4096];
    for (size_t b = 0; b < sizeof block; b++)
        block[b] = (uint8_t)(b * 7 + 3);
    uint8_t *two = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ck_assert(two != MAP_FAILED);
    memset(two, 0x5a, 4096);
    mprotect(two + 4096, 4096, PROT_NONE);
    uint64_t at[80];
    size_t nat = 0;
    for (int i = 0; i < 40; i++)        /* ascending, no gap */
        at[nat++] = (uint64_t)(uintptr_t)(block + i * LEN);
    at[nat++] = (uint64_t)(uintptr_t)(block + 40 * LEN + 100);         /* a gap under GAP */
    at[nat++] = (uint64_t)(uintptr_t)(block + 40 * LEN + 100 + LEN + 2000);   /* one over it */
    at[nat++] = (uint64_t)(uintptr_t)(block + 3 * LEN);                /* back down */
    at[nat++] = (uint64_t)(uintptr_t)(block + 3 * LEN + 8);            /* overlapping the last */
    at[nat++] = (uint64_t)(uintptr_t)(two + 4096 - LEN);               /* readable, at a page's end */
    at[nat++] = (uint64_t)(uintptr_t)(two + 4096 + 16);                /* 16 bytes on: not readable */
    at[nat++] = (uint64_t)(uintptr_t)(block + 50 * LEN);
    memset(ok, 0xff, sizeof ok);
    got = gc_read_many(&m, at, nat, LEN, out, ok);
    ck_assert_uint_eq(got, nat - 1);
    for (size_t i = 0; i < nat; i++) {
        int readable = at[i] != (uint64_t)(uintptr_t)(two + 4096 + 16);
        ck_assert_int_eq(ok[i], readable);
        if (readable)
            ck_assert(memcmp(out + i * LEN, (const void *)(uintptr_t)at[i], LEN) == 0);
    }
    gc_mem_close(&m);
    munmap(two, 8192);
    munmap(hole, 4096);
}
END_TEST

int main(int argc, char **argv)
{
    target = argc > 1 ? argv[1] : getenv("TARGET");
    target_stripped = argc > 2 ? argv[2] : getenv("TARGET_STRIPPED");
    if (!target || !target_stripped) {
        fprintf(stderr, "usage: test_gc TARGET TARGET_STRIPPED (gc-built tests/unit/go/target.go)\n");
        return 2;
    }
    Suite *s = suite_create("gc");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, build_info_and_layout);
    tcase_add_test(tc, fast_open_takes_the_built_in_layout);
    tcase_add_test(tc, stripped_binary_still_readable);
    tcase_add_test(tc, not_go);
    tcase_add_test(tc, function_table);
    tcase_add_test(tc, goroutines_of_a_live_program);
    tcase_add_test(tc, hooks_refuse_unexpected_code);
    tcase_add_test(tc, read_many_in_few_calls);
    suite_add_tcase(s, tc);
    return unit_run(s);
}
