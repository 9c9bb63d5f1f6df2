/* LEAKCHECK_OPTIONS parser, generated from options.inc: "name=value" entries separated by ':' or white space.
 * Bad entries are reported one line each and skipped; the rest still apply. */
#include "options.h"
#include "alloc.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct lc_options lc_opt;

enum opt_type { T_INT, T_BOOL, T_STR, T_DUR };

struct opt_desc {
    const char *name;
    enum opt_type type;
    size_t offset;
    const char *def;
    const char *range;                  /* see options.inc */
    const char *help;
};

static const struct opt_desc descs[] = {
#define OPTION(type, name, def, range, help) { #name, T_##type, offsetof(struct lc_options, name), #def, range, help },
#include "options.inc"
#undef OPTION
};
#define NDESC (sizeof descs / sizeof descs[0])

/* Strings: a small fixed pool, so parsing never touches the program's heap. */
static char str_pool[8192];
static size_t str_used;

static char *pool_dup(const char *s, size_t n)
{
    if (str_used + n + 1 > sizeof str_pool)
        return NULL;
    char *p = str_pool + str_used;
    memcpy(p, s, n);
    p[n] = 0;
    str_used += n + 1;
    return p;
}

void options_defaults(struct lc_options *o)
{
#define LC_DEF_INT(name, def) o->name = def;
#define LC_DEF_BOOL(name, def) o->name = def;
#define LC_DEF_DUR(name, def) o->name = def;
#define LC_DEF_STR(name, def) o->name = (char *)def;
#define OPTION(type, name, def, range, help) LC_DEF_##type(name, def)
#include "options.inc"
#undef OPTION
}

/* One line into err, whole or not at all (a line cut at the buffer's end would be a line without its
 * "leakcheck: " prefix, or half of one). */
static void add_err(char *err, size_t errlen, size_t *used, const char *fmt, const char *a, const char *b)
{
    char line[1400];
    if (!err || *used >= errlen)
        return;
    int n = snprintf(line, sizeof line, fmt, a, b);
    if (n <= 0)
        return;
    if ((size_t)n >= sizeof line)
        n = (int)sizeof line - 1;
    size_t need = (size_t)n + (*used ? 1 : 0);
    if (*used + need >= errlen)
        return;
    if (*used)
        err[(*used)++] = '\n';
    memcpy(err + *used, line, (size_t)n);
    *used += (size_t)n;
    err[*used] = 0;
}

/* Parses an integer; for durations also a unit: ms (default), s, m. Returns 0 when malformed. */
static int parse_num(const char *v, enum opt_type t, int *out)
{
    errno = 0;
    char *end;
    long long x = strtoll(v, &end, 10);
    if (end == v || errno)
        return 0;
    if (t == T_BOOL) {
        if (*end || (x != 0 && x != 1))
            return 0;
    } else if (t == T_DUR) {
        if (!strcmp(end, "s"))
            x *= 1000;
        else if (!strcmp(end, "m"))
            x *= 60000;
        else if (*end && strcmp(end, "ms"))
            return 0;
        if (x < 0)
            return 0;
    } else if (*end) {
        return 0;
    }
    if (x < -2147483647LL || x > 2147483647LL)
        return 0;
    *out = (int)x;
    return 1;
}

static int parse_bool_word(const char *v, int *out)
{
    if (!strcmp(v, "true") || !strcmp(v, "yes")) { *out = 1; return 1; }
    if (!strcmp(v, "false") || !strcmp(v, "no")) { *out = 0; return 1; }
    return 0;
}

/* Whether x is inside an INT or DUR range ("LO-HI", "LO-", either followed by " except A,B"). */
static int num_in_range(const char *range, int x)
{
    char *end;
    if (!*range)
        return 1;
    long lo = strtol(range, &end, 10);
    if (*end != '-')
        return 1;                       /* not a range: nothing to check */
    const char *p = end + 1;
    long hi = *p >= '0' && *p <= '9' ? strtol(p, &end, 10) : (end = (char *)p, 2147483647L);
    if (x < lo || x > hi)
        return 0;
    p = strstr(end, "except ");
    for (p = p ? p + 7 : NULL; p && *p;) {
        if (strtol(p, &end, 10) == x && end != p)
            return 0;
        p = *end == ',' ? end + 1 : NULL;
    }
    return 1;
}

/* Whether a string value fits its range ("", "nonempty", "a|b|c"). */
static int str_in_range(const char *range, const char *v)
{
    if (!*range)
        return 1;
    if (!strcmp(range, "nonempty"))
        return *v != 0;
    size_t n = strlen(v);
    for (const char *p = range; *p;) {
        size_t k = strcspn(p, "|");
        if (k == n && !strncmp(p, v, n))
            return 1;
        p += k + (p[k] == '|');
    }
    return 0;
}

static void valid_names(char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = 0;
    for (size_t i = 0; i < NDESC && used < len; i++) {
        int n = snprintf(buf + used, len - used, "%s%s", i ? "," : "", descs[i].name);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

int options_parse(struct lc_options *o, const char *str, char *err, size_t errlen)
{
    int bad = 0;
    size_t used = 0;
    if (err && errlen)
        err[0] = 0;
    if (!str)
        return 0;
    const char *p = str;
    while (*p) {
        while (*p == ':' || *p == ' ' || *p == '\t' || *p == '\n')
            p++;
        if (!*p)
            break;
        const char *start = p;
        while (*p && *p != ':' && *p != ' ' && *p != '\t' && *p != '\n')
            p++;
        char entry[4200];               /* a path can be PATH_MAX long */
        size_t n = (size_t)(p - start);
        if (n >= sizeof entry) {
            char head[48];
            size_t hn = strcspn(start, "=: \t\n");
            if (hn > 40)
                hn = 40;
            memcpy(head, start, hn);
            head[hn] = 0;
            char limit[16];
            snprintf(limit, sizeof limit, "%zu", sizeof entry - 1);
            add_err(err, errlen, &used, "leakcheck: option '%s' is too long (over %s characters), ignored", head, limit);
            bad++;
            continue;
        }
        memcpy(entry, start, n);
        entry[n] = 0;
        char *eq = strchr(entry, '=');
        if (!eq) {
            add_err(err, errlen, &used, "leakcheck: option '%s' has no value (expected name=value)%s", entry, "");
            bad++;
            continue;
        }
        *eq = 0;
        const char *val = eq + 1;
        const struct opt_desc *d = NULL;
        for (size_t i = 0; i < NDESC; i++)
            if (!strcmp(descs[i].name, entry))
                d = &descs[i];
        if (!d) {
            char names[1024];
            valid_names(names, sizeof names);
            add_err(err, errlen, &used, "leakcheck: unknown option '%s' (valid: %s)", entry, names);
            bad++;
            continue;
        }
        void *field = (char *)o + d->offset;
        if (d->type == T_STR && !str_in_range(d->range, val)) {
            char what[600];
            snprintf(what, sizeof what, "%.40s=%.500s", entry, val);
            add_err(err, errlen, &used, "leakcheck: bad value in '%s' (expected %s), ignored", what,
                    !strcmp(d->range, "nonempty") ? "a value" : d->range);
            bad++;
            continue;
        }
        if (d->type == T_STR) {
            char *s = pool_dup(val, strlen(val));
            if (!s) {
                add_err(err, errlen, &used, "leakcheck: option '%s' too long, ignored%s", entry, "");
                bad++;
                continue;
            }
            *(char **)field = s;
        } else {
            int x;
            int parsed = parse_num(val, d->type, &x) || (d->type == T_BOOL && parse_bool_word(val, &x));
            if (!parsed || !num_in_range(d->range, x)) {
                char want[96];
                snprintf(want, sizeof want, "%s%s%s", d->type == T_BOOL ? "0 or 1" : d->type == T_DUR ?
                         "a duration like 200ms or 2s" : "an integer", *d->range ? " " : "", d->range);
                char what[600];               /* long values are cut in the message: it stays one line */
                snprintf(what, sizeof what, "%.40s=%.500s", entry, val);
                add_err(err, errlen, &used, "leakcheck: bad value in '%s' (expected %s), ignored", what, want);
                bad++;
                continue;
            }
            *(int *)field = x;
        }
    }
    return bad;
}

size_t options_help(char *buf, size_t len)
{
    size_t used = 0;
    int n = snprintf(buf, len, "leakcheck options (LEAKCHECK_OPTIONS=\"name=value:name=value\"):\n");
    if (n > 0)
        used = (size_t)n;
    for (size_t i = 0; i < NDESC && used < len; i++) {
        const char *def = descs[i].def, *range = descs[i].range;
        n = snprintf(buf + used, len - used, "  %-18s %s (default %s%s%s)\n", descs[i].name, descs[i].help,
                     strcmp(def, "\"\"") ? def : "empty", *range && strcmp(range, "nonempty") ? "; " : "",
                     strcmp(range, "nonempty") ? range : "");
        if (n < 0)
            break;
        used += (size_t)n;
    }
    return used < len ? used : len - 1;
}
