/* Stopping a whole process for a snapshot, and letting it go untouched. Every thread is seized
 * (PTRACE_SEIZE: no signal is sent, group-stop and job control keep working) and asked to stop
 * (PTRACE_INTERRUPT); threads created meanwhile are found by listing /proc/PID/task again until nothing
 * new appears. A thread that was about to take a signal when it stopped (a signal-delivery-stop) gets that
 * same signal back when it is let go: nothing is lost, nothing added. A thread that cannot stop in time (in
 * an uninterruptible wait) is read without its registers. */
#include "attach.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_THREADS 100000
#define MAX_ROUNDS 64             /* listings of the threads before giving up on a process that keeps spawning */

/* The fine clock (lc_now_ns is the coarse one): pauses are a few milliseconds. */
static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int read_small(const char *path, char *buf, size_t len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, buf, len - 1);
    close(fd);
    if (n < 0)
        return -1;
    buf[n] = 0;
    return (int)n;
}

int at_shim_lib(const char *path)
{
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    return strcmp(base, "libleakcheck.so") == 0;
}

int at_shim_named(pid_t pid, pid_t tid)
{
    char path[96], comm[32];
    snprintf(path, sizeof path, "/proc/%d/task/%d/comm", (int)pid, (int)tid);
    return read_small(path, comm, sizeof comm) > 0 && strcmp(comm, "leakcheck\n") == 0;
}

/* se.exec_start of /proc/.../sched: when the thread last ran (or went to sleep), in the scheduler's clock. */
static double exec_start_ms(const char *path)
{
    char buf[4096];
    if (read_small(path, buf, sizeof buf) <= 0)
        return -1;
    const char *p = strstr(buf, "se.exec_start");
    const char *colon = p ? strchr(p, ':') : NULL;
    return colon ? strtod(colon + 1, NULL) : -1;
}

/* "Now" in the scheduler's clock of cpu: our own exec_start once we run there (each CPU's clock runs apart from
 * the others': it leaves out the time stolen from that CPU). Cached per CPU; 0 when we may not run there. */
static double cpu_now_ms(int cpu)
{
    static double now[1024];
    static int tried[1024];
    if (cpu < 0 || cpu >= 1024)
        return 0;
    if (!tried[cpu]) {
        cpu_set_t old, one;
        tried[cpu] = 1;
        CPU_ZERO(&one);
        CPU_SET(cpu, &one);
        if (sched_getaffinity(0, sizeof old, &old) == 0 && sched_setaffinity(0, sizeof one, &one) == 0) {
            sched_yield();
            now[cpu] = exec_start_ms("/proc/thread-self/sched");
            sched_setaffinity(0, sizeof old, &old);
        }
    }
    return now[cpu];
}

void at_thread_times(pid_t pid, pid_t tid, uint64_t *idle_ns, uint64_t *age_ns, char *state)
{
    char path[96], buf[1024];
    *idle_ns = *age_ns = 0;
    *state = '?';
    /* state, start time (clock ticks after boot) and the CPU it last ran on, from stat (fields 3, 22 and 39,
     * after the command name's closing parenthesis) */
    snprintf(path, sizeof path, "/proc/%d/task/%d/stat", (int)pid, (int)tid);
    if (read_small(path, buf, sizeof buf) <= 0)
        return;
    const char *p = strrchr(buf, ')');
    if (!p || p[1] != ' ')
        return;
    *state = p[2];
    unsigned long long start = 0;
    int cpu = -1;
    const char *f = p + 2;
    for (int field = 3; f && field < 39; field++) {
        if (field == 22)
            sscanf(f, "%llu", &start);
        f = strchr(f, ' ');
        f = f ? f + 1 : NULL;
    }
    if (f)
        sscanf(f, "%d", &cpu);
    char up[64];
    if (start && read_small("/proc/uptime", up, sizeof up) > 0) {
        double now_s = strtod(up, NULL), start_s = (double)start / (double)sysconf(_SC_CLK_TCK);
        if (now_s > start_s)
            *age_ns = (uint64_t)((now_s - start_s) * 1e9);
    }
    /* how long it has not run: when it last ran (or went to sleep), against now, in that CPU's clock */
    snprintf(path, sizeof path, "/proc/%d/task/%d/sched", (int)pid, (int)tid);
    double theirs = exec_start_ms(path), ours = cpu_now_ms(cpu);
    if (theirs > 0 && ours >= theirs)
        *idle_ns = (uint64_t)((ours - theirs) * 1e6);
}

int at_maps(pid_t pid, int (*fn)(uint64_t lo, uint64_t hi, uint64_t off, const char *perms, const char *path, void *arg), void *arg)
{
    char path[64], line[4608];
    snprintf(path, sizeof path, "/proc/%d/maps", (int)pid);
    FILE *f = fopen(path, "re");
    if (!f)
        return -1;
    int r = 0;
    while (!r && fgets(line, sizeof line, f)) {
        unsigned long long lo, hi, off;
        char perms[8] = "";
        int name = 0;
        if (sscanf(line, "%llx-%llx %7s %llx %*s %*s %n", &lo, &hi, perms, &off, &name) < 4 || !name)
            continue;
        char *file = line + name;
        file[strcspn(file, "\n")] = 0;
        if (*file)
            r = fn(lo, hi, off, perms, file, arg);
    }
    fclose(f);
    return r;
}

int at_alive(pid_t pid)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    if (read_small(path, buf, sizeof buf) <= 0)
        return 0;
    const char *p = strrchr(buf, ')');
    return p && p[1] == ' ' && p[2] != 'Z' && p[2] != 'X';
}

const struct at_thread *at_thread_of(const struct at_proc *p, pid_t tid)
{
    for (int i = 0; i < p->n; i++)
        if (p->t[i].tid == tid)
            return p->t[i].stopped ? &p->t[i] : NULL;
    return NULL;
}

static struct at_thread *find(struct at_proc *p, pid_t tid)
{
    for (int i = 0; i < p->n; i++)
        if (p->t[i].tid == tid)
            return &p->t[i];
    return NULL;
}

static struct at_thread *add(struct at_proc *p, pid_t tid)
{
    if (p->n == p->cap) {
        int cap = p->cap ? p->cap * 2 : 64;
        struct at_thread *t = realloc(p->t, (size_t)cap * sizeof *t);
        if (!t)
            return NULL;
        p->t = t;
        p->cap = cap;
    }
    struct at_thread *t = &p->t[p->n++];
    memset(t, 0, sizeof *t);
    t->tid = tid;
    return t;
}

static int read_status_field(pid_t pid, const char *key, long *out)
{
    char path[64], buf[4096];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    if (read_small(path, buf, sizeof buf) <= 0)
        return -1;
    const char *p = strstr(buf, key);
    return p && sscanf(p + strlen(key), " %ld", out) == 1 ? 0 : -1;
}

void at_eperm_reason(pid_t pid, char *out, size_t len)
{
    long tracer = 0, uid = -1;
    char scope[16] = "";
    struct stat st;
    char path[64];
    snprintf(path, sizeof path, "/proc/%d", (int)pid);
    if (read_status_field(pid, "TracerPid:", &tracer) == 0 && tracer > 0) {
        char exe[64], target[4096];
        snprintf(exe, sizeof exe, "/proc/%ld/exe", tracer);
        ssize_t n = readlink(exe, target, sizeof target - 1);
        target[n > 0 ? n : 0] = 0;
        const char *base = strrchr(target, '/');
        if (base && strcmp(base + 1, "leakcheck-attach") == 0)
            snprintf(out, len, "process %d runs traced by leakcheck (process %ld), which reads it itself: "
                     "'leakcheck dump %d' asks it for a live report", (int)pid, tracer, (int)pid);
        else
            snprintf(out, len, "process %d is already traced by process %ld (a debugger?); only one tracer at a "
                     "time", (int)pid, tracer);
        return;
    }
    if (stat(path, &st) == 0)
        uid = (long)st.st_uid;
    int s = read_small("/proc/sys/kernel/yama/ptrace_scope", scope, sizeof scope) > 0 ? atoi(scope) : -1;
    if (uid >= 0 && (uid_t)uid != geteuid() && geteuid() != 0)
        snprintf(out, len, "process %d belongs to another user (uid %ld); tracing it needs CAP_SYS_PTRACE (sudo)",
                 (int)pid, uid);
    else if (s == 1)
        snprintf(out, len, "kernel.yama.ptrace_scope=1 lets only a process's ancestors trace it; set it to 0 "
                 "(sysctl kernel.yama.ptrace_scope=0) or run with CAP_SYS_PTRACE (sudo)");
    else if (s == 2)
        snprintf(out, len, "kernel.yama.ptrace_scope=2 lets only CAP_SYS_PTRACE trace a process; run with sudo");
    else if (s == 3)
        snprintf(out, len, "kernel.yama.ptrace_scope=3: ptrace is disabled on this system until reboot");
    else
        snprintf(out, len, "ptrace refused (a setuid or non-dumpable process, a container without "
                 "CAP_SYS_PTRACE or a seccomp policy?); it needs the same user, kernel.yama.ptrace_scope 0 or "
                 "CAP_SYS_PTRACE");
}

/* Seize and interrupt the threads listed now that are not yet seized; returns how many were new, -1 on a
 * refusal (err set). */
static int seize_new(struct at_proc *p, char *err, size_t errlen)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/task", (int)p->pid);
    DIR *d = opendir(path);
    if (!d)
        return -2;
    /* first what the kernel says of the new threads (reading it takes longer than the stop itself), then
     * the stops, back to back */
    int first = p->n, fresh = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && p->n < MAX_THREADS) {
        pid_t tid = (pid_t)atoi(e->d_name);
        struct at_thread *t = tid > 0 && !find(p, tid) ? add(p, tid) : NULL;
        if (t)
            at_thread_times(p->pid, tid, &t->idle_ns, &t->age_ns, &t->state);
    }
    closedir(d);
    for (int i = first; i < p->n; i++) {
        struct at_thread *t = &p->t[i];
        if (!p->stop_begin)
            p->stop_begin = now_ns();
        if (ptrace(PTRACE_SEIZE, t->tid, 0, 0) != 0) {
            if (errno == ESRCH) {
                t->gone = 1;              /* ended between the listing and now */
                continue;
            }
            int e2 = errno;
            if (e2 == EPERM) {
                char why[300];
                at_eperm_reason(p->pid, why, sizeof why);
                snprintf(err, errlen, "cannot trace process %d: %s", (int)p->pid, why);
            } else {
                snprintf(err, errlen, "cannot trace process %d: %s", (int)p->pid, strerror(e2));
            }
            return -1;
        }
        t->seized = 1;
        fresh++;
        if (ptrace(PTRACE_INTERRUPT, t->tid, 0, 0) != 0 && errno == ESRCH)
            t->gone = 1;
    }
    return fresh;
}

/* One wait status of thread t. */
static void took(struct at_thread *t, int st)
{
    if (WIFEXITED(st) || WIFSIGNALED(st)) {
        t->gone = 1;
        return;
    }
    if (!WIFSTOPPED(st))
        return;
    int event = st >> 16;
    /* a signal-delivery-stop (event 0): the signal was taken off its queue and goes back when we let go;
     * PTRACE_EVENT_STOP: our interrupt, or a group-stop (the process was or is being stopped) */
    if (event == 0)
        t->sig = WSTOPSIG(st);
    t->stopped = 1;
    t->have_regs = ptrace(PTRACE_GETREGS, t->tid, 0, &t->regs) == 0;
}

/* Wait until every seized thread stopped or ended, or until the deadline (then it is a straggler). */
static void wait_stops(struct at_proc *p, uint64_t deadline)
{
    for (;;) {
        int waiting = 0;
        for (int i = 0; i < p->n; i++) {
            struct at_thread *t = &p->t[i];
            if (!t->seized || t->stopped || t->gone)
                continue;
            int st;
            pid_t r = waitpid(t->tid, &st, __WALL | WNOHANG);
            if (r == t->tid)
                took(t, st);
            else if (r < 0 && errno == ECHILD)
                t->gone = 1;
            if (!t->stopped && !t->gone)
                waiting++;
        }
        if (!waiting || now_ns() >= deadline)
            return;
        struct timespec ts = { 0, 50000 };
        nanosleep(&ts, NULL);
    }
}

enum at_err at_stop(struct at_proc *p, pid_t pid, int timeout_ms, char *err, size_t errlen)
{
    memset(p, 0, sizeof *p);
    p->pid = pid;
    uint64_t deadline = now_ns() + (uint64_t)timeout_ms * 1000000u;
    for (int round = 0; round < MAX_ROUNDS; round++) {
        int fresh = seize_new(p, err, errlen);
        if (fresh == -2 || (round == 0 && fresh == 0)) {
            at_resume(p);
            snprintf(err, errlen, p->n ? "process %d exited during the snapshot" : "process %d exited before it "
                     "could be stopped", (int)pid);
            return p->n ? AT_GONE : AT_NOPROC;
        }
        if (fresh < 0) {
            at_resume(p);
            return AT_EPERM;
        }
        if (fresh == 0)
            break;                        /* every thread there is seized: none can start another now */
        wait_stops(p, deadline);
    }
    for (int i = 0; i < p->n; i++)
        if (p->t[i].seized && !p->t[i].stopped && !p->t[i].gone)
            p->nstraggler++;
    const struct at_thread *leader = find(p, pid);
    if (!leader || leader->gone || !at_alive(pid)) {
        at_resume(p);
        snprintf(err, errlen, "process %d exited during the snapshot", (int)pid);
        return AT_GONE;
    }
    return AT_OK;
}

void at_resume(struct at_proc *p)
{
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < p->n; i++) {
            struct at_thread *t = &p->t[i];
            if (!t->seized || t->gone)
                continue;
            if (!t->stopped && pass == 1) {
                /* a straggler: it may have stopped since (its pending interrupt ends with the trace) */
                int st;
                if (waitpid(t->tid, &st, __WALL | WNOHANG) == t->tid)
                    took(t, st);
            }
            if (t->stopped && ptrace(PTRACE_DETACH, t->tid, 0, (void *)(long)t->sig) == 0) {
                t->seized = 0;
                t->stopped = 0;
            } else if (t->stopped && errno == ESRCH) {
                t->gone = 1;              /* killed while stopped */
            }
        }
    }
    if (p->stop_begin)
        p->paused_ns = now_ns() - p->stop_begin;
}
