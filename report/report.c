/* Where reports go and in which formats: stderr or log_path.PID, every format named in the report option.
 * Output goes through raw system calls (openat, write, close), never stdio or the possibly wrapped symbols. */
#include "folded.h"
#include "json_report.h"
#include "pprof.h"
#include "text.h"
#include "../runtime/options.h"
#include "../runtime/shim_fd.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

typedef void (*lc_format_fn)(struct lc_bufw *w, const struct lc_snapshot *s, const struct lc_report_ctx *ctx,
                             const struct lc_judgement *j);

/* Every format the report option may name; a NULL writer is a format this build does not have. The machine
 * formats write files named BASE.PID plus their suffix (pprof writes two). */
static const struct {
    const char *name;
    lc_format_fn fn[2];
    const char *suffix[2], *title[2];
} formats[] = {
    { "text", { report_text, NULL }, { NULL, NULL }, { NULL, NULL } },
    { "json", { report_json, NULL }, { ".json", NULL }, { "json", NULL } },
    { "pprof", { report_pprof, report_pprof_contention }, { ".pb.gz", ".contention.pb.gz" },
      { "pprof", "pprof contention" } },
    { "folded", { report_folded, NULL }, { ".folded", NULL }, { "folded", NULL } },
};
#define NFORMATS (sizeof formats / sizeof formats[0])

/* The lines naming the files written by the current report (reports are serialized by the caller). */
static char written[8192];
static size_t nwritten;
static int written_put;

__attribute__((format(printf, 1, 2))) static void note_written(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(written + nwritten, sizeof written - nwritten, fmt, ap);
    va_end(ap);
    if (n > 0 && (size_t)n < sizeof written - nwritten)
        nwritten += (size_t)n;
    else
        written[nwritten] = 0;        /* a line that does not fit is dropped whole */
}

void report_put_written(struct lc_bufw *w)
{
    if (!written_put && nwritten && lc_opt.verbosity >= 1)
        bw_write(w, written, nwritten);
    written_put = 1;
}

/* Opens a report file: never through a symbolic link, never a fifo or device planted there (O_NONBLOCK: a fifo
 * fails at once instead of hanging the report). mode is O_APPEND (the text log) or O_TRUNC (a machine format,
 * which a later report of this process replaces). Returns the fd, or -1 and why not. */
static long open_file(const char *path, int mode, const char **why)
{
    struct stat st;
    long fd = syscall(SYS_openat, AT_FDCWD, path, O_WRONLY | O_CREAT | mode | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK,
                      0644);
    if (fd < 0) {
        *why = strerrordesc_np(errno);
    } else if (syscall(SYS_fstat, fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        syscall(SYS_close, fd);
        fd = -1;
        *why = "not a regular file";
    }
    return fd;
}

/* The copy of the program's stderr the lifecycle keeps (runtime/shim_fd.h), for programs that close fd 2
 * before they exit (xz does) or make it /dev/null (daemons): their report must not vanish. fd 2 is used while
 * it still is that same file. */
static int err_fd(void)
{
    struct stat a, b;
    int copy = lc_fd_kept();
    if (copy < 0 || syscall(SYS_fstat, copy, &b) != 0)
        return STDERR_FILENO;
    if (syscall(SYS_fstat, STDERR_FILENO, &a) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
        return STDERR_FILENO;
    return copy;                        /* fd 2 closed, or now some other file the program opened */
}

static char log_file[4096];             /* the log file report_open_fd opened last */

int report_open_fd(pid_t pid)
{
    const char *lp = lc_opt.log_path;
    char path[4096];
    if (!lp || !*lp || getauxval(AT_SECURE))   /* setuid: never write where the environment says */
        return err_fd();
    int saved = errno;
    int n = snprintf(path, sizeof path, "%s.%d", lp, (int)(pid ? pid : getpid()));
    long fd = -1;
    const char *why = strerrordesc_np(ENAMETOOLONG);
    if (n > 0 && (size_t)n < sizeof path) {
        fd = open_file(path, O_APPEND, &why);
        memcpy(log_file, path, (size_t)n + 1);
    }
    if (fd < 0) {
        struct lc_bufw w;
        bw_init(&w, err_fd());
        bw_printf(&w, "leakcheck: cannot open log_path '%s': %s; reporting to stderr\n", path, why ? why : "error");
        bw_flush(&w);
        errno = saved;
        return err_fd();
    }
    errno = saved;
    return (int)fd;
}

long report_exe(const struct lc_snapshot *s, char *buf, size_t len)
{
    char link[64];
    snprintf(link, sizeof link, "/proc/%d/exe", (int)(s->pid ? s->pid : getpid()));
    long n = syscall(SYS_readlinkat, AT_FDCWD, link, buf, len - 1);
    buf[n > 0 ? n : 0] = 0;
    return n > 0 ? n : 0;
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
    int text, unknown;            /* the list names text / names formats that do not exist */
    int machine;                  /* write the machine formats' files */
};

/* A machine format: each of its files, named BASE.PID.SUFFIX by absolute path. */
static void write_files(int idx, struct run *r)
{
    const char *lp = lc_opt.log_path;
    const char *base = lp && *lp ? lp : "leakcheck";
    char cwd[2048] = "";
    if (getauxval(AT_SECURE)) {        /* never create files where the environment says in a setuid program */
        note_written("leakcheck: setuid program: %s report not written\n", formats[idx].name);
        return;
    }
    int saved = errno;
    if (base[0] != '/' && syscall(SYS_getcwd, cwd, sizeof cwd - 1) > 0 && cwd[0] == '/') {
        if (strcmp(cwd, "/") != 0)
            strcat(cwd, "/");
    } else {
        cwd[0] = 0;
    }
    int pid = r->s->pid ? (int)r->s->pid : (int)getpid();
    for (int k = 0; k < 2 && formats[idx].fn[k]; k++) {
        char path[4096];
        const char *why = "file name too long";
        int n = snprintf(path, sizeof path, "%s%s.%d%s", cwd, base, pid, formats[idx].suffix[k]);
        long fd = n > 0 && (size_t)n < sizeof path ? open_file(path, O_TRUNC, &why) : -1;
        struct lc_bufw *w = fd >= 0 ? malloc(sizeof *w) : NULL;
        if (fd >= 0 && !w)
            why = "out of memory";
        if (!w) {
            note_written("leakcheck: cannot write %s report to '%s%s.%d%s': %s\n", formats[idx].title[k], cwd,
                         base, pid, formats[idx].suffix[k], why ? why : "error");
        } else {
            bw_init(w, (int)fd);
            formats[idx].fn[k](w, r->s, r->ctx, r->j);
            bw_flush(w);
            if (w->failed)
                note_written("leakcheck: %s report to '%s' is incomplete (a write failed)\n", formats[idx].title[k],
                             path);
            else
                note_written("leakcheck: %s report written to %s\n", formats[idx].title[k], path);
            free(w);
        }
        if (fd >= 0)
            syscall(SYS_close, fd);
    }
    errno = saved;
}

/* First pass: the machine formats (their files exist before the text report names them); what the list
 * holds. */
static void run_machine(int idx, const char *name, void *arg)
{
    struct run *r = arg;
    (void)name;
    if (idx < 0)
        r->unknown = 1;
    else if (idx == 0)
        r->text = 1;
    else if (formats[idx].fn[0] && r->machine)
        write_files(idx, r);
}

/* Second pass, to the report destination: the text report, complaints about the list. */
static void run_text(int idx, const char *name, void *arg)
{
    struct run *r = arg;
    if (idx < 0)
        bw_printf(r->w, "leakcheck: unknown report format '%s' (valid: text,json,pprof,folded)\n", name);
    else if (idx == 0)
        report_text(r->w, r->s, r->ctx, r->j);
    else if (!formats[idx].fn[0] && lc_opt.verbosity >= 2)
        bw_printf(r->w, "leakcheck: report format '%s' is not available in this build\n", name);
}

struct lc_verdict report_write(const struct lc_snapshot *s, const struct lc_report_ctx *ctx)
{
    int saved = errno;
    struct lc_judgement j;
    const char *list = lc_opt.report ? lc_opt.report : "text";
    verdict_judge(s, ctx, &j);
    nwritten = 0;
    written[0] = 0;
    written_put = 0;
    int found = j.v.leaked || j.v.misuse || j.v.deadlocks;
    struct run r = { NULL, s, ctx, &j, 0, 0, 0 };
    /* Machine files, like the text report, only when there is something to say: a clean verdict at verbosity 1
     * writes none (a program that starts many others must not litter their directories). */
    r.machine = j.live || found || lc_opt.verbosity >= 2;
    for_each_format(list, run_machine, &r);
    int need = r.unknown || (nwritten && lc_opt.verbosity >= 1) || lc_opt.verbosity >= 2 ||
               (r.text && (j.live || (found && lc_opt.verbosity > 0)));
    /* A clean verdict at verbosity 1 with only the text format writes nothing, and creates no log file. */
    struct lc_bufw *w = need ? malloc(sizeof *w) : NULL;
    if (w) {
        int efd = err_fd(), fd = r.text ? report_open_fd(s->pid) : efd;
        bw_init(w, fd);
        r.w = w;
        for_each_format(list, run_text, &r);
        report_put_written(w);
        bw_flush(w);
        if (fd != efd) {
            syscall(SYS_close, fd);
            static int said;            /* a full disk gets one line, not one per report */
            if (w->failed && !said++) {
                int why = w->err;
                bw_init(w, efd);
                bw_printf(w, "leakcheck: cannot write the report to '%s': %s; it is incomplete or missing\n",
                          log_file, strerrordesc_np(why));
                bw_flush(w);
            }
        }
        free(w);
    }
    struct lc_verdict v = j.v;
    verdict_free(&j);
    errno = saved;
    return v;
}
