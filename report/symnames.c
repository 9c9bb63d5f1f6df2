/* Function names for the symbolizer: from DWARF (Go names as Go prints them, C++ demangled) or from the
 * symbol table. Called by symbolize.c under its lock; results are interned (valid until symbolize_reset). */
#include "symnames.h"
#include "symbolize.h"
#include "goname.h"

#include <dlfcn.h>
#include <dwarf.h>
#include <stdlib.h>
#include <string.h>

typedef char *(*demangle_fn)(const char *, char *, size_t *, int *);

/* C++ demangling through the C++ runtime's __cxa_demangle: the program's when it has one, else libstdc++ loaded
 * here, at report time, as a private copy (RTLD_LOCAL) — never a dependency of the library; the mangled name when
 * neither is there. */
static const char *cxx_demangle(const char *sym)
{
    static demangle_fn fn;
    static int looked;
    if (!looked) {
        looked = 1;
        fn = (demangle_fn)dlsym(RTLD_DEFAULT, "__cxa_demangle");
        void *h = fn ? NULL : dlopen("libstdc++.so.6", RTLD_LAZY | RTLD_LOCAL);
        if (h)
            fn = (demangle_fn)dlsym(h, "__cxa_demangle");
    }
    int status = -1;
    char *d = fn ? fn(sym, NULL, NULL, &status) : NULL;
    const char *r = (d && status == 0) ? sym_intern(d) : sym_intern(sym);
    free(d);
    return r;
}

/* A symbol-table name made readable: Go spelling, C++ demangled, gcc clone suffixes (.part.0, .cold) cut. */
const char *symnames_symbol(const char *sym, const char *module)
{
    char buf[1024], pretty[1024];
    const char *base = module ? strrchr(module, '/') : NULL;
    base = base ? base + 1 : module;
    if (!sym || !*sym)
        return NULL;
    if (sym[0] == '_' && sym[1] == 'Z')
        return cxx_demangle(sym);
    if (goname_is_go_symbol(sym) || (base && strncmp(base, "libgo.so", 8) == 0 && strchr(sym, '.'))) {
        goname_demangle(sym, buf, sizeof buf);
        goname_pretty(buf, 0, pretty, sizeof pretty);
        return sym_intern(pretty);
    }
    const char *dot = strchr(sym, '.');
    if (dot && dot != sym) {
        size_t n = (size_t)(dot - sym) < sizeof buf - 1 ? (size_t)(dot - sym) : sizeof buf - 1;
        memcpy(buf, sym, n);
        buf[n] = 0;
        return sym_intern(buf);
    }
    return sym_intern(sym);
}

int symnames_compiler_made(const char *name)
{
    static const char *const prefixes[] = { "non-virtual thunk to ", "virtual thunk to ", "covariant return thunk to " };
    size_t n = name ? strlen(name) : 0;
    if (n > 6 && strcmp(name + n - 6, "..stub") == 0)
        return 1;
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
        if (strncmp(name ? name : "", prefixes[i], strlen(prefixes[i])) == 0)
            return 1;
    return 0;
}

static const char *attr_string(Dwarf_Die *die, int name)
{
    Dwarf_Attribute a;
    return dwarf_formstring(dwarf_attr_integrate(die, name, &a));
}

/* Whether a Go method DIE takes its receiver as *recv. gccgo gives value methods a first parameter named
 * "pointer" (a *T it copies from); pointer methods take the receiver itself, of type *T. */
static int die_ptr_receiver(Dwarf_Die *fn, const char *recv)
{
    Dwarf_Die c, t, pt;
    Dwarf_Attribute a;
    if (dwarf_child(fn, &c) != 0)
        return 0;
    do {
        if (dwarf_tag(&c) != DW_TAG_formal_parameter)
            continue;
        const char *pn = dwarf_diename(&c);
        if (pn && strcmp(pn, "pointer") == 0)
            return 0;
        if (!dwarf_formref_die(dwarf_attr_integrate(&c, DW_AT_type, &a), &t) || dwarf_tag(&t) != DW_TAG_pointer_type)
            return 0;
        if (!dwarf_formref_die(dwarf_attr(&t, DW_AT_type, &a), &pt))
            return 0;
        const char *tn = dwarf_diename(&pt);
        size_t tl = tn ? strlen(tn) : 0, rl = strlen(recv);
        return tn && (strcmp(tn, recv) == 0 || (tl > rl && tn[tl - rl - 1] == '.' && strcmp(tn + tl - rl, recv) == 0));
    } while (dwarf_siblingof(&c, &c) == 0);
    return 0;
}

struct find_fn { const char *name; Dwarf_Die die; int found; };

static int find_fn_cb(Dwarf_Die *die, void *arg)
{
    struct find_fn *f = arg;
    const char *n = dwarf_diename(die);
    if (n && strcmp(n, f->name) == 0) {
        f->die = *die;
        f->found = 1;
        return DWARF_CB_ABORT;
    }
    return DWARF_CB_OK;
}

/* Go name of a subprogram DIE as Go prints it; closures of pointer methods look the method up in the CU. */
static const char *go_die_name(Dwarf_Die *cu, Dwarf_Die *fn, const char *name)
{
    char recv[256], base[512], pretty[1024];
    int ptr = 0;
    if (goname_method(name, recv, sizeof recv, base, sizeof base)) {
        if (strcmp(base, name) == 0) {
            ptr = die_ptr_receiver(fn, recv);
        } else {
            struct find_fn f = { .name = base };
            dwarf_getfuncs(cu, find_fn_cb, &f, 0);
            ptr = f.found && die_ptr_receiver(&f.die, recv);
        }
    }
    goname_pretty(name, ptr, pretty, sizeof pretty);
    return sym_intern(pretty);
}

/* Function name of a subprogram or inlined-subroutine DIE, NULL when DWARF has none. */
const char *symnames_die(Dwarf_Die *cu, Dwarf_Die *die, int lang, const char *sym)
{
    const char *name;
    if (lang == DW_LANG_C_plus_plus || lang == DW_LANG_C_plus_plus_03 || lang == DW_LANG_C_plus_plus_11 ||
        lang == DW_LANG_C_plus_plus_14) {
        name = attr_string(die, DW_AT_linkage_name);
        if (!name)
            name = attr_string(die, DW_AT_MIPS_linkage_name);
        if (name)
            return cxx_demangle(name);
    }
    name = attr_string(die, DW_AT_name);
    if (!name)
        return NULL;
    if (lang == DW_LANG_Go) {
        /* the same as the symbol (internal_1poll.runtime__pollWait): written as the assembler does, escapes
         * and all; a plain name with an underscore never equals its symbol, which doubles it */
        char plain[1024];
        if (sym && strcmp(name, sym) == 0) {
            goname_demangle(name, plain, sizeof plain);
            name = plain;
        }
        return go_die_name(cu, die, name);
    }
    return sym_intern(name);
}
