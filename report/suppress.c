/* leakcheck's rules on top of the generic rule context (rules.h): the kinds (leak, leak_top, leak_created_by,
 * misuse, one per finding kind), the ignore_* options as rules of the leak kinds, the suppressions file, and
 * the frames of a task or a finding each kind is matched against, symbolized once per task or finding for all
 * the rules. The option rules come first (rebuilt each report from the options), then the file's, read once,
 * at the first report (never in a signal handler); only the file's are listed as used suppressions. */
#include "suppress.h"
#include "frames.h"
#include "rules.h"
#include "../runtime/options.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

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
static int loaded;

const char *suppress_kind_id(enum lc_finding_kind kind)
{
    return (unsigned)kind < LC_F__COUNT && kind_ids[kind] ? kind_ids[kind] : "misuse";
}

void suppress_clear(void)
{
    rules_clear(&file);
    rules_clear(&opts);
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
    char *text = rules_read_file(path, &why);
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
    rules_clear(&opts);
    rules_add_list(&opts, K_LEAK_TOP, lc_opt.ignore_top);
    rules_add_list(&opts, K_LEAK, lc_opt.ignore_any);
    rules_add_list(&opts, K_LEAK_CREATED_BY, lc_opt.ignore_created_by);
    rules_begin(&file);
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

/* A matching rule of the options', else of the file's. */
static int matched(const struct lc_rule_frames *by_kind)
{
    return rules_match(&opts, by_kind) || rules_match(&file, by_kind);
}

int suppress_task(const struct lc_task *t)
{
    if (!opts.nrules && !file.nrules)
        return 0;
    subject_task(t);
    struct lc_rule_frames by_kind[K__COUNT] = {
        [K_LEAK] = { subj.any, subj.nany },
        [K_LEAK_TOP] = { &subj.top, subj.has_top },
        [K_LEAK_CREATED_BY] = { subj.by, subj.nby },
    };
    return matched(by_kind);
}

int suppress_finding(const struct lc_finding *f)
{
    if (!file.nrules || f->kind >= LC_F__COUNT)
        return 0;
    subj.nany = 0;
    add_stack(f->site[0]);
    add_stack(f->site[1]);
    struct lc_rule_frames by_kind[K__COUNT] = { [0] = { NULL, 0 } };
    by_kind[f->kind] = (struct lc_rule_frames){ subj.any, subj.nany };
    if (f->kind != LC_F_DEADLOCK)
        by_kind[K_MISUSE] = by_kind[f->kind];
    return rules_match(&file, by_kind) != NULL;
}

size_t suppress_nrules(void)
{
    return file.nrules;
}

const struct lc_supp_rule *suppress_rule(size_t i)
{
    return i < file.nrules ? &file.rules[i] : NULL;
}

void suppress_print_used(struct lc_bufw *w)
{
    int any = 0;
    for (size_t i = 0; i < file.nrules; i++) {
        const struct lc_supp_rule *r = &file.rules[i];
        if (!r->hits)
            continue;
        if (!any++)
            bw_puts(w, "leakcheck: used suppressions:\n");
        bw_printf(w, "  %u %s:%s\n", r->hits, r->kind, r->pattern);
    }
    if (any)
        bw_puts(w, "\n");
}
