/* Suppression files: parsed once, at the first report (never in a signal handler), from a file read with raw
 * system calls. A malformed line is named with its file and line number and skipped; the rest applies. */
#include "suppress.h"
#include "frames.h"
#include "../runtime/options.h"

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

/* Rule kinds besides the finding kinds. */
enum { K_LEAK = LC_F__COUNT, K_LEAK_TOP, K_LEAK_CREATED_BY, K_MISUSE, K__COUNT };

static const char *const kind_ids[K__COUNT] = {
#define FINDING(id, name, title, object, style, prefix, label0, label1, task) [LC_F_##id] = #name,
#include "../runtime/findings.inc"
#undef FINDING
    [K_LEAK] = "leak", [K_LEAK_TOP] = "leak_top", [K_LEAK_CREATED_BY] = "leak_created_by", [K_MISUSE] = "misuse",
};

struct rule {
    struct lc_supp_rule pub;
    int kind;
};

static struct rule *rules;
static size_t nrules;
static int loaded;

const char *suppress_kind_id(enum lc_finding_kind kind)
{
    return (unsigned)kind < LC_F__COUNT && kind_ids[kind] ? kind_ids[kind] : "misuse";
}

static int kind_of(const char *s, size_t n)
{
    for (int k = 0; k < K__COUNT; k++)
        if (kind_ids[k] && strlen(kind_ids[k]) == n && memcmp(kind_ids[k], s, n) == 0)
            return k;
    return -1;
}

void suppress_clear(void)
{
    for (size_t i = 0; i < nrules; i++) {
        free((char *)rules[i].pub.kind);
        free((char *)rules[i].pub.pattern);
    }
    free(rules);
    rules = NULL;
    nrules = 0;
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

/* One line (without its '\n'): 1 a rule was added, 0 nothing to add, -1 malformed (complained). */
static int parse_line(const char *name, int lineno, const char *s, size_t n, char *err, size_t errlen)
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
    int kind = kind_of(s, kn);
    if (kind < 0) {
        char valid[512] = "";
        for (int k = 0; k < K__COUNT; k++) {
            int K = (k + LC_F__COUNT) % K__COUNT;          /* the leak kinds first */
            size_t u = strlen(valid);
            snprintf(valid + u, sizeof valid - u, "%s%s", u ? ", " : "", kind_ids[K]);
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
        complain(err, errlen, "leakcheck: %s:%d: empty pattern after '%s:'", name, lineno, kind_ids[kind]);
        return -1;
    }
    struct rule *r = realloc(rules, (nrules + 1) * sizeof *rules);
    if (!r)
        return -1;
    rules = r;
    r = &rules[nrules];
    r->kind = kind;
    r->pub.kind = dup_n(kind_ids[kind], strlen(kind_ids[kind]));
    r->pub.pattern = dup_n(p, pn);
    r->pub.line = lineno;
    r->pub.hits = 0;
    if (!r->pub.kind || !r->pub.pattern) {
        free((char *)r->pub.kind);
        free((char *)r->pub.pattern);
        return -1;
    }
    nrules++;
    return 1;
}

int suppress_parse(const char *name, const char *text, char *err, size_t errlen)
{
    int bad = 0, lineno = 0;
    suppress_clear();
    if (errlen)
        err[0] = 0;
    for (const char *p = text; p && *p;) {
        size_t n = strcspn(p, "\n");
        lineno++;
        if (parse_line(name, lineno, p, n, err, errlen) < 0)
            bad++;
        p += n;
        if (*p == '\n')
            p++;
    }
    return bad;
}

static void say(const char *s)
{
    for (size_t n = strlen(s); n;) {
        long r = syscall(SYS_write, STDERR_FILENO, s, n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        s += r;
        n -= (size_t)r;
    }
}

/* The whole file into a NUL-terminated malloc'd buffer, or NULL and why not. Opened with O_NONBLOCK so that a
 * fifo never blocks the report; fifos and sockets are refused. */
static char *read_file(const char *path, const char **why)
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
    if (!buf)
        *why = strerrordesc_np(errno);
    syscall(SYS_close, fd);
    return buf;
}

void suppress_load(void)
{
    const char *path = lc_opt.suppressions;
    if (loaded)
        return;
    loaded = 1;
    if (!path || !*path)
        return;
    int saved = errno;
    const char *why = NULL;
    char *text = read_file(path, &why);
    if (!text) {
        char msg[4200];
        snprintf(msg, sizeof msg, "leakcheck: cannot read suppressions file '%s': %s; no suppressions apply\n",
                 path, why ? why : "error");
        say(msg);
        errno = saved;
        return;
    }
    char err[4096];
    if (suppress_parse(path, text, err, sizeof err) > 0) {
        say(err);
        say("\n");
    }
    free(text);
    errno = saved;
}

void suppress_begin(void)
{
    for (size_t i = 0; i < nrules; i++)
        rules[i].pub.hits = 0;
}

/* The frames a task or finding is matched against, computed once for all the rules. Reports are serialized, so
 * one static buffer serves. */
#define SUBJECT_MAX ((LC_CHAIN + 2) * LC_FRAMES_MAX + 1)
static struct {
    struct lc_frame any[SUBJECT_MAX]; /* every frame: blocking and creation stacks, start routine, sites */
    int nany;
    struct lc_frame top, by[2];       /* leak_top: the top frame; leak_created_by: the creator's top and origin */
    int has_top, nby;
} subj;

static void add_stack(stack_id id)
{
    if (id)
        subj.nany += frames_of(id, subj.any + subj.nany, SUBJECT_MAX - 1 - subj.nany);
}

static void subject_task(const struct lc_task *t)
{
    struct lc_frame start = { .func = "??" };
    subj.nany = subj.nby = 0;
    add_stack(t->site);
    for (int i = 0; i < LC_CHAIN; i++)
        add_stack(t->anc_stack[i]);
    if (t->start_fn) {
        symbolize((uintptr_t)t->start_fn, 1, &start);
        subj.any[subj.nany++] = start;
    }
    subj.has_top = 1;
    if (!(t->state != LC_FINISHED && frames_top(t->site, &subj.top))) {
        subj.top = start;                      /* running or finished: its start routine */
        subj.has_top = t->start_fn != NULL;
    }
    if (frames_top(t->anc_stack[0], &subj.by[subj.nby]))
        subj.nby++;
    if (frames_origin(t->anc_stack[0], &subj.by[subj.nby]))
        subj.nby++;
}

static int frame_matches(const char *pat, const struct lc_frame *f)
{
    return fnmatch(pat, f->func, 0) == 0 || (f->file && fnmatch(pat, f->file, 0) == 0);
}

static int any_matches(const char *pat, const struct lc_frame *f, int n)
{
    for (int i = 0; i < n; i++)
        if (frame_matches(pat, &f[i]))
            return 1;
    return 0;
}

int suppress_task(const struct lc_task *t)
{
    if (!nrules)
        return 0;
    subject_task(t);
    for (size_t i = 0; i < nrules; i++) {
        struct rule *r = &rules[i];
        const char *pat = r->pub.pattern;
        if ((r->kind == K_LEAK && any_matches(pat, subj.any, subj.nany)) ||
            (r->kind == K_LEAK_TOP && subj.has_top && frame_matches(pat, &subj.top)) ||
            (r->kind == K_LEAK_CREATED_BY && any_matches(pat, subj.by, subj.nby))) {
            r->pub.hits++;
            return 1;
        }
    }
    return 0;
}

int suppress_finding(const struct lc_finding *f)
{
    if (!nrules)
        return 0;
    subj.nany = 0;
    add_stack(f->site[0]);
    add_stack(f->site[1]);
    for (size_t i = 0; i < nrules; i++) {
        struct rule *r = &rules[i];
        if (r->kind != f->kind && !(r->kind == K_MISUSE && f->kind != LC_F_DEADLOCK))
            continue;
        if (any_matches(r->pub.pattern, subj.any, subj.nany)) {
            r->pub.hits++;
            return 1;
        }
    }
    return 0;
}

size_t suppress_nrules(void)
{
    return nrules;
}

const struct lc_supp_rule *suppress_rule(size_t i)
{
    return i < nrules ? &rules[i].pub : NULL;
}

void suppress_print_used(struct lc_bufw *w)
{
    int any = 0;
    for (size_t i = 0; i < nrules; i++) {
        if (!rules[i].pub.hits)
            continue;
        if (!any++)
            bw_puts(w, "leakcheck: used suppressions:\n");
        bw_printf(w, "  %u %s:%s\n", rules[i].pub.hits, rules[i].pub.kind, rules[i].pub.pattern);
    }
    if (any)
        bw_puts(w, "\n");
}
