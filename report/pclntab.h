/* Go's own function table (pclntab) of a gc-built module: the function, file:line and inlined calls at a pc, and
 * the frame size an unwinder needs there. This is what Go's tracebacks read; it is present in stripped binaries
 * too. Works on the table's bytes wherever they are (the mapped image, or the ELF file for another process).
 * Every read is bounds-checked: the bytes may come from a binary that is not what it claims to be. */
#ifndef LC_PCLNTAB_H
#define LC_PCLNTAB_H
#include <stddef.h>
#include <stdint.h>

/* pcHeader magics: 1.18-1.19 and 1.20 and later (the _func record and the inline tree differ). */
#define LC_PCLN_MAGIC_118 0xfffffff0u
#define LC_PCLN_MAGIC_120 0xfffffff1u

struct lc_pcln {
    const uint8_t *hdr;       /* pcHeader */
    size_t size;              /* bytes readable from hdr */
    int v120;                 /* 1.20+ layout */
    uint64_t text;            /* runtime address functab entries are relative to (textStart + load bias) */
    uint32_t nfunc;
    const uint8_t *names, *cutab, *files, *pctab, *ftab;
    uint64_t lo, hi;          /* pcs covered: [lo, hi) */
    const uint8_t *gofunc;    /* go:func.* data (funcdata offsets are relative to it); NULL: no inline tree */
    size_t gofunc_size;
};

/* A function of the table. */
struct lc_pcln_func {
    const uint8_t *f;         /* its _func record */
    uint64_t entry;           /* runtime address */
    uint64_t end;             /* the next function's entry */
};

/* One frame at a pc, inlined calls expanded. */
struct lc_pcln_frame {
    const char *func;         /* points into the table (NUL-terminated) */
    const char *file;         /* likewise; NULL when unknown */
    int line;
    uint8_t wrapper;          /* a compiler-generated wrapper (Go's tracebacks elide these) */
};

/* Check the header at hdr (size bytes readable) and set p up; bias is the load bias of the module (0 when not
 * relocated). Returns 0, or -1 with a one-line reason in err. */
int pcln_init(struct lc_pcln *p, const uint8_t *hdr, size_t size, uint64_t bias, char *err, size_t errlen);
/* The function containing pc; returns 1 when found. */
int pcln_func(const struct lc_pcln *p, uint64_t pc, struct lc_pcln_func *fn);
/* The function's name (never NULL: "?" when out of bounds). */
const char *pcln_name(const struct lc_pcln *p, const struct lc_pcln_func *fn);
/* The function with exactly this name (linear: for start-up lookups); returns 1 when found. */
int pcln_lookup(const struct lc_pcln *p, const char *name, struct lc_pcln_func *fn);
/* Source position of pc inside fn: the innermost (inlined) one. Returns the line, 0 when unknown. */
int pcln_line(const struct lc_pcln *p, const struct lc_pcln_func *fn, uint64_t pc, const char **file);
/* Bytes between the stack pointer at pc and the frame's return address (amd64), or -1 when unknown. */
int pcln_spdelta(const struct lc_pcln *p, const struct lc_pcln_func *fn, uint64_t pc);
/* Frames at pc, innermost (inlined) first, the physical function last; pc is looked up as given (pass a
 * return address minus one for a caller frame). Returns how many (0: pc is in no function of the table). */
int pcln_frames(const struct lc_pcln *p, uint64_t pc, struct lc_pcln_frame *out, int max);
#endif
