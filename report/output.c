/* Where reports go and in which formats: stderr or log_path.PID, every format named in the report option.
 * Output goes through raw system calls (openat, write, close), never stdio or the possibly wrapped symbols. */
#include "formats.h"
#include "../runtime/options.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Every format the report option may name; a NULL writer is a format this build does not have. */
static const struct { const char *name; lc_format_fn fn; } formats[] = {
    { "text", report_text },
    { "json", report_json },
    { "pprof", report_pprof },
    { "folded", report_folded },
};
#define NFORMATS (sizeof formats / sizeof formats[0])

int report_open_fd(void)
{
    const char *lp = lc_opt.log_path;
    char path[4096];
    if (!lp || !*lp || getauxval(AT_SECURE))   /* setuid: never write where the environment says */
        return STDERR_FILENO;
    int saved = errno;
    int n = snprintf(path, sizeof path, "%s.%d", lp, (int)getpid());
    long fd = -1;
    if (n > 0 && (size_t)n < sizeof path)
        fd = syscall(SYS_openat, AT_FDCWD, path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0644);
    else
        errno = ENAMETOOLONG;
    if (fd < 0) {
        struct lc_bufw w;
        const char *why = strerrordesc_np(errno);
        bw_init(&w, STDERR_FILENO);
        bw_printf(&w, "leakcheck: cannot open log_path '%s': %s; reporting to stderr\n", lp, why ? why : "error");
        bw_flush(&w);
        errno = saved;
        return STDERR_FILENO;
    }
    errno = saved;
    return (int)fd;
}

/* Calls fn(index, arg) for each format named in the comma-separated list, or index -1 and the name for an
 * unknown one. */
static void for_each_format(const char *list, void (*fn)(int, const char *, void *), void *arg)
{
    char name[32];
    for (const char *p = list; p && *p;) {
        size_t n = strcspn(p, ",");
        if (n && n < sizeof name) {
            memcpy(name, p, n);
            name[n] = 0;
            int idx = -1;
            for (size_t i = 0; i < NFORMATS; i++)
                if (strcmp(formats[i].name, name) == 0)
                    idx = (int)i;
            fn(idx, name, arg);
        } else if (n) {
            fn(-1, "(too long)", arg);
        }
        p += n;
        while (*p == ',')
            p++;
    }
}

struct run {
    struct lc_bufw *w;
    const struct lc_snapshot *s;
    const struct lc_report_ctx *ctx;
    const struct lc_judgement *j;
};

static void run_format(int idx, const char *name, void *arg)
{
    struct run *r = arg;
    if (idx < 0)
        bw_printf(r->w, "leakcheck: unknown report format '%s' (valid: text,json,pprof,folded)\n", name);
    else if (formats[idx].fn)
        formats[idx].fn(r->w, r->s, r->ctx, r->j);
    else if (lc_opt.verbosity >= 2)
        bw_printf(r->w, "leakcheck: report format '%s' is not available in this build\n", name);
}

/* Whether the report writes anything: a clean verdict at verbosity 1 with only the text format writes nothing,
 * and must not even create the log file. */
static void needs_output(int idx, const char *name, void *arg)
{
    int *need = arg;
    (void)name;
    if (idx != 0)
        *need = 1;
}

struct lc_verdict report_write(const struct lc_snapshot *s, const struct lc_report_ctx *ctx)
{
    int saved = errno;
    struct lc_judgement j;
    const char *list = lc_opt.report ? lc_opt.report : "text";
    verdict_judge(s, ctx, &j);
    int found = j.v.leaked || j.v.misuse || j.v.deadlocks;
    int need = j.live || (found && lc_opt.verbosity > 0) || lc_opt.verbosity >= 2;
    for_each_format(list, needs_output, &need);
    struct lc_bufw *w = need ? malloc(sizeof *w) : NULL;
    if (w) {
        int fd = report_open_fd();
        bw_init(w, fd);
        struct run r = { w, s, ctx, &j };
        for_each_format(list, run_format, &r);
        bw_flush(w);
        if (fd != STDERR_FILENO)
            syscall(SYS_close, fd);
        free(w);
    }
    struct lc_verdict v = j.v;
    verdict_free(&j);
    errno = saved;
    return v;
}
