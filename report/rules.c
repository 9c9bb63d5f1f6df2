/* The rule context: parsing, lists, matching. Runs on the report path only (malloc is fine here). */
#include "rules.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_FILE (4u << 20)

void rules_clear(struct lc_rules *rs)
{
    for (size_t i = 0; i < rs->nrules; i++)
        free((char *)rs->rules[i].pattern);
    free(rs->rules);
    rs->rules = NULL;
    rs->nrules = 0;
}

void rules_begin(struct lc_rules *rs)
{
    for (size_t i = 0; i < rs->nrules; i++)
        rs->rules[i].hits = 0;
}

static int kind_of(const struct lc_rules *rs, const char *s, size_t n)
{
    for (int k = 0; k < rs->nkinds; k++)
        if (rs->kinds[k] && strlen(rs->kinds[k]) == n && memcmp(rs->kinds[k], s, n) == 0)
            return k;
    return -1;
}

/* Appends one formatted line to err (a '\n' first when err is not empty); drops what does not fit. */
__attribute__((format(printf, 3, 4))) static void complain(char *err, size_t errlen, const char *fmt, ...)
{
    size_t used = strnlen(err, errlen);
    if (!errlen || used + 2 >= errlen)
        return;
    if (used)
        err[used++] = '\n';
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err + used, errlen - used, fmt, ap);
    va_end(ap);
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

static char *dup_n(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = 0;
    }
    return d;
}

/* Append a rule; 0 when out of memory. */
static int add(struct lc_rules *rs, int kind, const char *p, size_t n, int line)
{
    struct lc_supp_rule *r = realloc(rs->rules, (rs->nrules + 1) * sizeof *rs->rules);
    if (!r)
        return 0;
    rs->rules = r;
    r = &rs->rules[rs->nrules];
    r->kind_id = kind;
    r->kind = rs->kinds[kind];
    r->pattern = dup_n(p, n);
    r->line = line;
    r->hits = 0;
    if (!r->pattern)
        return 0;
    rs->nrules++;
    return 1;
}

/* One line (without its '\n'): 1 a rule was added, 0 nothing to add, -1 malformed (complained). */
static int parse_line(struct lc_rules *rs, const char *name, int lineno, const char *s, size_t n, char *err,
                      size_t errlen, int valid_first)
{
    while (n && is_blank(*s))
        s++, n--;
    while (n && is_blank(s[n - 1]))
        n--;
    if (!n || *s == '#')
        return 0;
    const char *colon = memchr(s, ':', n);
    if (!colon) {
        complain(err, errlen, "leakcheck: %s:%d: missing ':' in '%.*s' (expected kind:pattern)", name, lineno,
                 (int)(n > 80 ? 80 : n), s);
        return -1;
    }
    size_t kn = (size_t)(colon - s);
    while (kn && is_blank(s[kn - 1]))
        kn--;
    int kind = kind_of(rs, s, kn);
    if (kind < 0) {
        char valid[512] = "";
        for (int k = 0; k < rs->nkinds; k++) {
            int K = (k + valid_first) % rs->nkinds;
            size_t u = strlen(valid);
            if (rs->kinds[K])
                snprintf(valid + u, sizeof valid - u, "%s%s", u ? ", " : "", rs->kinds[K]);
        }
        complain(err, errlen, "leakcheck: %s:%d: unknown kind '%.*s' (valid: %s)", name, lineno,
                 (int)(kn > 40 ? 40 : kn), s, valid);
        return -1;
    }
    const char *p = colon + 1;
    size_t pn = n - (size_t)(p - s);
    while (pn && is_blank(*p))
        p++, pn--;
    if (!pn) {
        complain(err, errlen, "leakcheck: %s:%d: empty pattern after '%s:'", name, lineno, rs->kinds[kind]);
        return -1;
    }
    return add(rs, kind, p, pn, lineno) ? 1 : -1;
}

int rules_parse(struct lc_rules *rs, const char *name, const char *text, char *err, size_t errlen, int valid_first)
{
    int bad = 0, lineno = 0;
    if (errlen)
        err[0] = 0;
    for (const char *p = text; p && *p;) {
        size_t n = strcspn(p, "\n");
        lineno++;
        if (parse_line(rs, name, lineno, p, n, err, errlen, valid_first) < 0)
            bad++;
        p += n;
        if (*p == '\n')
            p++;
    }
    return bad;
}

/* Calls fn(pattern, length, arg) for each pattern of a comma-separated list, blanks around it dropped, until
 * fn returns non-zero (returned). */
static int each_pattern(const char *list, int (*fn)(const char *, size_t, void *), void *arg)
{
    for (const char *p = list; p && *p;) {
        while (*p == ',' || *p == ' ')
            p++;
        size_t n = strcspn(p, ","), m = n;
        while (m && p[m - 1] == ' ')
            m--;
        int r = m ? fn(p, m, arg) : 0;
        if (r)
            return r;
        p += n;
    }
    return 0;
}

struct list_add { struct lc_rules *rs; int kind; };
static int add_one(const char *p, size_t n, void *arg)
{
    struct list_add *a = arg;
    add(a->rs, a->kind, p, n, 0);
    return 0;
}

void rules_add_list(struct lc_rules *rs, int kind_id, const char *list)
{
    struct list_add a = { rs, kind_id };
    each_pattern(list, add_one, &a);
}

static int name_matches(const char *p, size_t n, void *arg)
{
    char pat[256];
    if (n >= sizeof pat)
        return 0;
    memcpy(pat, p, n);
    pat[n] = 0;
    return fnmatch(pat, arg, 0) == 0;
}

int rules_list_matches(const char *list, const char *name)
{
    return list && name && each_pattern(list, name_matches, (void *)name);
}

/* The whole file into a NUL-terminated malloc'd buffer, or NULL and why not. Opened with O_NONBLOCK so that a
 * fifo never blocks the report; fifos and sockets are refused. */
char *rules_read_file(const char *path, const char **why)
{
    struct stat st;
    long fd = syscall(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        *why = strerrordesc_np(errno);
        return NULL;
    }
    if (syscall(SYS_fstat, fd, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode))) {
        syscall(SYS_close, fd);
        *why = "not a regular file";
        return NULL;
    }
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (n + 1 >= cap) {
            char *b = cap < MAX_FILE ? realloc(buf, cap * 2) : NULL;
            if (!b) {
                free(buf);
                buf = NULL;
                errno = cap < MAX_FILE ? ENOMEM : EFBIG;
                break;
            }
            buf = b;
            cap *= 2;
        }
        long r = syscall(SYS_read, fd, buf + n, cap - n - 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            free(buf);
            buf = NULL;
            break;
        }
        if (r == 0) {
            buf[n] = 0;
            break;
        }
        n += (size_t)r;
    }
    if (buf && memchr(buf, 0, n)) {
        /* the rules are lines of text: a NUL would end them early, silently dropping the rest */
        free(buf);
        buf = NULL;
        *why = "not a text file (it holds a NUL byte)";
    } else if (!buf) {
        *why = strerrordesc_np(errno);
    }
    syscall(SYS_close, fd);
    return buf;
}

/* ---- matching ---------------------------------------------------------------------------------------------- */

/* A frame matches by its function, its source file or its module (the library path a report prints for a frame
 * without a line). */
static int frame_matches(const char *pat, const struct lc_frame *f)
{
    return fnmatch(pat, f->func, 0) == 0 || (f->file && fnmatch(pat, f->file, 0) == 0) ||
           (f->module && fnmatch(pat, f->module, 0) == 0);
}

struct lc_supp_rule *rules_match(struct lc_rules *rs, const struct lc_rule_frames *subject)
{
    for (size_t i = 0; i < rs->nrules; i++) {
        struct lc_supp_rule *r = &rs->rules[i];
        const struct lc_rule_frames *sf = &subject[r->kind_id];
        for (int k = 0; k < sf->n; k++)
            if (frame_matches(r->pattern, &sf->f[k])) {
                r->hits++;
                return r;
            }
    }
    return NULL;
}
