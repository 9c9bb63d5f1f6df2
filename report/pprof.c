/* pprof profiles (profile.proto, gzipped): a goroutine-style profile of the reported tasks (one sample per task,
 * value 1, its stack, labels state/what/object/kind/created_by/test) and a contention profile of the blocked ones
 * (contentions and delay in nanoseconds, by blocking site), as Go's goroutine and block profiles are. */
#include "attribution.h"
#include "pprof.h"
#include "proto.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <uthash.h>
#include <zlib.h>

/* profile.proto field numbers */
enum { P_SAMPLE_TYPE = 1, P_SAMPLE = 2, P_MAPPING = 3, P_LOCATION = 4, P_FUNCTION = 5, P_STRING = 6, P_TIME = 9,
       P_PERIOD_TYPE = 11, P_PERIOD = 12, P_COMMENT = 13, P_DEFAULT_TYPE = 14 };
enum { VT_TYPE = 1, VT_UNIT = 2 };
enum { S_LOCATION = 1, S_VALUE = 2, S_LABEL = 3 };
enum { LB_KEY = 1, LB_STR = 2 };
enum { L_ID = 1, L_MAPPING = 2, L_ADDRESS = 3, L_LINE = 4 };
enum { M_ID = 1, M_FILENAME = 5, M_HAS_FUNCTIONS = 7, M_HAS_FILENAMES = 8, M_HAS_LINES = 9, M_HAS_INLINE = 10 };
enum { LN_FUNCTION = 1, LN_LINE = 2 };
enum { F_ID = 1, F_NAME = 2, F_SYSTEM_NAME = 3, F_FILENAME = 4 };

struct str_ent { char *s; int64_t idx; UT_hash_handle hh; };
struct fn_key { int64_t name, file; };
struct fn_ent { struct fn_key k; uint64_t id; UT_hash_handle hh; };
struct loc_key { uint64_t pc, fn; int64_t line; };
struct loc_ent { struct loc_key k; uint64_t id; UT_hash_handle hh; };

struct prof {
    struct pb samples, locs, funcs, strs;
    struct str_ent *str_index;
    struct fn_ent *fn_index;
    struct loc_ent *loc_index;
    int64_t nstr;
    uint64_t nfn, nloc;
};

static int64_t str_id(struct prof *p, const char *s)
{
    struct str_ent *e;
    if (!s)
        s = "";
    HASH_FIND_STR(p->str_index, s, e);
    if (e)
        return e->idx;
    e = calloc(1, sizeof *e);
    if (!e || !(e->s = strdup(s))) {
        free(e);
        p->strs.oom = 1;
        return 0;
    }
    e->idx = p->nstr++;
    HASH_ADD_KEYPTR(hh, p->str_index, e->s, strlen(e->s), e);
    pb_string(&p->strs, P_STRING, s);
    return e->idx;
}

static uint64_t fn_id(struct prof *p, const struct lc_frame *f)
{
    struct fn_key k = { str_id(p, f->func), str_id(p, f->file) };
    struct fn_ent *e;
    HASH_FIND(hh, p->fn_index, &k, sizeof k, e);
    if (e)
        return e->id;
    if (!(e = calloc(1, sizeof *e))) {
        p->funcs.oom = 1;
        return 0;
    }
    e->k = k;
    e->id = ++p->nfn;
    HASH_ADD(hh, p->fn_index, k, sizeof k, e);
    size_t m = pb_begin(&p->funcs, P_FUNCTION);
    pb_uint(&p->funcs, F_ID, e->id);
    pb_int(&p->funcs, F_NAME, k.name);
    pb_int(&p->funcs, F_SYSTEM_NAME, k.name);
    pb_int(&p->funcs, F_FILENAME, k.file);
    pb_end(&p->funcs, m);
    return e->id;
}

static uint64_t loc_id(struct prof *p, const struct lc_frame *f)
{
    struct loc_key k;
    memset(&k, 0, sizeof k);
    k.pc = f->pc;
    k.fn = fn_id(p, f);
    k.line = f->line;
    struct loc_ent *e;
    HASH_FIND(hh, p->loc_index, &k, sizeof k, e);
    if (e)
        return e->id;
    if (!(e = calloc(1, sizeof *e))) {
        p->locs.oom = 1;
        return 0;
    }
    e->k = k;
    e->id = ++p->nloc;
    HASH_ADD(hh, p->loc_index, k, sizeof k, e);
    size_t m = pb_begin(&p->locs, P_LOCATION);
    pb_uint(&p->locs, L_ID, e->id);
    pb_uint(&p->locs, L_MAPPING, 1);
    pb_uint(&p->locs, L_ADDRESS, f->pc);
    size_t l = pb_begin(&p->locs, L_LINE);
    pb_uint(&p->locs, LN_FUNCTION, k.fn);
    pb_int(&p->locs, LN_LINE, f->line);
    pb_end(&p->locs, l);
    pb_end(&p->locs, m);
    return e->id;
}

static void label(struct prof *p, const char *key, const char *val)
{
    if (!val || !*val)
        return;
    size_t m = pb_begin(&p->samples, S_LABEL);
    pb_int(&p->samples, LB_KEY, str_id(p, key));
    pb_int(&p->samples, LB_STR, str_id(p, val));
    pb_end(&p->samples, m);
}

static const char *state_name(const struct lc_task *t)
{
    return t->state == LC_BLOCKED ? "blocked" : t->state == LC_RUNNING ? "running" : "finished";
}

/* One sample for t: its profile stack, values, labels. */
static void sample(struct prof *p, const struct lc_task *t, const int64_t *values, size_t nvalues)
{
    struct lc_frame f[LC_FRAMES_MAX];
    uint64_t ids[LC_FRAMES_MAX];
    char obj[64] = "", test[128];
    int n = attrib_profile_stack(t, f, LC_FRAMES_MAX);
    for (int i = 0; i < n; i++)
        ids[i] = loc_id(p, &f[i]);
    size_t m = pb_begin(&p->samples, P_SAMPLE);
    pb_packed_uint(&p->samples, S_LOCATION, ids, (size_t)n);
    pb_packed_int(&p->samples, S_VALUE, values, nvalues);
    label(p, "kind", t->kind == LC_GOROUTINE ? "goroutine" : "thread");
    label(p, "state", state_name(t));
    if (t->state == LC_BLOCKED) {
        label(p, "what", t->what);
        if (t->obj_kind == LC_OBJ_FD)
            snprintf(obj, sizeof obj, "fd %d", (int)(intptr_t)t->obj);
        else if (t->obj_kind == LC_OBJ_CHAN)
            snprintf(obj, sizeof obj, t->obj ? "chan 0x%lx" : "nil chan", (unsigned long)(uintptr_t)t->obj);
        else if (t->obj_kind != LC_OBJ_NONE)
            snprintf(obj, sizeof obj, "0x%lx", (unsigned long)(uintptr_t)t->obj);
        label(p, "object", obj);
    }
    if (t->anc_stack[0] && frames_origin(t->anc_stack[0], &f[0]))
        label(p, "created_by", f[0].func);
    if (attrib_test(t, test, sizeof test))
        label(p, "test", test);
    pb_end(&p->samples, m);
}

static void value_type(struct pb *out, struct prof *p, unsigned field, const char *type, const char *unit)
{
    size_t m = pb_begin(out, field);
    pb_int(out, VT_TYPE, str_id(p, type));
    pb_int(out, VT_UNIT, str_id(p, unit));
    pb_end(out, m);
}

static void prof_free(struct prof *p)
{
    struct str_ent *s, *st;
    struct fn_ent *f, *ft;
    struct loc_ent *l, *lt;
    HASH_ITER(hh, p->str_index, s, st) {
        HASH_DEL(p->str_index, s);
        free(s->s);
        free(s);
    }
    HASH_ITER(hh, p->fn_index, f, ft) {
        HASH_DEL(p->fn_index, f);
        free(f);
    }
    HASH_ITER(hh, p->loc_index, l, lt) {
        HASH_DEL(p->loc_index, l);
        free(l);
    }
    pb_free(&p->samples);
    pb_free(&p->locs);
    pb_free(&p->funcs);
    pb_free(&p->strs);
}

/* The gzip stream of the n bytes at data into w. */
static int gzip_to(struct lc_bufw *w, const uint8_t *data, size_t n)
{
    z_stream z;
    unsigned char out[16384];
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return -1;
    z.next_in = (Bytef *)data;
    z.avail_in = (uInt)n;
    int r;
    do {
        z.next_out = out;
        z.avail_out = sizeof out;
        r = deflate(&z, Z_FINISH);
        bw_write(w, (const char *)out, sizeof out - z.avail_out);
    } while (r == Z_OK || (r == Z_BUF_ERROR && z.avail_out == 0));
    deflateEnd(&z);
    return r == Z_STREAM_END ? 0 : -1;
}

static void write_profile(struct lc_bufw *w, const struct lc_snapshot *s, const struct lc_report_ctx *ctx,
                          const struct lc_judgement *j, int contention)
{
    struct prof p;
    struct pb head;
    char comment[128];
    memset(&p, 0, sizeof p);
    pb_init(&head);
    str_id(&p, "");                                  /* string_table[0] must be "" */
    if (contention) {
        value_type(&head, &p, P_SAMPLE_TYPE, "contentions", "count");
        value_type(&head, &p, P_SAMPLE_TYPE, "delay", "nanoseconds");
        value_type(&head, &p, P_PERIOD_TYPE, "contentions", "count");
        pb_int(&head, P_DEFAULT_TYPE, str_id(&p, "delay"));
    } else {
        value_type(&head, &p, P_SAMPLE_TYPE, "goroutine", "count");
        value_type(&head, &p, P_PERIOD_TYPE, "goroutine", "count");
    }
    pb_int(&head, P_PERIOD, 1);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    pb_int(&head, P_TIME, (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec);
    static const char *const reasons[] = { "exit", "signal", "dump", "periodic", "deadlock", "alert" };
    snprintf(comment, sizeof comment, "leakcheck pid %d, %s report: %s", (int)s->pid,
             (unsigned)ctx->reason < 6 ? reasons[ctx->reason] : "?",
             j->live ? "every task" : "leaked tasks");
    pb_int(&head, P_COMMENT, str_id(&p, comment));
    /* One mapping, the program, already symbolized: pprof names the binary and never re-symbolizes. */
    char exe[4096];
    report_exe(s, exe, sizeof exe);
    size_t m = pb_begin(&head, P_MAPPING);
    pb_uint(&head, M_ID, 1);
    pb_int(&head, M_FILENAME, str_id(&p, exe));
    pb_uint(&head, M_HAS_FUNCTIONS, 1);
    pb_uint(&head, M_HAS_FILENAMES, 1);
    pb_uint(&head, M_HAS_LINES, 1);
    pb_uint(&head, M_HAS_INLINE, 1);
    pb_end(&head, m);
    for (size_t i = 0; i < s->ntasks && j->task_group; i++) {
        const struct lc_task *t = &s->tasks[i];
        if (j->task_group[i] < 0)
            continue;
        if (!contention) {
            int64_t n = (int64_t)snapshot_weight(s, i);     /* twins: one sample standing for them all */
            sample(&p, t, &n, 1);
        } else if (t->state == LC_BLOCKED) {
            int64_t v[2] = { 1, (int64_t)verdict_age_ns(t, s->now_ns) };
            struct lc_twin_it it = snapshot_twins(s, i);
            struct lc_task twin;
            for (const struct lc_twin *tw; (tw = snapshot_twin_next(&it)); v[0]++) {
                snapshot_as_twin(t, tw, &twin);
                v[1] += (int64_t)verdict_age_ns(&twin, s->now_ns);
            }
            sample(&p, t, v, 2);
        }
    }
    /* the fields of concatenated encodings form one message: the whole profile */
    struct pb *parts[] = { &head, &p.samples, &p.locs, &p.funcs, &p.strs };
    struct pb all;
    pb_init(&all);
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        pb_append(&all, parts[i]);
    if (!all.oom)
        gzip_to(w, all.p, all.n);
    pb_free(&all);
    pb_free(&head);
    prof_free(&p);
}

void report_pprof(struct lc_bufw *w, const struct lc_snapshot *s, const struct lc_report_ctx *ctx,
                  const struct lc_judgement *j)
{
    write_profile(w, s, ctx, j, 0);
}

void report_pprof_contention(struct lc_bufw *w, const struct lc_snapshot *s, const struct lc_report_ctx *ctx,
                             const struct lc_judgement *j)
{
    write_profile(w, s, ctx, j, 1);
}
