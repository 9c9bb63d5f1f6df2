/* Reading a gc-built Go executable from its file: build info (the Go release), the function table, the runtime
 * variables the goroutine reader needs (from the symbol table, or for a stripped binary from the code of the
 * runtime function that reads them); the struct layouts come from gc_layout.c. */
#include "gc_binary.h"
#include "gc_layout.h"
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static const char build_magic[] = "\xff Go buildinf:";

/* ---- the file ---------------------------------------------------------------------------------------------- */

static int map_file(struct gc_bin *b, const char *path, char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || st.st_size < 64) {
        snprintf(err, errlen, "cannot read the executable %s", path);
        if (fd >= 0)
            close(fd);
        return -1;
    }
    /* writable (private) because libelf rewrites the headers of the compressed DWARF sections it inflates */
    void *m = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    close(fd);
    if (m == MAP_FAILED) {
        snprintf(err, errlen, "cannot map the executable %s", path);
        return -1;
    }
    b->image = m;
    b->image_size = (size_t)st.st_size;
    snprintf(b->path, sizeof b->path, "%s", path);
    return 0;
}

/* File offset of runtime address addr, with n bytes present in the file; -1 when not file-backed. */
static long file_off(const struct gc_bin *b, uint64_t addr, size_t n)
{
    uint64_t va = addr - b->bias;
    for (int i = 0; i < b->nload; i++) {
        const struct gc_load *l = &b->load[i];
        if (va >= l->vaddr && va + n <= l->vaddr + l->filesz && l->offset + (va - l->vaddr) + n <= b->image_size)
            return (long)(l->offset + (va - l->vaddr));
    }
    return -1;
}

static Elf *elf_of(const struct gc_bin *b)
{
    return elf_memory((char *)(uintptr_t)b->image, b->image_size);
}

static void read_loads(struct gc_bin *b, Elf *elf)
{
    size_t np;
    if (elf_getphdrnum(elf, &np) != 0)
        return;
    for (size_t i = 0; i < np && b->nload < GC_MAX_LOAD; i++) {
        GElf_Phdr ph;
        if (!gelf_getphdr(elf, (int)i, &ph))
            continue;
        if (ph.p_type == PT_LOAD)
            b->load[b->nload++] = (struct gc_load){ ph.p_vaddr, ph.p_filesz, ph.p_offset, ph.p_memsz,
                                                    (ph.p_flags & PF_W) != 0 };
        else if (ph.p_type == PT_TLS)     /* the executable's TLS block ends at the thread pointer */
            b->tls_g = -(int64_t)((ph.p_memsz + (ph.p_align ? ph.p_align : 1) - 1) & ~((ph.p_align ? ph.p_align : 1) - 1));
    }
}

const uint8_t *gc_bin_at(const struct gc_bin *b, uint64_t addr, size_t n)
{
    long off = file_off(b, addr, n);
    return off < 0 ? NULL : b->image + off;
}

static Elf_Scn *section(Elf *elf, const char *name, GElf_Shdr *sh)
{
    size_t shstr;
    if (elf_getshdrstrndx(elf, &shstr) != 0)
        return NULL;
    for (Elf_Scn *s = elf_nextscn(elf, NULL); s; s = elf_nextscn(elf, s)) {
        const char *n = gelf_getshdr(s, sh) ? elf_strptr(elf, shstr, sh->sh_name) : NULL;
        if (n && strcmp(n, name) == 0)
            return s;
    }
    return NULL;
}

/* ---- build info -------------------------------------------------------------------------------------------- */

/* The version string of the build info blob at p (left bytes readable), as Go 1.18+ writes it inline. */
static int build_version(const uint8_t *p, size_t left, char *out, size_t outlen)
{
    if (left < 48 || memcmp(p, build_magic, 14) != 0 || p[14] != 8 || !(p[15] & 2))
        return -1;                        /* 1.18+ inline strings only (older releases have no usable pclntab) */
    size_t len = 0, at = 32;
    for (int shift = 0; at < left && shift < 28; shift += 7) {
        uint8_t c = p[at++];
        len |= (size_t)(c & 0x7f) << shift;
        if (!(c & 0x80))
            break;
    }
    if (len == 0 || len >= outlen || at + len > left)
        return -1;
    memcpy(out, p + at, len);
    out[len] = 0;
    return strncmp(out, "go", 2) == 0 ? 0 : -1;
}

/* Find the build info: its section, or (section headers gone) a 16-byte aligned scan of the file. */
static int find_version(const uint8_t *img, size_t size, Elf *elf, char *out, size_t outlen)
{
    GElf_Shdr sh;
    if (elf && section(elf, ".go.buildinfo", &sh) && sh.sh_offset < size)
        return build_version(img + sh.sh_offset, size - sh.sh_offset, out, outlen);
    for (size_t off = 0; off + 48 <= size; off += 16)
        if (img[off] == 0xff && memcmp(img + off, build_magic, 14) == 0)
            return build_version(img + off, size - off, out, outlen);
    return -1;
}

int gc_bin_is_go(const char *path, char *version, size_t vlen)
{
    struct gc_bin b;
    char err[16];
    memset(&b, 0, sizeof b);
    if (map_file(&b, path, err, sizeof err) != 0)
        return 0;
    elf_version(EV_CURRENT);
    Elf *elf = elf_of(&b);
    int r = elf && elf_kind(elf) == ELF_K_ELF && find_version(b.image, b.image_size, elf, version, vlen) == 0;
    if (elf)
        elf_end(elf);
    munmap((void *)(uintptr_t)b.image, b.image_size);
    return r;
}

/* ---- symbols ----------------------------------------------------------------------------------------------- */

static const struct { const char *name; size_t at, size_at; } wanted[] = {
    { "runtime.allgs", offsetof(struct gc_bin, allgs), 0 },
    { "runtime.allglen", offsetof(struct gc_bin, allglen), 0 },
    { "runtime.allgptr", offsetof(struct gc_bin, allgptr), 0 },
    { "runtime.allm", offsetof(struct gc_bin, allm), 0 },
    { "runtime.waitReasonStrings", offsetof(struct gc_bin, wait_strings), offsetof(struct gc_bin, wait_strings_size) },
    { "runtime.semtable", offsetof(struct gc_bin, semtable), offsetof(struct gc_bin, semtable_size) },
    { "runtime.firstmoduledata", offsetof(struct gc_bin, firstmoduledata), 0 },
    { "runtime.panicking", offsetof(struct gc_bin, panicking), 0 },
    { "runtime.tlsg", offsetof(struct gc_bin, tlsg_sym), 0 },
    { "runtime.sig", offsetof(struct gc_bin, sig), offsetof(struct gc_bin, sig_size) },
    { "os/signal.handlers", offsetof(struct gc_bin, sig_handlers), offsetof(struct gc_bin, sig_handlers_size) },
};

static void read_symbols(struct gc_bin *b, Elf *elf, uint64_t *gofunc)
{
    GElf_Shdr sh;
    Elf_Scn *s = section(elf, ".symtab", &sh);
    Elf_Data *d = s ? elf_getdata(s, NULL) : NULL;
    if (!d || sh.sh_entsize == 0) {
        b->stripped = 1;
        return;
    }
    size_t n = sh.sh_size / sh.sh_entsize;
    for (size_t i = 0; i < n; i++) {
        GElf_Sym sym;
        const char *name = gelf_getsym(d, (int)i, &sym) ? elf_strptr(elf, sh.sh_link, sym.st_name) : NULL;
        if (!name || (strncmp(name, "runtime.", 8) != 0 && strncmp(name, "os/signal.", 10) != 0)) {
            if (name && (strcmp(name, "go.func.*") == 0 || strcmp(name, "go:func.*") == 0))
                *gofunc = sym.st_value + b->bias;
            continue;
        }
        for (size_t w = 0; w < sizeof wanted / sizeof wanted[0]; w++)
            if (strcmp(name, wanted[w].name) == 0) {
                *(uint64_t *)((char *)b + wanted[w].at) = sym.st_value + (GELF_ST_TYPE(sym.st_info) == STT_TLS ? 0 : b->bias);
                if (wanted[w].size_at)
                    *(size_t *)((char *)b + wanted[w].size_at) = sym.st_size;
            }
        if (strcmp(name, "runtime.iscgo") == 0) {
            const uint8_t *v = gc_bin_at(b, sym.st_value + b->bias, 1);
            b->cgo = v && *v;
        }
    }
}

int gc_load_bias(pid_t pid, const char *path, uint64_t *bias)
{
    char p[64];
    snprintf(p, sizeof p, "/proc/%d/auxv", (int)pid);
    int fd = open(p, O_RDONLY | O_CLOEXEC);
    uint64_t av[2], entry = 0;
    if (fd < 0)
        return -1;
    while (read(fd, av, sizeof av) == (ssize_t)sizeof av && av[0] != 0)
        if (av[0] == 9)                   /* AT_ENTRY */
            entry = av[1];
    close(fd);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    Elf64_Ehdr eh;
    int ok = fd >= 0 && read(fd, &eh, sizeof eh) == (ssize_t)sizeof eh && memcmp(eh.e_ident, ELFMAG, SELFMAG) == 0;
    if (fd >= 0)
        close(fd);
    if (!ok || !entry)
        return -1;
    *bias = entry - eh.e_entry;
    return 0;
}

uint64_t gc_bin_func(const struct gc_bin *b, const char *name)
{
    struct lc_pcln_func fn;
    return pcln_lookup(&b->pcln, name, &fn) ? fn.entry : 0;
}

/* The addresses the first rip-relative instructions of opcode op (0x8b mov, 0x8d lea; 64-bit operand) in the
 * first bytes of function fn refer to; returns how many (at most max). */
static int rip_refs(const struct gc_bin *b, const char *fn_name, uint8_t op, uint64_t *out, int max)
{
    uint64_t fn = gc_bin_func(b, fn_name);
    const uint8_t *code = fn ? gc_bin_at(b, fn, 1024) : NULL;
    int k = 0;
    for (int i = 0; code && i + 7 <= 1024 && k < max; i++) {
        /* REX.W (48 or 4c), the opcode, ModRM with mod 00 and r/m 101 (rip-relative) */
        if ((code[i] == 0x48 || code[i] == 0x4c) && code[i + 1] == op && (code[i + 2] & 0xc7) == 0x05) {
            int32_t disp;
            memcpy(&disp, code + i + 3, 4);
            out[k++] = fn + (uint64_t)i + 7 + (uint64_t)(int64_t)disp;
            i += 6;
        }
    }
    return k;
}

/* Whether the runtime address addr is in the executable's writable data (where the runtime's variables are). */
static int in_data(const struct gc_bin *b, uint64_t addr)
{
    for (int i = 0; i < b->nload; i++)
        if (b->load[i].writable && addr - b->bias >= b->load[i].vaddr &&
            addr - b->bias < b->load[i].vaddr + b->load[i].memsz)
            return 1;
    return 0;
}

/* Stripped binaries: runtime.forEachGRace begins by loading allglen, then allgptr (atomicAllG);
 * runtime.semacquire1 first takes the address of semtable (semtable.rootFor, inlined). */
#define SEMTAB_BYTES (251 * 64)           /* [semTabSize]struct{ root semaRoot; pad to a cache line } */
static void vars_from_code(struct gc_bin *b)
{
    uint64_t a[2];
    if (rip_refs(b, "runtime.forEachGRace", 0x8b, a, 2) == 2 && in_data(b, a[0]) && in_data(b, a[1])) {
        b->allglen = a[0];
        b->allgptr = a[1];
    }
    if (!b->semtable && b->major == 1 && b->minor == 19 && rip_refs(b, "runtime.semacquire1", 0x8d, a, 1) == 1 &&
        in_data(b, a[0])) {
        b->semtable = a[0];
        b->semtable_size = SEMTAB_BYTES;
    }
}

/* Stripped binaries: runtime.firstmoduledata begins with the address of the function table's header, then
 * the function name table as a slice (its address is the header's plus funcnameOffset). The file holds
 * link-time addresses, in the writable segments. */
static void moduledata_from_data(struct gc_bin *b)
{
    uint64_t hdr = 0;
    for (int i = 0; i < b->nload && !hdr; i++) {
        const struct gc_load *l = &b->load[i];
        size_t off = (size_t)(b->pcln.hdr - b->image);
        if (off >= l->offset && off < l->offset + l->filesz)
            hdr = l->vaddr + (off - l->offset);
    }
    uint64_t names = hdr + (uint64_t)(b->pcln.names - b->pcln.hdr);
    for (int i = 0; i < b->nload && hdr; i++) {
        const struct gc_load *l = &b->load[i];
        for (uint64_t off = 0; off + 16 <= l->filesz; off += 8) {
            const uint8_t *w = b->image + l->offset + off;
            uint64_t a, n;
            memcpy(&a, w, 8);
            memcpy(&n, w + 8, 8);
            if (a == hdr && n == names) {
                b->firstmoduledata = l->vaddr + off + b->bias;
                return;
            }
        }
    }
}

/* ---- open -------------------------------------------------------------------------------------------------- */

static int find_pclntab(struct gc_bin *b, Elf *elf, char *err, size_t errlen)
{
    GElf_Shdr sh;
    const char *names[] = { ".gopclntab", ".data.rel.ro.gopclntab" };
    for (size_t i = 0; i < 2; i++)
        if (section(elf, names[i], &sh) && sh.sh_offset < b->image_size)
            return pcln_init(&b->pcln, b->image + sh.sh_offset, b->image_size - sh.sh_offset, b->bias, err, errlen);
    /* no section headers: the header's magic, then a table that makes sense */
    for (size_t off = 0; off + 72 <= b->image_size; off += 8) {
        uint32_t m;
        memcpy(&m, b->image + off, 4);
        if ((m == LC_PCLN_MAGIC_118 || m == LC_PCLN_MAGIC_120) && b->image[off + 6] == 1 && b->image[off + 7] == 8 &&
            pcln_init(&b->pcln, b->image + off, b->image_size - off, b->bias, err, errlen) == 0)
            return 0;
    }
    snprintf(err, errlen, "no Go function table found");
    return -1;
}

static int bin_open(struct gc_bin *b, const char *path, uint64_t bias, int lazy, char *err, size_t errlen);

int gc_bin_open(struct gc_bin *b, const char *path, uint64_t bias, char *err, size_t errlen)
{
    return bin_open(b, path, bias, 0, err, errlen);
}

int gc_bin_open_fast(struct gc_bin *b, const char *path, uint64_t bias, char *err, size_t errlen)
{
    return bin_open(b, path, bias, 1, err, errlen);
}

int gc_bin_verify_layout(struct gc_bin *b, char *err, size_t errlen)
{
    if (b->layout_from_dwarf || b->layout_checked || b->stripped)
        return 0;                         /* read from DWARF already, the release measured, or no DWARF */
    Elf *elf = elf_of(b);
    if (!elf)
        return 0;
    struct gc_bin d = *b;
    int missing = gc_layout_dwarf(&d, elf);
    elf_end(elf);
    if (missing == GF__COUNT)
        return 0;                         /* no DWARF after all */
    for (int i = 0; i < GF__COUNT; i++)
        if (d.off[i] >= 0 && (d.off[i] != b->off[i] || d.width[i] != b->width[i])) {
            snprintf(err, errlen, "%s: the runtime's %s.%s is at %d in this binary, not at %d as in %s builds",
                     b->version, gc_layout_struct(i), gc_layout_path(i), d.off[i], b->off[i], b->version);
            return -1;
        }
    if (d.st_running != b->st_running || d.st_waiting != b->st_waiting || d.st_dead != b->st_dead) {
        snprintf(err, errlen, "%s: the runtime's goroutine states are numbered otherwise", b->version);
        return -1;
    }
    b->layout_from_dwarf = 1;
    return 0;
}

static int bin_open(struct gc_bin *b, const char *path, uint64_t bias, int lazy, char *err, size_t errlen)
{
    memset(b, 0, sizeof *b);
    b->bias = bias;
    if (map_file(b, path, err, errlen) != 0)
        return -1;
    elf_version(EV_CURRENT);
    Elf *elf = elf_of(b);
    GElf_Ehdr eh;
    int r = -1;
    if (!elf || elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &eh) || eh.e_machine != EM_X86_64) {
        snprintf(err, errlen, "not an x86-64 ELF executable");
        goto out;
    }
    read_loads(b, elf);
    if (find_version(b->image, b->image_size, elf, b->version, sizeof b->version) != 0) {
        snprintf(err, errlen, "not a Go executable built by Go 1.18 or later (no build info)");
        goto out;
    }
    if (sscanf(b->version, "go%d.%d", &b->major, &b->minor) != 2) {
        snprintf(err, errlen, "unrecognised Go version '%s'", b->version);
        goto out;
    }
    if (find_pclntab(b, elf, err, errlen) != 0)
        goto out;
    b->text_lo = b->pcln.lo;
    b->text_hi = b->pcln.hi;
    for (int i = 0; i < b->nload; i++) {       /* where the running image has the table */
        size_t off = (size_t)(b->pcln.hdr - b->image);
        if (off >= b->load[i].offset && off < b->load[i].offset + b->load[i].filesz)
            b->pcln_addr = b->load[i].vaddr + (off - b->load[i].offset) + b->bias;
    }
    uint64_t gofunc = 0;
    b->st_runnable = 1, b->st_running = 2, b->st_syscall = 3, b->st_waiting = 4, b->st_dead = 6;
    b->st_scan = 0x1000;
    b->tls_g = b->tls_g ? b->tls_g : -8;  /* the runtime's g is the block's first (only) word */
    read_symbols(b, elf, &gofunc);
    b->tls_g += (int64_t)b->tlsg_sym;
    /* the binary's DWARF says where the fields are; a release with a built-in table may leave it for later
     * (gc_bin_verify_layout: decompressing DWARF costs tens of milliseconds in a large program's start) */
    int builtin = b->major == 1 && b->minor == 19;
    int missing = lazy && builtin ? GF__COUNT : gc_layout_dwarf(b, elf);
    b->layout_checked = lazy && builtin && strcmp(b->version, "go1.19.8") == 0;
    b->layout_from_dwarf = missing == 0;
    if (missing) {
        if (b->major != 1 || b->minor != 19) {
            snprintf(err, errlen, "%s: no DWARF layout of the runtime (stripped?) and no built-in layout for "
                     "this release (built-in: go1.19)", b->version);
            goto out;
        }
        gc_layout_builtin(b);
    }
    if (!b->firstmoduledata)
        moduledata_from_data(b);
    if (b->stripped)
        vars_from_code(b);
    if (!b->allglen || !b->allgptr) {
        snprintf(err, errlen, "%s: cannot find the runtime's goroutine list", b->version);
        goto out;
    }
    /* go:func.* for the inline tree: its symbol, else runtime.firstmoduledata.gofunc */
    if (!gofunc && b->firstmoduledata && b->off[GF_md_gofunc] >= 0) {
        const uint8_t *p = gc_bin_at(b, b->firstmoduledata + (uint64_t)b->off[GF_md_gofunc], 8);
        if (p)
            memcpy(&gofunc, p, 8);
        if (gofunc)
            gofunc += b->bias;            /* the file holds the unrelocated address */
    }
    long go = gofunc ? file_off(b, gofunc, 1) : -1;
    if (go >= 0) {
        b->pcln.gofunc = b->image + go;
        b->pcln.gofunc_size = b->image_size - (size_t)go;
    }
    r = 0;
out:
    if (elf)
        elf_end(elf);
    if (r != 0)
        gc_bin_close(b);
    return r;
}

void gc_bin_close(struct gc_bin *b)
{
    if (b->image)
        munmap((void *)(uintptr_t)b->image, b->image_size);
    b->image = NULL;
}

