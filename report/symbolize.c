/* Address -> function, file:line for the live process (or, for the attach tool, another one), with libdwfl
 * (elfutils). Runs only on the report path
 * (exit, dump thread), never in a signal handler, so it may use malloc. Every answer is cached by pc; all
 * strings are interned and stay valid until symbolize_reset(). One lock serialises everything here. */
#include "symbolize.h"
#include "pclntab.h"
#include "symnames.h"
#include "../runtime/lock.h"
#include "../runtime/shim_fd.h"

#include <dlfcn.h>
#include <dwarf.h>
#include <elfutils/libdwfl.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <uthash.h>

#define INL_MAX 8             /* inlined calls kept per pc */
#define MAX_REFRESH 8         /* re-reads of /proc/PID/maps when a pc is in no known module */

struct sym_entry {
    uint64_t key;             /* pc << 2 | symbol table only << 1 | exact */
    int n;
    struct lc_frame f[INL_MAX];
    UT_hash_handle hh;
};

struct str_entry {
    UT_hash_handle hh;
    char s[];
};

static lc_lock_t sym_lock = LC_LOCK_INIT;
static Dwfl *dwfl;
static int refreshes;
static struct sym_entry *cache;
static struct str_entry *strs;
static char *debuginfo_path;
static pid_t other_pid;        /* the process symbolized, when not this one */
/* Separate debug info, from local files only. dwfl_standard_find_debuginfo ends with a debuginfod download
 * when DEBUGINFOD_URLS is set: a report must never wait on the network. */
static int find_debuginfo_local(Dwfl_Module *mod, void **userdata, const char *modname, GElf_Addr base,
                                const char *file_name, const char *debuglink, GElf_Word crc, char **debuginfo_name)
{
    char path[4096], dir[4096];
    int fd = dwfl_build_id_find_debuginfo(mod, userdata, modname, base, file_name, debuglink, crc, debuginfo_name);
    if (fd >= 0 || !debuglink || !file_name)
        return fd;
    /* the .gnu_debuglink places: next to the file, in .debug/ there, under /usr/lib/debug */
    const char *slash = strrchr(file_name, '/');
    size_t dl = slash ? (size_t)(slash - file_name) : 0;
    if (dl >= sizeof dir)
        return -1;
    memcpy(dir, file_name, dl);
    dir[dl] = 0;
    static const char *const fmt[] = { "%s/%s", "%s/.debug/%s", "/usr/lib/debug%s/%s" };
    for (size_t i = 0; i < sizeof fmt / sizeof fmt[0]; i++) {
        int n = snprintf(path, sizeof path, fmt[i], dir, debuglink);
        if (n < 0 || (size_t)n >= sizeof path || strcmp(path, file_name) == 0)
            continue;
        fd = lc_fd_hide((int)syscall(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC));
        if (fd >= 0) {
            *debuginfo_name = strdup(path);
            return fd;
        }
    }
    return -1;
}

static const Dwfl_Callbacks callbacks = {
    .find_elf = dwfl_linux_proc_find_elf,
    .find_debuginfo = find_debuginfo_local,
    .debuginfo_path = &debuginfo_path,
};

/* Interned copy of s (NULL stays NULL). */
const char *sym_intern(const char *s)
{
    struct str_entry *e;
    if (!s)
        return NULL;
    size_t n = strlen(s);
    HASH_FIND(hh, strs, s, n, e);
    if (e)
        return e->s;
    e = malloc(sizeof *e + n + 1);
    if (!e)
        return NULL;
    memcpy(e->s, s, n + 1);
    HASH_ADD_KEYPTR(hh, strs, e->s, n, e);
    return e->s;
}

/* Report every object the dynamic loader has mapped: the fallback when /proc/PID (auxv, maps) cannot be read,
 * as in a setuid program. */
static int report_phdr_cb(struct dl_phdr_info *info, size_t size, void *arg)
{
    const char *name = info->dlpi_name;
    (void)size;
    if (!name || !*name)                   /* the main program */
        name = (const char *)getauxval(AT_EXECFN);
    if (name && strchr(name, '/'))          /* a path (not linux-vdso.so.1) */
        dwfl_report_elf(arg, name, name, -1, info->dlpi_addr, false);
    return 0;
}

/* (Re)read the module list of this process. */
static void dwfl_load(void)
{
    if (!dwfl) {
        dwfl = dwfl_begin(&callbacks);
        if (!dwfl)
            return;
        dwfl_report_begin(dwfl);
    } else {
        dwfl_report_begin_add(dwfl);
    }
    if (dwfl_linux_proc_report(dwfl, other_pid ? other_pid : getpid()) != 0 && !other_pid)
        dl_iterate_phdr(report_phdr_cb, dwfl);
    dwfl_report_end(dwfl, NULL, NULL);
}

static const char *cu_file(Dwarf_Die *cu, Dwarf_Word idx)
{
    Dwarf_Files *files;
    size_t nf;
    if (dwarf_getsrcfiles(cu, &files, &nf) != 0 || idx >= nf)
        return NULL;
    return dwarf_filesrc(files, idx, NULL, NULL);
}

/* file made absolute against the compilation directory, "." and ".." folded: DWARF often names sources
 * relative to where the compiler ran, or as dir/../file. Returns an interned string. */
static const char *abs_file(const char *comp_dir, const char *file)
{
    char buf[4096];
    if (!file)
        return NULL;
    int n = file[0] == '/' || !comp_dir || !*comp_dir ? snprintf(buf, sizeof buf, "%s", file)
                                                      : snprintf(buf, sizeof buf, "%s/%s", comp_dir, file);
    if (n < 0 || (size_t)n >= sizeof buf)
        return sym_intern(file);
    if (buf[0] != '/')
        return sym_intern(buf);                /* relative and no directory to anchor it: leave as is */
    /* fold components in place: out grows behind in */
    char *out = buf, *in = buf;
    while (*in) {
        while (*in == '/')
            in++;
        char *end = strchr(in, '/');
        size_t n = end ? (size_t)(end - in) : strlen(in);
        if (n == 0 || (n == 1 && in[0] == '.')) {
            /* skip */
        } else if (n == 2 && in[0] == '.' && in[1] == '.') {
            while (out > buf && *--out != '/')
                ;
        } else {
            *out++ = '/';
            memmove(out, in, n);
            out += n;
        }
        in += n;
    }
    if (out == buf)
        *out++ = '/';
    *out = 0;
    return sym_intern(buf);
}

/* ---- lookup ------------------------------------------------------------------------------------------- */

/* Fill e->f[] from DWARF: innermost inlined function first, the physical function last (sym: the symbol-table
 * name at addr, or NULL). */
static void dwarf_frames(Dwfl_Module *mod, Dwarf_Addr addr, int exact, const char *sym, struct sym_entry *e)
{
    Dwarf_Addr bias = 0;
    Dwarf_Die *cu = dwfl_module_addrdie(mod, addr, &bias);
    const char *file = NULL;
    int line = 0;
    Dwfl_Line *dl = dwfl_module_getsrc(mod, addr);
    if (dl)
        file = dwfl_lineinfo(dl, NULL, &line, NULL, NULL, NULL);
    Dwarf_Attribute ca;
    const char *comp_dir = cu ? dwarf_formstring(dwarf_attr(cu, DW_AT_comp_dir, &ca)) : NULL;
    e->f[0].file = abs_file(comp_dir, file);
    e->f[0].line = file ? line : 0;
    if (!cu)
        return;
    /* dwarf_getscopes follows an inlined function to its abstract origin; the concrete chain of callers comes
     * from the lexical parents of the innermost scope */
    Dwarf_Die *scopes = NULL, *chain = NULL;
    int ns = dwarf_getscopes(cu, addr - bias, &scopes);
    if (ns > 0) {
        Dwarf_Die inner = scopes[0];
        free(scopes);
        scopes = NULL;
        ns = dwarf_getscopes_die(&inner, &chain);
        scopes = chain;
    }
    int lang = dwarf_srclang(cu);
    for (int i = 0; i < ns && e->n < INL_MAX; i++) {
        int tag = dwarf_tag(&scopes[i]);
        if (tag != DW_TAG_subprogram && tag != DW_TAG_inlined_subroutine)
            continue;
        struct lc_frame *f = &e->f[e->n++];
        f->file = abs_file(comp_dir, file);
        f->line = file ? line : 0;
        f->func = symnames_die(cu, &scopes[i], lang, tag == DW_TAG_subprogram ? sym : NULL);
        if (tag == DW_TAG_subprogram) {
            /* a function's own address (a start routine): its declaration, whatever the optimiser put first */
            Dwarf_Addr lo;
            int dl;
            const char *df;
            if (exact && e->n == 1 && dwarf_lowpc(&scopes[i], &lo) == 0 && lo == addr - bias &&
                dwarf_decl_line(&scopes[i], &dl) == 0 && (df = dwarf_decl_file(&scopes[i])) != NULL) {
                f->file = abs_file(comp_dir, df);
                f->line = dl;
            }
            break;
        }
        /* the next outer function is at this inlined call's site */
        Dwarf_Attribute a;
        Dwarf_Word cf = 0, cl = 0;
        if (dwarf_formudata(dwarf_attr(&scopes[i], DW_AT_call_file, &a), &cf) == 0 &&
            dwarf_formudata(dwarf_attr(&scopes[i], DW_AT_call_line, &a), &cl) == 0) {
            file = cu_file(cu, cf);
            line = (int)cl;
        } else {
            file = NULL;
            line = 0;
        }
    }
    free(scopes);
}

/* gc-built Go modules: their own function table, which knows every function and line (DWARF is not needed,
 * and libdwfl cannot map Go's pcs to lines anyway). */
#define GO_MODS 4
static struct { const struct lc_pcln *p; char *module, *goroot; } go_mods[GO_MODS];
static int ngo;

void symbolize_add_go(const struct lc_pcln *p, const char *module, const char *goroot)
{
    lc_lock(&sym_lock);
    if (ngo < GO_MODS) {
        go_mods[ngo].p = p;
        go_mods[ngo].goroot = strdup(goroot ? goroot : "");
        go_mods[ngo++].module = strdup(module);
    }
    lc_unlock(&sym_lock);
}

int symbolize_is_go_std(const struct lc_frame *f)
{
    if (!f->module || !f->func)
        return 0;
    for (int m = 0; m < ngo; m++) {
        if (strcmp(f->module, go_mods[m].module) != 0)
            continue;
        if (strncmp(f->func, "runtime.", 8) == 0)
            return 1;
        size_t n = strlen(go_mods[m].goroot);
        return n && f->file && strncmp(f->file, go_mods[m].goroot, n) == 0;
    }
    return 0;
}

static int go_resolve(uintptr_t pc, int exact, struct sym_entry *e)
{
    for (int m = 0; m < ngo; m++) {
        const struct lc_pcln *p = go_mods[m].p;
        if (pc < p->lo || pc > p->hi)
            continue;
        struct lc_pcln_frame f[INL_MAX];
        int n = pcln_frames(p, exact ? pc : pc - 1, f, INL_MAX);
        if (n == 0)
            return 0;
        e->n = 0;
        for (int i = 0; i < n; i++) {
            if (f[i].wrapper && e->n + (n - i) > 1)
                continue;                  /* compiler-made wrappers: Go's tracebacks leave them out too */
            struct lc_frame *o = &e->f[e->n++];
            o->wrapper = f[i].wrapper;
            o->pc = pc;
            o->func = sym_intern(f[i].func);
            o->file = sym_intern(f[i].file);
            o->line = f[i].file ? f[i].line : 0;
            o->module = sym_intern(go_mods[m].module);
        }
        return e->n > 0;
    }
    return 0;
}

/* The exported function of this process that holds addr, from the loader's dynamic symbol table (its pages are
 * resident already: the loader bound the program's calls through it), or NULL. A symbol whose size does not
 * cover addr is no answer: addr is then in a local function that only the full symbol table names. */
static const char *loader_symbol(Dwarf_Addr addr)
{
    Dl_info di;
    const ElfW(Sym) *sym = NULL;
    if (other_pid || !dladdr1((void *)(uintptr_t)addr, &di, (void **)&sym, RTLD_DL_SYMENT) || !di.dli_sname ||
        !sym || !sym->st_size)
        return NULL;
    uintptr_t lo = (uintptr_t)di.dli_saddr;
    return addr >= lo && addr - lo < sym->st_size ? di.dli_sname : NULL;
}

/* symbol: from the symbol table only, never DWARF (one frame, no file:line). The loader's table first: a full
 * symbol table read for a frame the report only checks by name (a library's thread-start plumbing, libgo's
 * runtime.kickoff) would make resident megabytes of a large library (libgo's is 4 MiB) that the report never
 * prints from. */
static void resolve(uintptr_t pc, int exact, int symbol, struct sym_entry *e)
{
    if (!symbol && go_resolve(pc, exact, e))
        return;
    Dwarf_Addr addr = exact ? pc : pc - 1, base = 0;
    Dwfl_Module *mod = NULL;
    const char *module = NULL, *sym = NULL;

    if (!dwfl)
        dwfl_load();
    if (dwfl && !(mod = dwfl_addrmodule(dwfl, addr)) && refreshes < MAX_REFRESH) {
        refreshes++;                       /* a library loaded since: read the maps again */
        dwfl_load();
        mod = dwfl ? dwfl_addrmodule(dwfl, addr) : NULL;
    }
    e->n = 0;
    if (mod) {
        module = dwfl_module_info(mod, NULL, &base, NULL, NULL, NULL, NULL, NULL);
        if (!symbol || !(sym = loader_symbol(addr)))
            sym = dwfl_module_addrname(mod, addr);
        if (!symbol)
            dwarf_frames(mod, addr, exact, sym, e);
    }
    Dl_info di;
    /* this process's own loader knows its modules (never another process's) */
    if ((!sym || !module) && !other_pid && dladdr((void *)addr, &di)) {
        if (!sym)
            sym = di.dli_sname;
        if (!module) {
            module = di.dli_fname;
            base = (Dwarf_Addr)(uintptr_t)di.dli_fbase;
        }
    }
    if (e->n == 0)
        e->n = 1;                          /* no DWARF function: one frame, file:line from dwarf_frames or none */
    struct lc_frame *phys = &e->f[e->n - 1];
    if (!phys->func)
        phys->func = symnames_symbol(sym, module);
    module = sym_intern(module);
    for (int i = 0; i < e->n; i++) {
        e->f[i].pc = pc;
        e->f[i].module = module;
        e->f[i].offset = module && base <= pc ? pc - (uintptr_t)base : pc;
        if (!e->f[i].func)
            e->f[i].func = "??";
        e->f[i].wrapper = symnames_compiler_made(e->f[i].func);   /* as a gc build's wrappers: not shown */
    }
}

static struct sym_entry *lookup(uintptr_t pc, int exact, int symbol)
{
    uint64_t key = ((uint64_t)pc << 2) | (symbol ? 2 : 0) | (exact ? 1 : 0);
    struct sym_entry *e;
    HASH_FIND(hh, cache, &key, sizeof key, e);
    if (e)
        return e;
    e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    e->key = key;
    resolve(pc, exact, symbol, e);
    HASH_ADD(hh, cache, key, sizeof e->key, e);
    return e;
}

int symbolize_inline(uintptr_t pc, int exact, struct lc_frame *out, int max)
{
    int saved = errno, n = 0;
    if (max <= 0)
        return 0;
    lc_lock(&sym_lock);
    struct sym_entry *e = lookup(pc, exact, 0);
    if (e) {
        n = e->n < max ? e->n : max;
        memcpy(out, e->f, (size_t)n * sizeof *out);
        if (n < e->n)                      /* keep the physical function when out is short */
            out[n - 1] = e->f[e->n - 1];
    }
    lc_unlock(&sym_lock);
    if (n == 0) {
        out[0] = (struct lc_frame){ .pc = pc, .func = "??" };
        n = 1;
    }
    errno = saved;
    return n;
}

void symbolize(uintptr_t pc, int exact, struct lc_frame *out)
{
    int saved = errno;
    lc_lock(&sym_lock);
    struct sym_entry *e = lookup(pc, exact, 0);
    if (e)
        *out = e->f[0];                    /* the innermost function: the line is in it */
    else
        *out = (struct lc_frame){ .pc = pc, .func = "??" };
    lc_unlock(&sym_lock);
    errno = saved;
}

/* The main executable's load segments (the first object the loader reports), found once. */
static struct { uintptr_t lo, hi; } main_seg[8];
static int main_nseg = -1;

static int main_seg_cb(struct dl_phdr_info *info, size_t size, void *arg)
{
    (void)size;
    (void)arg;
    main_nseg = 0;
    for (int i = 0; i < info->dlpi_phnum && main_nseg < 8; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type == PT_LOAD) {
            main_seg[main_nseg].lo = info->dlpi_addr + ph->p_vaddr;
            main_seg[main_nseg].hi = main_seg[main_nseg].lo + ph->p_memsz;
            main_nseg++;
        }
    }
    return 1;
}

int symbolize_library_symbol(uintptr_t pc, struct lc_frame *out)
{
    int saved = errno, lib = 0;
    lc_lock(&sym_lock);
    if (main_nseg < 0)
        dl_iterate_phdr(main_seg_cb, NULL);
    /* another process (attach) is symbolized as it is: not its memory that a report costs */
    int other = other_pid != 0 || main_nseg <= 0;
    for (int i = 0; i < main_nseg && !other; i++)
        other = pc - 1 - main_seg[i].lo < main_seg[i].hi - main_seg[i].lo;
    for (int m = 0; m < ngo && !other; m++)
        other = pc >= go_mods[m].p->lo && pc <= go_mods[m].p->hi;   /* gc-built: its own table */
    struct sym_entry *e = other ? NULL : lookup(pc, 0, 1);
    if (e) {
        *out = e->f[0];
        lib = 1;
    }
    lc_unlock(&sym_lock);
    errno = saved;
    return lib;
}

void symbolize_set_process(pid_t pid)
{
    lc_lock(&sym_lock);
    other_pid = pid == getpid() ? 0 : pid;
    lc_unlock(&sym_lock);
}

static unsigned generation;

unsigned symbolize_generation(void)
{
    return __atomic_load_n(&generation, __ATOMIC_ACQUIRE);
}

void symbolize_reset(void)
{
    struct sym_entry *e, *et;
    struct str_entry *s, *st;
    lc_lock(&sym_lock);
    __atomic_add_fetch(&generation, 1, __ATOMIC_ACQ_REL);
    HASH_ITER(hh, cache, e, et) {
        HASH_DEL(cache, e);
        free(e);
    }
    HASH_ITER(hh, strs, s, st) {
        HASH_DEL(strs, s);
        free(s);
    }
    if (dwfl)
        dwfl_end(dwfl);
    dwfl = NULL;
    refreshes = 0;
    lc_unlock(&sym_lock);
}
