/* The layout of the Go runtime's structures: from the binary's DWARF (any release), else from the table of
 * gc_layout.inc measured on Go 1.19; and Go 1.19's wait reason texts, for binaries whose own cannot be read. */
#include "gc_layout.h"
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <string.h>

static const struct { const char *st, *path; int32_t off119; uint8_t width, optional; } fields[GF__COUNT] = {
#define GC_FIELD(id, st, path, off119, width) [GF_##id] = { st, path, off119, width, 0 },
#define GC_FIELD_OPT(id, st, path, off119, width) [GF_##id] = { st, path, off119, width, 1 },
#include "gc_layout.inc"
#undef GC_FIELD
#undef GC_FIELD_OPT
};

const char *gc_layout_struct(int field)
{
    return field >= 0 && field < GF__COUNT ? fields[field].st : "";
}

int gc_layout_off119(int field)
{
    return field >= 0 && field < GF__COUNT ? fields[field].off119 : -1;
}

const char *gc_layout_path(int field)
{
    return field >= 0 && field < GF__COUNT ? fields[field].path : "";
}

/* ---- from DWARF ------------------------------------------------------------------------------------------------ */

static int die_named(Dwarf_Die *d, const char *name)
{
    const char *n = dwarf_diename(d);
    return n && strcmp(n, name) == 0;
}

/* The type of d, through typedefs. */
static int type_of(Dwarf_Die *d, Dwarf_Die *out)
{
    Dwarf_Attribute a;
    if (!dwarf_formref_die(dwarf_attr(d, DW_AT_type, &a), out))
        return -1;
    for (int i = 0; i < 8 && dwarf_tag(out) == DW_TAG_typedef; i++)
        if (!dwarf_formref_die(dwarf_attr(out, DW_AT_type, &a), out))
            return -1;
    return 0;
}

static int member(Dwarf_Die *st, const char *name, Dwarf_Die *out, Dwarf_Word *off)
{
    Dwarf_Die c;
    if (dwarf_child(st, &c) != 0)
        return -1;
    do {
        if (dwarf_tag(&c) == DW_TAG_member && die_named(&c, name)) {
            Dwarf_Attribute a;
            if (dwarf_formudata(dwarf_attr(&c, DW_AT_data_member_location, &a), off) != 0)
                return -1;
            *out = c;
            return 0;
        }
    } while (dwarf_siblingof(&c, &c) == 0);
    return -1;
}

/* Offset and width of the dotted path inside struct st. */
static int field_of(Dwarf_Die *st, const char *path, int32_t *off, uint8_t *width)
{
    char part[64];
    Dwarf_Die cur = *st, m, t;
    Dwarf_Word total = 0, o;
    while (*path) {
        size_t n = strcspn(path, ".");
        if (n >= sizeof part)
            return -1;
        memcpy(part, path, n);
        part[n] = 0;
        path += n + (path[n] == '.');
        if (member(&cur, part, &m, &o) != 0 || type_of(&m, &t) != 0)
            return -1;
        total += o;
        cur = t;
    }
    /* an atomic wrapper (struct { noCopy; value T }): the value inside */
    if (dwarf_tag(&cur) == DW_TAG_structure_type && member(&cur, "value", &m, &o) == 0 && type_of(&m, &t) == 0) {
        total += o;
        cur = t;
    }
    Dwarf_Word sz = 8;                    /* Go's pointer types carry no size */
    Dwarf_Attribute a;
    if (dwarf_tag(&cur) != DW_TAG_pointer_type &&
        (dwarf_formudata(dwarf_attr(&cur, DW_AT_byte_size, &a), &sz) != 0 || sz == 0 || sz > 8))
        return -1;
    *off = (int32_t)total;
    *width = (uint8_t)sz;
    return 0;
}

struct dw_found {
    Dwarf_Off st[16];
    const char *st_names[16];
    int nst;
};

static void status_const(struct gc_bin *b, Dwarf_Die *d)
{
    static const struct { const char *name; size_t at; } st[] = {
        { "runtime._Grunnable", offsetof(struct gc_bin, st_runnable) },
        { "runtime._Grunning", offsetof(struct gc_bin, st_running) },
        { "runtime._Gsyscall", offsetof(struct gc_bin, st_syscall) },
        { "runtime._Gwaiting", offsetof(struct gc_bin, st_waiting) },
        { "runtime._Gdead", offsetof(struct gc_bin, st_dead) },
        { "runtime._Gscan", offsetof(struct gc_bin, st_scan) },
    };
    Dwarf_Attribute a;
    Dwarf_Word v;
    for (size_t i = 0; i < sizeof st / sizeof st[0]; i++)
        if (die_named(d, st[i].name) && dwarf_formudata(dwarf_attr(d, DW_AT_const_value, &a), &v) == 0)
            *(uint32_t *)((char *)b + st[i].at) = (uint32_t)v;
}

/* Offsets from DWARF; returns the number of required fields (offset >= 0 in the fallback) that were missing. */
int gc_layout_dwarf(struct gc_bin *b, Elf *elf)
{
    Dwarf *dw = dwarf_begin_elf(elf, DWARF_C_READ, NULL);
    if (!dw)
        return GF__COUNT;
    struct dw_found f = { .nst = 0 };
    Dwarf_Off off = 0, next;
    size_t hsize;
    while (dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
        Dwarf_Die cu, c;
        if (dwarf_offdie(dw, off + hsize, &cu) && dwarf_child(&cu, &c) == 0) {
            do {
                int tag = dwarf_tag(&c);
                if (tag == DW_TAG_constant) {
                    status_const(b, &c);
                } else if (tag == DW_TAG_structure_type) {
                    const char *n = dwarf_diename(&c);
                    if (!n || f.nst == 16)
                        continue;
                    for (int i = 0; i < GF__COUNT; i++)
                        if (strcmp(fields[i].st, n) == 0) {
                            int dup = 0;
                            for (int j = 0; j < f.nst; j++)
                                dup |= strcmp(f.st_names[j], fields[i].st) == 0;
                            if (!dup) {
                                f.st[f.nst] = dwarf_dieoffset(&c);
                                f.st_names[f.nst++] = fields[i].st;
                            }
                            break;
                        }
                }
            } while (dwarf_siblingof(&c, &c) == 0);
        }
        off = next;
    }
    int missing = 0;
    for (int i = 0; i < GF__COUNT; i++) {
        b->off[i] = -1;
        for (int j = 0; j < f.nst; j++) {
            Dwarf_Die st;
            if (strcmp(f.st_names[j], fields[i].st) == 0 && dwarf_offdie(dw, f.st[j], &st))
                field_of(&st, fields[i].path, &b->off[i], &b->width[i]);
        }
        /* the runtime's own structs are always there; a sync type the program never uses may not be */
        if (b->off[i] < 0 && fields[i].off119 >= 0 && !fields[i].optional &&
            strncmp(fields[i].st, "runtime.", 8) == 0)
            missing++;
        else if (b->off[i] < 0 && b->major == 1 && b->minor == 19)
            b->off[i] = fields[i].off119, b->width[i] = fields[i].width;
    }
    dwarf_end(dw);
    return missing;
}

void gc_layout_builtin(struct gc_bin *b)
{
    for (int i = 0; i < GF__COUNT; i++) {
        b->off[i] = fields[i].off119;
        b->width[i] = fields[i].width;
    }
}

/* ---- wait reasons ------------------------------------------------------------------------------------------ */

static const char *const wait119[] = {
    "", "GC assist marking", "IO wait", "chan receive (nil chan)", "chan send (nil chan)", "dumping heap",
    "garbage collection", "garbage collection scan", "panicwait", "select", "select (no cases)", "GC assist wait",
    "GC sweep wait", "GC scavenge wait", "chan receive", "chan send", "finalizer wait", "force gc (idle)",
    "semacquire", "sleep", "sync.Cond.Wait", "timer goroutine (idle)", "trace reader (blocked)",
    "wait for GC cycle", "GC worker (idle)", "preempted", "debug call",
};

const char *gc_wait_text_119(unsigned reason)
{
    return reason < sizeof wait119 / sizeof wait119[0] ? wait119[reason] : NULL;
}

enum gc_wait gc_wait_class(const char *t)
{
    static const struct { const char *text; enum gc_wait w; } k[] = {
        { "chan receive", GW_CHAN_RECV }, { "chan send", GW_CHAN_SEND },
        { "chan receive (nil chan)", GW_RECV_NIL }, { "chan send (nil chan)", GW_SEND_NIL },
        { "select", GW_SELECT }, { "select (no cases)", GW_SELECT_NONE }, { "semacquire", GW_SEMA },
        { "sync.Cond.Wait", GW_COND }, { "sleep", GW_SLEEP }, { "IO wait", GW_IO },
        { "sync.Mutex.Lock", GW_SYNC_MUTEX }, { "sync.RWMutex.RLock", GW_SYNC_RWR },
        { "sync.RWMutex.Lock", GW_SYNC_RWW }, { "sync.WaitGroup.Wait", GW_WAITGROUP },
    };
    for (size_t i = 0; t && i < sizeof k / sizeof k[0]; i++)
        if (strcmp(t, k[i].text) == 0)
            return k[i].w;
    return GW_OTHER;
}
