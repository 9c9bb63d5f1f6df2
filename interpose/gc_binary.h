/* A gc-built Go executable, read from its ELF file: which Go release built it, its function table, where the
 * runtime keeps its goroutine and thread lists, and the layout of the runtime structures the gc family reads.
 * Used in the process itself (the preload) and from outside it (attach): addresses are the running image's
 * (file address + load bias). */
#ifndef LC_GC_BINARY_H
#define LC_GC_BINARY_H
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "../report/pclntab.h"

/* Field ids, from gc_layout.inc. */
enum gc_field {
#define GC_FIELD(id, st, path, off119, width) GF_##id,
#define GC_FIELD_OPT GC_FIELD
#include "gc_layout.inc"
#undef GC_FIELD
#undef GC_FIELD_OPT
    GF__COUNT
};

/* Wait reasons, by Go's own words: the classes the report needs to tell apart. */
enum gc_wait { GW_OTHER = 0, GW_CHAN_RECV, GW_CHAN_SEND, GW_RECV_NIL, GW_SEND_NIL, GW_SELECT, GW_SELECT_NONE,
               GW_SEMA, GW_COND, GW_SLEEP, GW_IO, GW_SYNC_MUTEX, GW_SYNC_RWR, GW_SYNC_RWW, GW_WAITGROUP,
               GW_RUNTIME };
#define GC_NWAIT 64

#define GC_MAX_LOAD 8
struct gc_load { uint64_t vaddr, filesz, offset, memsz; int writable; };

struct gc_bin {
    const uint8_t *image;     /* the ELF file, mapped read-only */
    size_t image_size;
    uint64_t bias;            /* load bias */
    char path[512];
    char version[32];         /* "go1.19.8" */
    int major, minor;
    int cgo;                  /* linked with runtime/cgo: glibc owns the threads' TLS */
    int stripped;             /* no symbol table: addresses found from code, layout from the fallback table */
    int layout_from_dwarf;
    int layout_checked;           /* the built-in layout is of this very release (go1.19.8, measured) */
    struct gc_load load[GC_MAX_LOAD];     /* PT_LOAD segments: runtime address -> file offset */
    int nload;
    struct lc_pcln pcln;
    uint64_t pcln_addr;           /* runtime address of the function table's header (the running image's) */
    uint64_t text_lo, text_hi;    /* the executable's code (runtime addresses) */
    /* runtime variables (runtime addresses; 0 when not found) */
    uint64_t allgs, allglen, allgptr, allm, wait_strings, semtable, firstmoduledata, panicking;
    uint64_t tlsg_sym;            /* runtime.tlsg's offset in the TLS segment (0 when not found) */
    uint64_t sig;                 /* runtime.sig: os/signal's wanted and ignored signals (sigqueue.go) */
    uint64_t sig_handlers;        /* os/signal.handlers: the channels signal.Notify was given */
    int64_t tls_g;                /* offset of the running g from the thread pointer */
    size_t wait_strings_size, semtable_size, sig_size, sig_handlers_size;
    int32_t off[GF__COUNT];       /* field offsets (-1: not in this release) */
    uint8_t width[GF__COUNT];
    /* Go's status values */
    uint32_t st_runnable, st_running, st_syscall, st_waiting, st_dead, st_scan;
};

/* Read the executable at path (mapped at bias). Returns 0, or -1 with a one-line reason in err: not a Go
 * executable, a release or layout this reader does not know. */
int gc_bin_open(struct gc_bin *b, const char *path, uint64_t bias, char *err, size_t errlen);
/* The same, for a start-up that cannot wait: a release with a built-in layout takes it without reading DWARF;
 * gc_bin_verify_layout() then checks it against DWARF later (0: the same, or nothing to check against; the
 * release the table was measured on, go1.19.8, is not checked again). */
int gc_bin_open_fast(struct gc_bin *b, const char *path, uint64_t bias, char *err, size_t errlen);
int gc_bin_verify_layout(struct gc_bin *b, char *err, size_t errlen);
void gc_bin_close(struct gc_bin *b);
/* Whether the file at path is a gc-built Go executable (its build info); quick, no parsing beyond that. */
int gc_bin_is_go(const char *path, char *version, size_t vlen);
/* The load bias of the executable at path as process pid runs it (its entry point against the file's). */
int gc_load_bias(pid_t pid, const char *path, uint64_t *bias);
/* Entry address of a function by its Go name ("runtime.closechan"), 0 when missing. */
uint64_t gc_bin_func(const struct gc_bin *b, const char *name);
/* Local pointer to n bytes of the file at runtime address addr (initialised data and code only), or NULL. */
const uint8_t *gc_bin_at(const struct gc_bin *b, uint64_t addr, size_t n);
/* The runtime struct a field belongs to ("runtime.g"). */
const char *gc_layout_struct(int field);
/* The built-in (Go 1.19) offset of a field, -1 when none. */
int gc_layout_off119(int field);
/* The class of a wait reason by its text ("chan receive" ...). */
enum gc_wait gc_wait_class(const char *text);
/* Go 1.19's wait reason texts, by number: the fallback when the binary's own table cannot be read. */
const char *gc_wait_text_119(unsigned reason);
#endif
