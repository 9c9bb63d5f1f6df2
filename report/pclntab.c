/* Reading Go's pclntab (layouts of Go 1.18-1.19 and 1.20+, as documented by the Go runtime's symtab.go and the
 * debug/gosym package): a header, the function name table, the per-compilation-unit file index table, the file
 * name table, the pc-value tables and the function table, each found at an offset the header gives. */
#include "pclntab.h"
#include <stdio.h>
#include <string.h>

#define PCDATA_INLTREE 2      /* _PCDATA_InlTreeIndex */
#define FUNCDATA_INLTREE 3    /* _FUNCDATA_InlTree */
#define FUNCID_WRAPPER 21     /* funcID_wrapper in 1.18-1.20 */

static int in_table(const struct lc_pcln *p, const uint8_t *at, size_t n)
{
    return at >= p->hdr && (size_t)(at - p->hdr) <= p->size && n <= p->size - (size_t)(at - p->hdr);
}

static uint32_t rd32(const uint8_t *a) { uint32_t v; memcpy(&v, a, 4); return v; }
static uint64_t rd64(const uint8_t *a) { uint64_t v; memcpy(&v, a, 8); return v; }

/* A NUL-terminated string inside the table, or NULL. */
static const char *table_str(const struct lc_pcln *p, const uint8_t *at)
{
    if (!in_table(p, at, 1))
        return NULL;
    size_t left = p->size - (size_t)(at - p->hdr);
    return memchr(at, 0, left) ? (const char *)at : NULL;
}

int pcln_init(struct lc_pcln *p, const uint8_t *hdr, size_t size, uint64_t bias, char *err, size_t errlen)
{
    memset(p, 0, sizeof *p);
    if (!hdr || size < 72) {
        snprintf(err, errlen, "no function table");
        return -1;
    }
    uint32_t magic = rd32(hdr);
    if (magic != LC_PCLN_MAGIC_118 && magic != LC_PCLN_MAGIC_120) {
        snprintf(err, errlen, "function table of an unsupported Go release (magic 0x%x; 1.18 and later are read)",
                 magic);
        return -1;
    }
    if (hdr[4] || hdr[5] || hdr[6] != 1 || hdr[7] != 8) {
        snprintf(err, errlen, "function table header for another architecture");
        return -1;
    }
    p->hdr = hdr;
    p->size = size;
    p->v120 = magic == LC_PCLN_MAGIC_120;
    uint64_t nfunc = rd64(hdr + 8), off[5];
    for (int i = 0; i < 5; i++) {
        off[i] = rd64(hdr + 32 + 8 * i);
        if (off[i] >= size) {
            snprintf(err, errlen, "function table header points outside the table");
            return -1;
        }
    }
    p->names = hdr + off[0];
    p->cutab = hdr + off[1];
    p->files = hdr + off[2];
    p->pctab = hdr + off[3];
    p->ftab = hdr + off[4];
    if (nfunc == 0 || nfunc > (1u << 24) || !in_table(p, p->ftab, (nfunc + 1) * 8)) {
        snprintf(err, errlen, "function table of %llu functions does not fit", (unsigned long long)nfunc);
        return -1;
    }
    p->nfunc = (uint32_t)nfunc;
    p->text = rd64(hdr + 24) + bias;
    p->lo = p->text + rd32(p->ftab);
    p->hi = p->text + rd32(p->ftab + 8 * nfunc);
    if (p->hi <= p->lo) {
        snprintf(err, errlen, "function table covers no code");
        return -1;
    }
    return 0;
}

/* The _func record of function i, or NULL. */
static const uint8_t *func_rec(const struct lc_pcln *p, uint32_t i)
{
    const uint8_t *f = p->ftab + rd32(p->ftab + 8 * (size_t)i + 4);
    return in_table(p, f, 48) ? f : NULL;
}

int pcln_func(const struct lc_pcln *p, uint64_t pc, struct lc_pcln_func *fn)
{
    if (!p->hdr || pc < p->lo || pc >= p->hi)
        return 0;
    uint32_t off = (uint32_t)(pc - p->text), lo = 0, hi = p->nfunc;
    while (hi - lo > 1) {                 /* entry[lo] <= off < entry[hi] */
        uint32_t mid = lo + (hi - lo) / 2;
        if (rd32(p->ftab + 8 * (size_t)mid) <= off)
            lo = mid;
        else
            hi = mid;
    }
    const uint8_t *f = func_rec(p, lo);
    if (!f)
        return 0;
    fn->f = f;
    fn->entry = p->text + rd32(f);
    fn->end = p->text + rd32(p->ftab + 8 * ((size_t)lo + 1));
    return 1;
}

static const char *name_at(const struct lc_pcln *p, int32_t nameoff)
{
    const char *s = nameoff >= 0 ? table_str(p, p->names + nameoff) : NULL;
    return s ? s : "?";
}

const char *pcln_name(const struct lc_pcln *p, const struct lc_pcln_func *fn)
{
    return name_at(p, (int32_t)rd32(fn->f + 4));
}

int pcln_lookup(const struct lc_pcln *p, const char *name, struct lc_pcln_func *fn)
{
    for (uint32_t i = 0; i < p->nfunc; i++) {
        const uint8_t *f = func_rec(p, i);
        if (!f)
            continue;
        struct lc_pcln_func c = { f, p->text + rd32(f), p->text + rd32(p->ftab + 8 * ((size_t)i + 1)) };
        if (strcmp(pcln_name(p, &c), name) == 0) {
            *fn = c;
            return 1;
        }
    }
    return 0;
}

/* ---- pc-value tables ------------------------------------------------------------------------------------- */

static int varint(const struct lc_pcln *p, const uint8_t **at, uint32_t *v)
{
    uint32_t r = 0;
    for (int shift = 0; shift < 35; shift += 7) {
        if (!in_table(p, *at, 1))
            return 0;
        uint8_t b = *(*at)++;
        r |= (uint32_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *v = r;
            return 1;
        }
    }
    return 0;
}

/* The value of table off (relative to pctab) at pc in fn; -1 when none (and *ok = 0 when unreadable). */
static int32_t pcvalue(const struct lc_pcln *p, const struct lc_pcln_func *fn, uint32_t off, uint64_t pc, int *ok)
{
    *ok = 0;
    if (off == 0)
        return -1;
    const uint8_t *at = p->pctab + off;
    uint64_t cur = fn->entry;
    int32_t val = -1;
    for (int first = 1;; first = 0) {
        uint32_t uv, pcd;
        if (!in_table(p, at, 1))
            return -1;
        if (*at == 0 && !first)
            return -1;                    /* end of table: pc not covered */
        if (!varint(p, &at, &uv) || !varint(p, &at, &pcd))
            return -1;
        val += (int32_t)((uv >> 1) ^ (0u - (uv & 1)));
        cur += pcd;                       /* PCQuantum is 1 on amd64 */
        if (pc < cur) {
            *ok = 1;
            return val;
        }
    }
}

static size_t func_fixed(const struct lc_pcln *p) { return p->v120 ? 44 : 40; }
static uint32_t npcdata(const uint8_t *f) { return rd32(f + 28); }
static uint8_t nfuncdata(const struct lc_pcln *p, const uint8_t *f) { return f[p->v120 ? 43 : 39]; }
static uint8_t funcid(const struct lc_pcln *p, const uint8_t *f) { return f[p->v120 ? 40 : 36]; }

static uint32_t pcdata_off(const struct lc_pcln *p, const uint8_t *f, uint32_t i)
{
    const uint8_t *at = f + func_fixed(p) + 4 * i;
    return i < npcdata(f) && in_table(p, at, 4) ? rd32(at) : 0;
}

/* The funcdata of f at index i inside go:func.*, or NULL. */
static const uint8_t *funcdata(const struct lc_pcln *p, const uint8_t *f, uint8_t i, size_t *left)
{
    if (!p->gofunc || i >= nfuncdata(p, f))
        return NULL;
    const uint8_t *at = f + func_fixed(p) + 4 * (size_t)npcdata(f) + 4 * i;
    if (!in_table(p, at, 4))
        return NULL;
    uint32_t off = rd32(at);
    if (off == 0xffffffffu || off >= p->gofunc_size)
        return NULL;
    *left = p->gofunc_size - off;
    return p->gofunc + off;
}

static const char *file_of(const struct lc_pcln *p, const uint8_t *f, int32_t fileno)
{
    if (fileno < 0)
        return NULL;
    const uint8_t *at = p->cutab + 4 * ((size_t)rd32(f + 32) + (size_t)fileno);
    if (!in_table(p, at, 4))
        return NULL;
    uint32_t off = rd32(at);
    return off == 0xffffffffu ? NULL : table_str(p, p->files + off);
}

int pcln_line(const struct lc_pcln *p, const struct lc_pcln_func *fn, uint64_t pc, const char **file)
{
    int ok1, ok2;
    int32_t fileno = pcvalue(p, fn, rd32(fn->f + 20), pc, &ok1);
    int32_t line = pcvalue(p, fn, rd32(fn->f + 24), pc, &ok2);
    *file = ok1 ? file_of(p, fn->f, fileno) : NULL;
    return ok2 && line > 0 ? line : 0;
}

int pcln_spdelta(const struct lc_pcln *p, const struct lc_pcln_func *fn, uint64_t pc)
{
    int ok;
    int32_t d = pcvalue(p, fn, rd32(fn->f + 16), pc, &ok);
    return ok && d >= 0 ? d : -1;
}

static int is_autogenerated(const char *file)
{
    return file && strcmp(file, "<autogenerated>") == 0;
}

int pcln_frames(const struct lc_pcln *p, uint64_t pc, struct lc_pcln_frame *out, int max)
{
    struct lc_pcln_func fn;
    if (max <= 0 || !pcln_func(p, pc, &fn))
        return 0;
    size_t left = 0;
    const uint8_t *tree = funcdata(p, fn.f, FUNCDATA_INLTREE, &left);
    uint32_t ixoff = pcdata_off(p, fn.f, PCDATA_INLTREE);
    size_t esz = p->v120 ? 16 : 20;       /* inlinedCall */
    int n = 0;
    /* Inlined calls: each level names the inlined function; the position is the innermost one at this pc,
     * then the call site in the caller (found at the caller instruction parentPc names). */
    for (int depth = 0; tree && ixoff && n < max - 1 && depth < 32; depth++) {
        int ok;
        int32_t ix = pcvalue(p, &fn, ixoff, pc, &ok);
        if (!ok || ix < 0 || (size_t)ix >= left / esz)
            break;
        const uint8_t *e = tree + (size_t)ix * esz;
        int32_t nameoff = (int32_t)rd32(e + (p->v120 ? 4 : 12));
        int32_t parent_pc = (int32_t)rd32(e + (p->v120 ? 8 : 16));
        uint8_t id = e[p->v120 ? 0 : 2];
        struct lc_pcln_frame *o = &out[n++];
        o->func = name_at(p, nameoff);
        o->line = pcln_line(p, &fn, pc, &o->file);
        o->wrapper = id == FUNCID_WRAPPER || is_autogenerated(o->file);
        if (parent_pc < 0)
            break;
        pc = fn.entry + (uint32_t)parent_pc;
    }
    struct lc_pcln_frame *o = &out[n++];
    o->func = pcln_name(p, &fn);
    o->line = pcln_line(p, &fn, pc, &o->file);
    o->wrapper = funcid(p, fn.f) == FUNCID_WRAPPER || is_autogenerated(o->file);
    return n;
}
