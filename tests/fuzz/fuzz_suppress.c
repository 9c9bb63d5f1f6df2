/* libFuzzer target for the suppressions file parser and matcher (report/suppress.c, compiled from source with
 * report/bufw.c; run.sh adds them). Input: the file's text. The parser must never crash and must honour its
 * contract (bounded error text, one rule per well-formed line); then every rule is matched against a fake
 * leaked task and a fake finding whose frames come from the stubs below, and the "used suppressions" summary
 * is written to /dev/null. Symbolization is stubbed: frames are fixed names, so no libdw and no real stacks. */
#include "../../report/suppress.h"
#include "../../report/frames.h"
#include "../../runtime/options.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct lc_options lc_opt;              /* suppress.c reads lc_opt.suppressions in suppress_load() only */

#define CHECK(c)                                                                 \
    do {                                                                         \
        if (!(c)) {                                                              \
            fprintf(stderr, "fuzz_suppress: check failed: %s (line %d)\n", #c, __LINE__); \
            abort();                                                             \
        }                                                                        \
    } while (0)

/* ---- stubs for the symbolizer: stack id N has N frames (at most 4) from this table -------------------- */
static const struct lc_frame fake[] = {
    { 0x1000, "wait_forever", "/src/app/worker.c", 14, "/usr/bin/app" },
    { 0x2000, "main.worker", "/src/app/main.go", 21, "/usr/bin/app" },
    { 0x3000, "??", NULL, 0, "/lib/x86_64-linux-gnu/libc.so.6" },
    { 0x4000, "main", "/src/app/main.c", 30, "/usr/bin/app" },
};

int frames_of(stack_id id, struct lc_frame *out, int max)
{
    int n = (int)(id % 5);
    if (n > max)
        n = max;
    for (int i = 0; i < n; i++)
        out[i] = fake[i];
    return n;
}

int frames_top(stack_id id, struct lc_frame *out)
{
    if (id % 5 == 0) {
        *out = (struct lc_frame){ 0, "??", NULL, 0, NULL };
        return 0;
    }
    *out = fake[0];
    return 1;
}

int frames_origin(stack_id id, struct lc_frame *out)
{
    if (id % 5 == 0)
        return 0;
    *out = fake[3];
    return 1;
}

void symbolize(uintptr_t pc, int exact, struct lc_frame *out)
{
    (void)exact;
    *out = fake[pc % 4];
}

/* ---- the target ---------------------------------------------------------------------------------------- */
static size_t count_lines(const char *s)
{
    size_t n = *s ? 1 : 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = 0;

    static const size_t errlens[] = { 0, 1, 16, 300, 4096 };
    size_t errlen = errlens[size % 5];
    char *err = malloc(errlen + 16);
    memset(err, 'X', errlen + 16);
    int bad = suppress_parse("fuzz.supp", text, err, errlen);

    CHECK(bad >= 0);
    if (errlen) {
        CHECK(memchr(err, 0, errlen) != NULL);
        if (bad == 0)
            CHECK(err[0] == 0);
        else if (errlen >= 4096 && strlen(err) < 3000) {
            CHECK(count_lines(err) == (size_t)bad);
            CHECK(strncmp(err, "leakcheck: fuzz.supp:", 21) == 0);
        }
    }
    for (size_t i = errlen; i < errlen + 16; i++)
        CHECK(err[i] == 'X');
    /* Lines that are not blank, not comments and not malformed each made one rule. */
    size_t lines = 0;
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, "\n");
        size_t k = strspn(p, " \t\r");
        if (k < n && p[k] != '#')
            lines++;
        p += n;
        if (*p == '\n')
            p++;
    }
    CHECK(suppress_nrules() + (size_t)bad == lines);
    for (size_t i = 0; i < suppress_nrules(); i++) {
        const struct lc_supp_rule *r = suppress_rule(i);
        CHECK(r && r->kind && r->pattern && *r->pattern && r->line >= 1);
    }

    /* Match every rule against a task and a finding. */
    suppress_begin();
    struct lc_task t;
    memset(&t, 0, sizeof t);
    t.site = (stack_id)(size % 7);
    t.anc_stack[0] = 4;
    t.anc_stack[1] = (stack_id)(size % 3);
    t.start_fn = (void *)(uintptr_t)(0x1000 + size % 4);
    t.state = (uint8_t)(size % 3);
    (void)suppress_task(&t);
    struct lc_finding f;
    memset(&f, 0, sizeof f);
    f.kind = (uint8_t)(size % LC_F__COUNT);
    f.site[0] = 3;
    f.site[1] = (stack_id)(size % 5);
    (void)suppress_finding(&f);
    static int devnull = -1;
    if (devnull < 0)
        devnull = open("/dev/null", O_WRONLY);
    static struct lc_bufw w;
    bw_init(&w, devnull);
    suppress_print_used(&w);
    bw_flush(&w);

    free(err);
    free(text);
    return 0;
}
