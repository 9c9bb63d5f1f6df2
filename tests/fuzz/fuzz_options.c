/* libFuzzer target for the LEAKCHECK_OPTIONS parser (runtime/options.c), built from the source itself so the
 * string pool can be emptied between inputs (the real program parses once; without the reset every string
 * option would hit "too long" after a few thousand inputs and hide the interesting paths).
 * Input: byte 0 chooses the error buffer size (small sizes exercise truncation), the rest is the option
 * string, cut at its first NUL as getenv() would. Checks the parser's contract on every input. */
#include "../../runtime/options.c"

#include <stdint.h>

#define CHECK(c)                                                                 \
    do {                                                                         \
        if (!(c)) {                                                              \
            fprintf(stderr, "fuzz_options: check failed: %s (line %d)\n", #c, __LINE__); \
            abort();                                                             \
        }                                                                        \
    } while (0)

static size_t count_lines(const char *s)
{
    size_t n = *s ? 1 : 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

/* A string option must point into the pool or be a default literal, and be NUL-terminated inside it. */
static void check_str(const char *s)
{
    CHECK(s != NULL);
    if (s >= str_pool && s < str_pool + sizeof str_pool)
        CHECK(memchr(s, 0, (size_t)(str_pool + sizeof str_pool - s)) != NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const size_t errlens[] = { 0, 1, 2, 7, 64, 300, 2048 };
    size_t errlen = errlens[size ? data[0] % (sizeof errlens / sizeof errlens[0]) : 6];
    if (size)
        data++, size--;

    char *str = malloc(size + 1);
    if (!str)
        return 0;
    memcpy(str, data, size);
    str[size] = 0;

    str_used = 0;                       /* a fresh process: the pool starts empty */
    struct lc_options o;
    options_defaults(&o);
    char *err = malloc(errlen + 16);
    if (!err) {
        free(str);
        return 0;
    }
    memset(err, 'X', errlen + 16);      /* bytes past errlen must stay untouched */
    int bad = options_parse(&o, str, err, errlen);

    CHECK(bad >= 0);
    if (errlen)
        CHECK(memchr(err, 0, errlen) != NULL);
    for (size_t i = errlen; i < errlen + 16; i++)
        CHECK(err[i] == 'X');
    if (bad == 0 && errlen)
        CHECK(err[0] == 0);
    if (bad > 0 && errlen >= 2048 && strlen(err) < errlen - 1) {
        /* Nothing truncated: one line per bad entry, each one naming its origin. */
        CHECK(count_lines(err) == (size_t)bad);
        for (const char *l = err; l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
            CHECK(strncmp(l, "leakcheck: ", 11) == 0);
    }
    check_str(o.log_path);
    check_str(o.report);
    check_str(o.suppressions);
    check_str(o.ignore_top);
    check_str(o.ignore_any);
    check_str(o.ignore_created_by);
    CHECK(o.grace_ms >= 0 && o.interval >= 0 && o.deadlock_check_ms >= 0);
    CHECK(o.report_running == 0 || o.report_running == 1);
    CHECK(o.help == 0 || o.help == 1);

    /* Parsing the same string again on top of the result changes nothing (no error buffer this time). */
    struct lc_options o2 = o;
    str_used = 0;                       /* same input, same pool contents at the same offsets */
    CHECK(options_parse(&o2, str, NULL, 0) == bad);
#define SAME_INT(name) CHECK(o2.name == o.name);
#define SAME_STR(name) CHECK(strcmp(o2.name, o.name) == 0);
#define OPTION(type, name, def, range, help) SAME_##type(name)
#define SAME_BOOL(name) SAME_INT(name)
#define SAME_DUR(name) SAME_INT(name)
#include "../../runtime/options.inc"
#undef OPTION

    /* The help text fits any buffer size and stays NUL-terminated. */
    char help[96];
    size_t hl = options_help(help, 1 + (size % sizeof help));
    CHECK(hl < 1 + (size % sizeof help));
    CHECK(help[hl] == 0);

    free(err);
    free(str);
    return 0;
}
