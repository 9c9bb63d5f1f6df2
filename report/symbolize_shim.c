/* Whether a pc is in the shim's own code: its load segments, found once from the link map (none when the shim is
 * linked into the executable, as in the unit tests: nothing to tell apart then). */
#include "symbolize.h"
#include "../runtime/lock.h"

#include <dlfcn.h>
#include <link.h>
#include <stddef.h>

static struct { uintptr_t lo, hi; } shim_seg[8];
static int shim_nseg = -1;             /* -1 unknown; 0 none (linked into the executable) */
static lc_lock_t shim_lock = LC_LOCK_INIT;

struct seg_find { ElfW(Addr) base; int n; };

static int seg_cb(struct dl_phdr_info *info, size_t size, void *arg)
{
    struct seg_find *sf = arg;
    (void)size;
    if (info->dlpi_addr != sf->base)
        return 0;
    for (int i = 0; i < info->dlpi_phnum && sf->n < 8; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_LOAD)
            continue;
        shim_seg[sf->n].lo = info->dlpi_addr + ph->p_vaddr;
        shim_seg[sf->n].hi = shim_seg[sf->n].lo + ph->p_memsz;
        sf->n++;
    }
    return 1;
}

/* Our load segments, or none when we are part of the main executable (nothing to tell apart then). */
static int shim_init(void)
{
    Dl_info di;
    struct link_map *lm = NULL;
    if (!dladdr1((void *)symbolize_is_shim, &di, (void **)&lm, RTLD_DL_LINKMAP) || !lm || !lm->l_prev)
        return 0;
    struct seg_find sf = { lm->l_addr, 0 };
    dl_iterate_phdr(seg_cb, &sf);
    return sf.n;
}

int symbolize_is_shim(uintptr_t pc)
{
    if (__atomic_load_n(&shim_nseg, __ATOMIC_ACQUIRE) < 0) {
        lc_lock(&shim_lock);
        if (shim_nseg < 0)
            __atomic_store_n(&shim_nseg, shim_init(), __ATOMIC_RELEASE);
        lc_unlock(&shim_lock);
    }
    for (int i = 0; i < shim_nseg; i++)
        if (pc >= shim_seg[i].lo && pc < shim_seg[i].hi)
            return 1;
    return 0;
}
