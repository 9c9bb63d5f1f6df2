/* leakcheck's rules on top of the generic rule context (rules.h): the kinds (leak, leak_top, leak_created_by,
 * misuse, one per finding kind), the ignore_* options as rules of the leak kinds, the suppressions file, the
 * default suppressions shipped beside the library, and the frames of a task or a finding each kind is matched
 * against, symbolized once per task or finding for all the rules. The option rules come first (rebuilt each
 * report from the options), then the file's, then the defaults, both read once, at the first report (never in
 * a signal handler); the file's are listed as used suppressions, the defaults' only at verbosity 2. */
#include "suppress.h"
#include "frames.h"
#include "rules.h"
#include "../runtime/options.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <uthash.h>

/* Rule kinds besides the finding kinds. */
enum { K_LEAK = LC_F__COUNT, K_LEAK_TOP, K_LEAK_CREATED_BY, K_MISUSE, K__COUNT };

static const char *const kind_ids[K__COUNT] = {
#define FINDING(id, name, title, object, style, prefix, label0, label1, task) [LC_F_##id] = #name,
#include "../runtime/findings.inc"
#undef FINDING
    [K_LEAK] = "leak", [K_LEAK_TOP] = "leak_top", [K_LEAK_CREATED_BY] = "leak_created_by", [K_MISUSE] = "misuse",
};

static struct lc_rules opts = { kind_ids, K__COUNT, NULL, 0 };    /* from the ignore_* options */
static struct lc_rules file = { kind_ids, K__COUNT, NULL, 0 };    /* from the suppressions file */
static struct lc_rules defs = { kind_ids, K__COUNT, NULL, 0 };    /* the default suppressions */
static char defs_path[4096];
static int loaded;

const char *suppress_kind_id(enum lc_finding_kind kind)
{
    return (unsigned)kind < LC_F__COUNT && kind_ids[kind] ? kind_ids[kind] : "misuse";
}

void suppress_clear(void)
{
    rules_clear(&file);
    rules_clear(&opts);
    rules_clear(&defs);
    defs_path[0] = 0;
}

int suppress_parse(const char *name, const char *text, char *err, size_t errlen)
{
    rules_clear(&file);
    return rules_parse(&file, name, text, err, errlen, K_LEAK);
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

/* The file's text, or NULL after one line on stderr saying why not (quiet: say nothing). */
static char *read_rules(const char *path, int quiet)
{
    const char *why = NULL;
    char *text = rules_read_file(path, &why);
    if (!text && !quiet) {
        char msg[4200];
        snprintf(msg, sizeof msg, "leakcheck: cannot read suppressions file '%s': %s; no suppressions apply\n",
                 path, why ? why : "error");
        say(msg);
    }
    return text;
}

static void parse_into(struct lc_rules *rs, const char *path, const char *text)
{
    char err[4096];
    rules_clear(rs);
    if (rules_parse(rs, path, text, err, sizeof err, K_LEAK) > 0) {
        say(err);
        say("\n");
    }
}

const char *suppress_default_path(void)
{
    Dl_info di;
    const char *slash;
    if (!defs_path[0] && dladdr((void *)suppress_default_path, &di) && di.dli_fname &&
        (slash = strrchr(di.dli_fname, '/')) != NULL)
        snprintf(defs_path, sizeof defs_path, "%.*s/" LC_DEFAULT_SUPP, (int)(slash - di.dli_fname), di.dli_fname);
    return defs_path;
}

int suppress_parse_defaults(const char *name, const char *text, char *err, size_t errlen)
{
    rules_clear(&defs);
    return rules_parse(&defs, name, text, err, errlen, K_LEAK);
}

void suppress_load(void)
{
    const char *path = lc_opt.suppressions;
    if (loaded)
        return;
    loaded = 1;
    int saved = errno;
    char *text;
    if (path && *path && (text = read_rules(path, 0)) != NULL) {
        parse_into(&file, path, text);
        free(text);
    }
    /* beside the library; a build or install without it simply has none */
    const char *dp = lc_opt.default_suppressions ? suppress_default_path() : "";
    if (*dp && (text = read_rules(dp, 1)) != NULL) {
        parse_into(&defs, dp, text);
        free(text);
    }
    errno = saved;
}

/* A task's answer by what it is matched on (its stacks, start routine, whether finished): the tasks of one
 * group ask the same question, 100,000 goroutines of one go statement included. Kept for one report. */
struct memo {
    struct memo_key {
        stack_id site, anc[LC_CHAIN];
        uint32_t finished;
        const void *start_fn;
    } key;
    struct lc_supp_rule *rule;        /* what matched, or NULL */
    UT_hash_handle hh;
};
static struct memo *memos;

static void memo_clear(void)
{
    struct memo *m, *tmp;
    HASH_ITER(hh, memos, m, tmp) {
        HASH_DEL(memos, m);
        free(m);
    }
}

void suppress_begin(void)
{
    memo_clear();
    rules_clear(&opts);
    rules_add_list(&opts, K_LEAK_TOP, lc_opt.ignore_top);
    rules_add_list(&opts, K_LEAK, lc_opt.ignore_any);
    rules_add_list(&opts, K_LEAK_CREATED_BY, lc_opt.ignore_created_by);
    rules_begin(&file);
    rules_begin(&defs);
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

/* A matching rule of the options', else of the file's, else of the defaults'. */
static struct lc_supp_rule *matched(const struct lc_rule_frames *by_kind)
{
    struct lc_supp_rule *r = rules_match(&opts, by_kind);
    if (!r)
        r = rules_match(&file, by_kind);
    return r ? r : rules_match(&defs, by_kind);
}

int suppress_task(const struct lc_task *t)
{
    return suppress_tasks(t, 1);
}

int suppress_tasks(const struct lc_task *t, unsigned n)
{
    if (!opts.nrules && !file.nrules && !defs.nrules)
        return 0;
    struct memo_key k;
    struct memo *m;
    memset(&k, 0, sizeof k);
    k.site = t->site;
    memcpy(k.anc, t->anc_stack, sizeof k.anc);
    k.finished = t->state == LC_FINISHED;
    k.start_fn = t->start_fn;
    HASH_FIND(hh, memos, &k, sizeof k, m);
    if (m) {
        if (m->rule)
            m->rule->hits += n;           /* as counted when it was matched */
        return m->rule != NULL;
    }
    subject_task(t);
    struct lc_rule_frames by_kind[K__COUNT] = {
        [K_LEAK] = { subj.any, subj.nany },
        [K_LEAK_TOP] = { &subj.top, subj.has_top },
        [K_LEAK_CREATED_BY] = { subj.by, subj.nby },
    };
    struct lc_supp_rule *r = matched(by_kind);   /* one hit counted */
    if (r)
        r->hits += n - 1;
    if ((m = calloc(1, sizeof *m)) != NULL) {
        m->key = k;
        m->rule = r;
        HASH_ADD(hh, memos, key, sizeof m->key, m);
    }
    return r != NULL;
}

int suppress_finding(const struct lc_finding *f)
{
    if ((!file.nrules && !defs.nrules) || f->kind >= LC_F__COUNT)
        return 0;
    subj.nany = 0;
    add_stack(f->site[0]);
    add_stack(f->site[1]);
    struct lc_rule_frames by_kind[K__COUNT] = { [0] = { NULL, 0 } };
    by_kind[f->kind] = (struct lc_rule_frames){ subj.any, subj.nany };
    if (f->kind != LC_F_DEADLOCK)
        by_kind[K_MISUSE] = by_kind[f->kind];
    return rules_match(&file, by_kind) || rules_match(&defs, by_kind);
}

size_t suppress_nrules(void)
{
    return file.nrules;
}

const struct lc_supp_rule *suppress_rule(size_t i)
{
    return i < file.nrules ? &file.rules[i] : NULL;
}

static void print_used(struct lc_bufw *w, const struct lc_rules *rs, const char *mark, int *any)
{
    for (size_t i = 0; i < rs->nrules; i++) {
        const struct lc_supp_rule *r = &rs->rules[i];
        if (!r->hits)
            continue;
        if (!(*any)++)
            bw_puts(w, "leakcheck: used suppressions:\n");
        bw_printf(w, "  %u %s:%s%s\n", r->hits, r->kind, r->pattern, mark);
    }
}

void suppress_print_used(struct lc_bufw *w)
{
    int any = 0;
    print_used(w, &file, "", &any);
    if (lc_opt.verbosity >= 2)
        print_used(w, &defs, "  (default)", &any);
    if (any)
        bw_puts(w, "\n");
}

void suppress_print_defaults(struct lc_bufw *w)
{
    if (lc_opt.verbosity < 2)
        return;
    if (defs.nrules)
        bw_printf(w, "leakcheck: %zu default suppressions from %s\n", defs.nrules, defs_path);
    else if (!lc_opt.default_suppressions)
        bw_puts(w, "leakcheck: default suppressions off (default_suppressions=0)\n");
    else
        bw_printf(w, "leakcheck: no default suppressions (%s not found)\n", *defs_path ? defs_path : LC_DEFAULT_SUPP);
}
