/* Address -> function, file:line. dladdr for the symbol, libdwfl for DWARF lines; Go names shown as Go prints
 * them (main.(*T).emit). Results are cached; strings live until symbolize_reset(). */
#ifndef LC_SYMBOLIZE_H
#define LC_SYMBOLIZE_H
#include <stdint.h>
#include <sys/types.h>

struct lc_frame {
    uintptr_t pc;
    const char *func;         /* never NULL: "??" when unknown */
    const char *file;         /* NULL when unknown; path as DWARF gives it */
    int line;                 /* 0 when unknown */
    const char *module;       /* shared object or executable path */
    int wrapper;              /* compiler-generated (a gc build's go-statement and method wrappers, gccgo's
                               * ..stub methods, C++ thunks): not shown, the caller's line stands for the site */
    uintptr_t offset;         /* pc - the module's load address (meaningful when module is set) */
};

/* pc is a return address (the caller's pc is pc-1 for line lookup) unless exact is set. */
void symbolize(uintptr_t pc, int exact, struct lc_frame *out);
/* Like symbolize(), expanding inlined calls: out[0] is the innermost (inlined) function at pc with its
 * file:line, out[n-1] the function the code physically belongs to with the line of the inlined call in it.
 * Returns n (1..max; always at least one frame). */
int symbolize_inline(uintptr_t pc, int exact, struct lc_frame *out, int max);
/* For a return address pc in a shared library of this process (not the main executable, nor a gc-built Go
 * module): its function's name from the library's symbol table alone, and its module, in out; returns 1. Reads
 * no DWARF: what a report does not show (a library's start-up and thread plumbing) never costs its debug
 * information. Returns 0 for any other pc. */
int symbolize_library_symbol(uintptr_t pc, struct lc_frame *out);
/* Whether pc lies in the shim library itself (libleakcheck.so). Always 0 when the shim's code is linked into
 * the main executable (unit tests), where no frame can be told apart that way. */
int symbolize_is_shim(uintptr_t pc);
struct lc_pcln;
/* A gc-built Go module: pcs inside its function table are symbolized from it (p must stay valid); goroot is
 * GOROOT/src/ as its table spells file names ("" when unknown). */
void symbolize_add_go(const struct lc_pcln *p, const char *module, const char *goroot);
/* Whether a frame of a gc-built module is the Go distribution's own code (runtime, standard library). */
int symbolize_is_go_std(const struct lc_frame *f);
/* Interned copy of s, valid until symbolize_reset() (for symnames.c; called with symbolize.c's lock held). */
const char *sym_intern(const char *s);
/* Symbolize the pcs of another process (the attach tool): its modules from /proc/PID/maps, nothing from this
 * process's own loader. Call before the first lookup; pid 0 (the default) is this process. */
void symbolize_set_process(pid_t pid);
/* Forget cached modules (after dlopen/dlclose) and free the cache. */
void symbolize_reset(void);
/* How many resets so far: what was learnt of an earlier generation's strings is gone. */
unsigned symbolize_generation(void);
#endif
