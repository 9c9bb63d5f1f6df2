/* leakcheck-attach: the live report of a running process that was never started under leakcheck (or was: it
 * then says that the process's own report knows more), or (--run)
 * the exit verdict of a static gc-built program run traced. Options come from LEAKCHECK_OPTIONS, as for the
 * preload (the leakcheck command turns its flags into it). Errors are one line and exit status 2; the
 * process read is always left running as it was. */
#include "attach.h"
#include "../report/report.h"
#include "../report/symbolize.h"
#include "../runtime/deadlock.h"
#include "../runtime/lock.h"
#include "../runtime/options.h"
#include "../runtime/stack.h"
#include "gc_binary.h"
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int at_run(char **argv);

#define STOP_TIMEOUT_MS 1000      /* how long threads get to stop; one that does not is read without registers */

static const char usage[] =
    "usage: leakcheck-attach PID            live report of a running process (goroutines or threads)\n"
    "       leakcheck-attach --run PROGRAM [ARGS...]\n"
    "                                        run a static gc-built Go program traced; its exit verdict\n"
    "Options come from LEAKCHECK_OPTIONS (report, log_path, verbosity, exitcode, suppressions, ignore_*...).\n";

static void say(const char *fmt, va_list ap)
{
    char line[1024];
    vsnprintf(line, sizeof line, fmt, ap);
    fprintf(stderr, "leakcheck: %s\n", line);
}

/* One line of error. */
__attribute__((format(printf, 1, 2))) void at_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    say(fmt, ap);
    va_end(ap);
}

/* Notes: at verbosity 2 (at_note), and from 1 on (tell). */
__attribute__((format(printf, 1, 2))) void at_note(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (lc_opt.verbosity >= 2)
        say(fmt, ap);
    va_end(ap);
}

__attribute__((format(printf, 1, 2))) static void tell(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (lc_opt.verbosity >= 1)
        say(fmt, ap);
    va_end(ap);
}

/* The options of the run; a bad one is an error (exit 2), as any bad argument of a command. */
int at_options(void)
{
    char err[2048] = "";
    options_defaults(&lc_opt);
    if (options_parse(&lc_opt, getenv("LEAKCHECK_OPTIONS"), err, sizeof err) > 0) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    stack_set_depth(lc_opt.stack_depth);
    return 0;
}

/* The process's kind: gc-built Go, gccgo (libgo mapped), or C. */
struct libgo_find { char path[4096]; uint64_t base; };

static int find_libgo(uint64_t lo, uint64_t hi, uint64_t off, const char *perms, const char *path, void *arg)
{
    struct libgo_find *f = arg;
    (void)hi, (void)perms;
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    if (strncmp(base, "libgo.so", 8) != 0 || off != 0 || f->path[0])
        return 0;                         /* its first segment: where the loader put it (libgo also maps its
                                           * own debug sections, for its tracebacks) */
    snprintf(f->path, sizeof f->path, "%s", path);
    f->base = lo;
    return 0;
}

/* A process run under leakcheck whose thread of the shim's runs (it has had a second thread): the dump signal it
 * takes (from its LEAKCHECK_OPTIONS), 0 when it takes none, -1 when not such a process. */
static int find_shim(uint64_t lo, uint64_t hi, uint64_t off, const char *perms, const char *path, void *arg)
{
    (void)lo, (void)hi, (void)off, (void)perms, (void)arg;
    return at_shim_lib(path);
}

static int preload_dump_signal(const struct at_proc *p)
{
    char path[96], buf[65536];
    int named = 0;
    for (int i = 0; i < p->n && !named; i++)
        named = !p->t[i].gone && at_shim_named(p->pid, p->t[i].tid);
    if (!named || at_maps(p->pid, find_shim, NULL) != 1)
        return -1;
    int sig = 10;                         /* the option's default */
    snprintf(path, sizeof path, "/proc/%d/environ", (int)p->pid);
    FILE *f = fopen(path, "re");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f)
        fclose(f);
    buf[n] = 0;
    for (size_t i = 0; i < n; i += strlen(buf + i) + 1) {
        const char *opt = strncmp(buf + i, "LEAKCHECK_OPTIONS=", 18) == 0 ? strstr(buf + i, "dump_signal=") : NULL;
        if (opt)
            sig = atoi(opt + 12);
    }
    return sig;
}

/* Snapshot and report, the process stopped in between as briefly as the readers allow. */
static int attach(pid_t pid)
{
    char exe[64], name[4096], err[1024] = "", ver[32];
    snprintf(exe, sizeof exe, "/proc/%d/exe", (int)pid);
    char dir[64];
    snprintf(dir, sizeof dir, "/proc/%d", (int)pid);
    if (access(dir, F_OK) != 0) {
        at_fail("attach: no process %d", (int)pid);
        return 2;
    }
    if (!at_alive(pid)) {
        at_fail("attach: process %d has exited (a zombie its parent has not reaped)", (int)pid);
        return 2;
    }
    ssize_t n = readlink(exe, name, sizeof name - 1);
    if (n <= 0) {
        int e = errno;
        if (e == EACCES || e == EPERM) {
            at_eperm_reason(pid, err, sizeof err);
            at_fail("attach: cannot trace process %d: %s", (int)pid, err);
        } else if (!at_alive(pid)) {
            at_fail("attach: process %d exited before it could be stopped", (int)pid);
        } else {
            at_fail("attach: cannot read the executable of process %d: %s", (int)pid, strerror(e));
        }
        return 2;
    }
    name[n] = 0;
    struct at_go *go = NULL;
    struct at_gccgo *gccgo = NULL;
    struct libgo_find lg = { "", 0 };
    const char *kind = "threads";
    /* everything that reads files is done first: the pause is for the process's memory only */
    if (gc_bin_is_go(exe, ver, sizeof ver)) {
        if (!(go = at_go_open(pid, exe, name, err, sizeof err))) {
            at_fail("attach: %s", err);
            return 2;
        }
        kind = "goroutines (gc)";
    } else if (at_maps(pid, find_libgo, &lg) >= 0 && lg.path[0]) {
        if (!(gccgo = at_gccgo_open(pid, lg.path, lg.base, err, sizeof err))) {
            at_fail("attach: %s", err);
            return 2;
        }
        kind = "goroutines (gccgo)";
    }
    symbolize_set_process(pid);
    snapshot_set_process(pid, go || gccgo ? NULL : at_c_peek);
    struct at_proc p;
    enum at_err e = at_stop(&p, pid, STOP_TIMEOUT_MS, err, sizeof err);
    if (e != AT_OK) {
        at_fail("attach: %s", err);
        return 2;
    }
    /* a test hook: the snapshot takes that long, so that the process can be killed in the middle of it */
    const char *hold = getenv("LEAKCHECK_ATTACH_HOLD_MS");
    for (int ms = hold ? atoi(hold) : 0; ms > 0 && at_alive(pid); ms -= 10) {
        struct timespec ts = { 0, 10000000 };
        nanosleep(&ts, NULL);
    }
    /* goroutines are read while the process is stopped; threads are copied then (stacks, lock words) and
     * read from the copies after it runs again */
    int r = go ? at_go_read(go, &p, 0, err, sizeof err) : gccgo ? at_gccgo_read(gccgo, &p, err, sizeof err) : 0;
    if (!go && !gccgo)
        at_c_capture(&p);
    at_resume(&p);
    if (!at_alive(pid)) {
        at_fail("attach: process %d exited during the snapshot", (int)pid);
        return 2;
    }
    if (r == 0 && gccgo)
        at_gccgo_name_waits(gccgo);
    else if (r == 0 && !go)
        r = at_c_read(&p, err, sizeof err);
    struct lc_snapshot s;
    if (r != 0 || snapshot_take(&s, 1000) != 0) {
        at_fail("attach: %s", r != 0 ? err : "cannot copy the task table");
        return 2;
    }
    at_note("attach: process %d (%s), %d threads, %s: paused for %.2f ms%s", (int)pid, name, p.n, kind,
            (double)p.paused_ns / 1e6, p.nstraggler ? " (some threads did not stop: read without registers)" : "");
    deadlock_augment(&s, 0);                /* a live report: the program runs on */
    struct lc_report_ctx ctx = { LC_REASON_DUMP, 0, 0, 0 };
    report_write(&s, &ctx);
    snapshot_free(&s);
    int dump = lc_opt.verbosity >= 1 ? preload_dump_signal(&p) : -1;
    if (dump > 0) {
        char sig[16];
        const char *abbrev = sigabbrev_np(dump);
        snprintf(sig, sizeof sig, abbrev ? "%s" : "%.0s%d", abbrev ? abbrev : "", dump);
        tell("attach: process %d runs under leakcheck: its own live report (kill -%s %d, written where its "
                "reports go) also has what happened before now: who made each task and object, lock sites, "
                "how long each has waited", (int)pid, sig, (int)pid);
    }
    at_go_close(go);
    at_gccgo_close(gccgo);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (at_options() != 0)
        return 2;
    if (strcmp(argv[1], "--run") == 0) {
        if (argc < 3) {
            at_fail("attach: --run needs a program");
            return 2;
        }
        return at_run(argv + 2);
    }
    char *end;
    long pid = strtol(argv[1], &end, 10);
    if (argc != 2 || *end || pid <= 0 || pid > 0x3fffffff) {
        at_fail("attach: '%s' is not a process id (usage: leakcheck attach PID)", argv[1]);
        return 2;
    }
    if (pid == getpid()) {
        at_fail("attach: process %ld is this tool itself", pid);
        return 2;
    }
    return attach((pid_t)pid);
}
